import EarshotCore

/// What triage is told about a conversation's first message (or a reopening one).
public struct TriageRequest: Sendable {
    public var text: String
    public var kind: MentionKind
    public var authorHandle: String
    public var channelHandle: String
    /// A retweet or quote of the brand's own post.
    public var referencesChannelPost: Bool
    public var at: Timestamp
}

/// The seam between threading and the classifier, so threading can be tested with a
/// classifier of the test's choosing and the classifier without a store.
public protocol IngestTriage {
    mutating func triage(_ request: TriageRequest) -> (TriageClass, String)
}
