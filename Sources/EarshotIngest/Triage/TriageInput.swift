import EarshotCore

/// What the triage classifier looks at: the first message of a new conversation.
public struct TriageInput: Hashable, Sendable {
    /// The text as a person sees it (HTML entities decoded, nothing else changed).
    public var text: String
    public var kind: MentionKind
    /// The customer's handle, without `@`. The copy-paste rule counts distinct authors.
    public var authorHandle: String
    /// The brand account the message reached, without `@`.
    public var channelHandle: String
    /// True when the message retweets or quotes one of the brand's own posts.
    public var referencesChannelPost: Bool

    public init(
        text: String, kind: MentionKind = .mention, authorHandle: String, channelHandle: String,
        referencesChannelPost: Bool = false
    ) {
        self.text = text
        self.kind = kind
        self.authorHandle = authorHandle
        self.channelHandle = channelHandle
        self.referencesChannelPost = referencesChannelPost
    }
}
