/// How a mention relates to the brand's posts; retweets and quotes of our own
/// posts are broadcasts that nobody expects an answer to.
public enum MentionKind: String, CaseIterable, Sendable, Codable {
    case mention
    case reply
    case quote
    case retweet
}

/// One inbound message from a customer, exactly as the platform delivered it.
public struct Mention: Hashable, Sendable, Codable {
    public var id: MentionID
    public var platform: Platform
    /// The platform's own id for the post (tweet id, status id, AT URI...).
    public var externalID: String
    public var channelID: ChannelID
    public var customerID: CustomerID
    public var conversationID: ConversationID
    /// The conversation cycle this message belongs to (a reopened conversation starts a new cycle).
    public var cycle: Int
    public var kind: MentionKind
    /// The text as shown to a person: HTML entities decoded, nothing else changed.
    public var text: String
    public var createdAt: Timestamp
    public var inReplyToExternalID: String?
    public var platformConversationID: String?
    /// The record exactly as it arrived, kept for audits and re-parsing.
    public var rawPayload: String

    public init(
        id: MentionID, platform: Platform, externalID: String, channelID: ChannelID,
        customerID: CustomerID, conversationID: ConversationID, cycle: Int, kind: MentionKind,
        text: String, createdAt: Timestamp, inReplyToExternalID: String?,
        platformConversationID: String?, rawPayload: String
    ) {
        self.id = id
        self.platform = platform
        self.externalID = externalID
        self.channelID = channelID
        self.customerID = customerID
        self.conversationID = conversationID
        self.cycle = cycle
        self.kind = kind
        self.text = text
        self.createdAt = createdAt
        self.inReplyToExternalID = inReplyToExternalID
        self.platformConversationID = platformConversationID
        self.rawPayload = rawPayload
    }
}

/// A mention before it has a row id; what ingest hands to the store.
public struct NewMention: Hashable, Sendable, Codable {
    public var platform: Platform
    public var externalID: String
    public var channelID: ChannelID
    public var customerID: CustomerID
    public var conversationID: ConversationID
    public var cycle: Int
    public var kind: MentionKind
    public var text: String
    public var createdAt: Timestamp
    public var inReplyToExternalID: String?
    public var platformConversationID: String?
    public var rawPayload: String

    public init(
        platform: Platform, externalID: String, channelID: ChannelID, customerID: CustomerID,
        conversationID: ConversationID, cycle: Int = 1, kind: MentionKind = .mention, text: String,
        createdAt: Timestamp, inReplyToExternalID: String? = nil,
        platformConversationID: String? = nil, rawPayload: String
    ) {
        self.platform = platform
        self.externalID = externalID
        self.channelID = channelID
        self.customerID = customerID
        self.conversationID = conversationID
        self.cycle = cycle
        self.kind = kind
        self.text = text
        self.createdAt = createdAt
        self.inReplyToExternalID = inReplyToExternalID
        self.platformConversationID = platformConversationID
        self.rawPayload = rawPayload
    }
}
