/// The life of an outbound reply: typed (draft), handed to the outbox (queued; the author
/// can take it back to a draft until delivery starts), confirmed by the platform (sent) or
/// given up on after the last retry (failed).
public enum ReplyState: String, CaseIterable, Sendable, Codable {
    case draft
    case queued
    case sent
    case failed
}

/// A public answer written by a responder.
public struct Reply: Hashable, Sendable, Codable {
    public var id: ReplyID
    public var conversationID: ConversationID
    /// The conversation cycle the reply answers.
    public var cycle: Int
    public var authorID: ResponderID
    public var text: String
    public var state: ReplyState
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// When the responder pressed send (entered the outbox).
    public var queuedAt: Timestamp?
    /// When the platform confirmed delivery; latency is measured to this moment.
    public var sentAt: Timestamp?
    /// The platform's id for the delivered post.
    public var platformID: String?
    /// The platform it was posted on; with `platformID`, unique.
    public var platform: Platform?
    /// The last delivery error, shown to the author.
    public var lastError: String?
    public var attempts: Int
    /// While queued: when the next delivery attempt may start (the end of the undo window,
    /// then of each retry wait).
    public var nextAttemptAt: Timestamp?
    /// Set while the delivery command runs; a daemon that dies mid-delivery finds it on restart.
    public var deliveryStartedAt: Timestamp?
    /// Chosen before the first attempt and sent with every one (Mastodon's `Idempotency-Key`),
    /// so a retry after a crash or a timeout is recognised by the platform, not posted again.
    public var deliveryKey: String?
    /// Which daemon is delivering it (its store instance), while `deliveryStartedAt` is set: a
    /// reply another daemon was delivering is recovered only once that daemon is gone.
    public var deliveryOwner: String?
    /// The delivered post's address on the platform, when it gave one.
    public var platformURL: String?

    public init(
        id: ReplyID, conversationID: ConversationID, cycle: Int, authorID: ResponderID, text: String,
        state: ReplyState, createdAt: Timestamp, updatedAt: Timestamp, queuedAt: Timestamp? = nil,
        sentAt: Timestamp? = nil, platformID: String? = nil, platform: Platform? = nil,
        lastError: String? = nil, attempts: Int = 0, nextAttemptAt: Timestamp? = nil, deliveryStartedAt: Timestamp? = nil,
        deliveryKey: String? = nil, platformURL: String? = nil
    ) {
        self.id = id
        self.conversationID = conversationID
        self.cycle = cycle
        self.authorID = authorID
        self.text = text
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.queuedAt = queuedAt
        self.sentAt = sentAt
        self.platformID = platformID
        self.platform = platform
        self.lastError = lastError
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveryStartedAt = deliveryStartedAt
        self.deliveryKey = deliveryKey
        self.platformURL = platformURL
    }

    /// Whether the author can still take it back: queued, and no delivery attempt begun.
    public var isCancellable: Bool { state == .queued && attempts == 0 && deliveryStartedAt == nil }
}

/// A reply before it has a row id.
public struct NewReply: Hashable, Sendable {
    public var conversationID: ConversationID
    public var cycle: Int
    public var authorID: ResponderID
    public var text: String
    public var state: ReplyState
    public var createdAt: Timestamp
    public var queuedAt: Timestamp?
    public var sentAt: Timestamp?
    public var platformID: String?
    public var platform: Platform?
    public var nextAttemptAt: Timestamp?

    public init(
        conversationID: ConversationID, cycle: Int, authorID: ResponderID, text: String,
        state: ReplyState, createdAt: Timestamp, queuedAt: Timestamp? = nil, sentAt: Timestamp? = nil,
        platformID: String? = nil, platform: Platform? = nil, nextAttemptAt: Timestamp? = nil
    ) {
        self.conversationID = conversationID
        self.cycle = cycle
        self.authorID = authorID
        self.text = text
        self.state = state
        self.createdAt = createdAt
        self.queuedAt = queuedAt
        self.sentAt = sentAt
        self.platformID = platformID
        self.platform = platform
        self.nextAttemptAt = nextAttemptAt
    }
}

/// An internal note: visible to the team, never sent to the customer, never counted as a reply.
public struct Note: Hashable, Sendable, Codable {
    public var id: NoteID
    public var conversationID: ConversationID
    public var authorID: ResponderID
    public var text: String
    public var createdAt: Timestamp

    public init(id: NoteID, conversationID: ConversationID, authorID: ResponderID, text: String, createdAt: Timestamp) {
        self.id = id
        self.conversationID = conversationID
        self.authorID = authorID
        self.text = text
        self.createdAt = createdAt
    }
}
