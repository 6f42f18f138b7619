import EarshotCore

/// Threading's triage seam backed by the real classifier (docs/triage.md).
public struct ClassifierTriage: IngestTriage {
    private var classifier: TriageClassifier

    public init(classifier: TriageClassifier = TriageClassifier()) {
        self.classifier = classifier
    }

    public mutating func triage(_ request: TriageRequest) -> (TriageClass, String) {
        let verdict = classifier.classify(
            TriageInput(
                text: request.text, kind: request.kind, authorHandle: request.authorHandle,
                channelHandle: request.channelHandle, referencesChannelPost: request.referencesChannelPost),
            at: request.at)
        return (verdict.triageClass, verdict.reason)
    }
}
