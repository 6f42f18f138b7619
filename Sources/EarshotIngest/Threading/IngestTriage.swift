import EarshotCore

/// The seam between threading and the classifier, so threading can be tested with a
/// classifier of the test's choosing and the classifier without a store.
public protocol IngestTriage {
    mutating func triage(_ input: TriageInput, at time: Timestamp) -> (TriageClass, String)
}
