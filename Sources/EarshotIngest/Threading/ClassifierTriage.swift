import EarshotCore

/// Threading's triage seam backed by the real classifier (docs/triage.md).
public struct ClassifierTriage: IngestTriage {
    private var classifier: TriageClassifier

    public init(classifier: TriageClassifier = TriageClassifier()) {
        self.classifier = classifier
    }

    public mutating func triage(_ input: TriageInput, at time: Timestamp) -> (TriageClass, String) {
        let verdict = classifier.classify(input, at: time)
        return (verdict.triageClass, verdict.reason)
    }
}
