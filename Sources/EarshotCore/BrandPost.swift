/// A post the brand published on its own, in a history import: an announcement, or an answer
/// to a tweet the export does not hold. It is sent (it went out) but answers no customer here,
/// so it belongs to no conversation and starts or ends no wait.
public struct NewBrandPost: Hashable, Sendable {
    public var platform: Platform
    public var platformID: String
    public var channelID: ChannelID
    public var authorID: ResponderID
    public var text: String
    public var sentAt: Timestamp
    /// The platform id of the post it answers, when that post is not in the inbox.
    public var inReplyTo: String?
    public var rawPayload: String

    public init(
        platform: Platform, platformID: String, channelID: ChannelID, authorID: ResponderID, text: String, sentAt: Timestamp,
        inReplyTo: String?, rawPayload: String
    ) {
        self.platform = platform
        self.platformID = platformID
        self.channelID = channelID
        self.authorID = authorID
        self.text = text
        self.sentAt = sentAt
        self.inReplyTo = inReplyTo
        self.rawPayload = rawPayload
    }
}
