import EarshotCore

/// The class triage chose and why, stored on the conversation as `triageClass` and
/// `triageReason`.
public struct TriageVerdict: Hashable, Sendable {
    public var triageClass: TriageClass
    /// Short and human-readable: the rule, then the evidence, e.g. `question: "?" and
    /// "how do I" (en)` or `spam: same text from 5 accounts in the last 24h`.
    public var reason: String

    public init(triageClass: TriageClass, reason: String) {
        self.triageClass = triageClass
        self.reason = reason
    }
}
