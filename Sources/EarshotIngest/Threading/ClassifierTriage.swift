import EarshotCore

/// Threading's triage seam backed by the real classifier (docs/triage.md).
/// TEMPORARY: classifies nothing until the classifier lands in this session.
public struct ClassifierTriage: IngestTriage {
    public init() {}

    public mutating func triage(_ request: TriageRequest) -> (TriageClass, String) {
        (request.referencesChannelPost ? .broadcast : .other, "not yet classified")
    }
}
