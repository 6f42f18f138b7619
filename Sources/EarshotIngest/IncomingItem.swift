import EarshotCore

/// A customer message as an adapter read it, before threading decides its conversation.
public struct IncomingMention: Hashable, Sendable {
    public var platform: Platform
    /// The platform's id for the post (tweet id, status id, AT URI).
    public var externalID: String
    /// The brand account it was addressed to, when the record says; otherwise the
    /// ingest's `--channel` applies.
    public var channelHandle: String?
    /// The author's handle without a leading `@`.
    public var authorHandle: String
    public var authorDisplayName: String
    /// Plain text as a person sees it: HTML entities decoded, markup removed, links and
    /// mentions kept.
    public var text: String
    public var createdAt: Timestamp
    public var kind: MentionKind
    /// The post this one answers, if any.
    public var inReplyToExternalID: String?
    /// The thread root the platform reports (X `conversation_id`, Bluesky reply root).
    public var platformConversationID: String?
    /// For quotes and retweets/reposts: the post quoted or reposted, and its author.
    public var referencedExternalID: String?
    public var referencedAuthorHandle: String?
    /// The record exactly as it arrived.
    public var rawPayload: String

    public init(
        platform: Platform, externalID: String, channelHandle: String? = nil, authorHandle: String,
        authorDisplayName: String = "", text: String, createdAt: Timestamp, kind: MentionKind = .mention,
        inReplyToExternalID: String? = nil, platformConversationID: String? = nil,
        referencedExternalID: String? = nil, referencedAuthorHandle: String? = nil, rawPayload: String
    ) {
        self.platform = platform
        self.externalID = externalID
        self.channelHandle = channelHandle
        self.authorHandle = authorHandle
        self.authorDisplayName = authorDisplayName
        self.text = text
        self.createdAt = createdAt
        self.kind = kind
        self.inReplyToExternalID = inReplyToExternalID
        self.platformConversationID = platformConversationID
        self.referencedExternalID = referencedExternalID
        self.referencedAuthorHandle = referencedAuthorHandle
        self.rawPayload = rawPayload
    }
}

/// A reply the brand itself already sent (history imports such as TWCS): stored as a sent
/// reply so that latency history is real.
public struct IncomingBrandReply: Hashable, Sendable {
    public var platform: Platform
    public var externalID: String
    /// The brand account that posted it.
    public var channelHandle: String
    public var text: String
    public var createdAt: Timestamp
    public var inReplyToExternalID: String?
    /// The agent signature at the end of the text (`^JK` gives "JK"), if any.
    public var signatureInitials: String?
    public var rawPayload: String

    public init(
        platform: Platform, externalID: String, channelHandle: String, text: String, createdAt: Timestamp,
        inReplyToExternalID: String?, signatureInitials: String?, rawPayload: String
    ) {
        self.platform = platform
        self.externalID = externalID
        self.channelHandle = channelHandle
        self.text = text
        self.createdAt = createdAt
        self.inReplyToExternalID = inReplyToExternalID
        self.signatureInitials = signatureInitials
        self.rawPayload = rawPayload
    }
}

/// One thing an adapter found in its input.
public enum IncomingItem: Hashable, Sendable {
    case mention(IncomingMention)
    case brandReply(IncomingBrandReply)
}

/// Why a record could not be read. `line` is 1-based within the input; the pipeline
/// prefixes the file name, giving `FILE:LINE: message`.
public struct RecordProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    /// The offending record verbatim, for the rejects file.
    public var record: String
    /// Not an error in the input: a record that is not ours to store (a customer tweet to
    /// another account in a history export). Reported as a note; the exit status stays 0.
    public var isNote: Bool

    public init(line: Int, message: String, record: String, isNote: Bool = false) {
        self.line = line
        self.message = message
        self.record = record
        self.isNote = isNote
    }

    public var description: String { "\(line): \(message)" }
}
