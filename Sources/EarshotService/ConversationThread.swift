import EarshotCore

// A conversation as the thread pane shows it (docs/protocol.md, Reading).

/// A conversation as the thread pane shows it.
public struct ConversationThread: Codable, Sendable, Equatable {
    public var conversation: Conversation
    public var channel: Channel
    public var customer: Customer
    /// The assignee's login.
    public var assignee: String?
    /// Chronological: messages by `createdAt`, replies by `sentAt ?? queuedAt ?? createdAt`,
    /// notes by `createdAt` (ties: messages, then replies, then notes). Drafts are not here.
    /// Messages come without their `rawPayload` (empty): the store keeps it.
    public var entries: [ThreadEntry]
    /// The customer's other conversations, newest first, at most 10.
    public var earlier: [EarlierConversation]
    /// Others viewing or composing here now (through the daemon; empty in-process). The
    /// caller's own connection is left out; the same login in another terminal is not.
    public var presence: [PresenceEntry]
    /// The caller's draft, if it has text.
    public var myDraft: Reply?
    public var sla: SLAMark

    public init(
        conversation: Conversation, channel: Channel, customer: Customer, assignee: String?, entries: [ThreadEntry],
        earlier: [EarlierConversation], presence: [PresenceEntry], myDraft: Reply?, sla: SLAMark
    ) {
        self.conversation = conversation
        self.channel = channel
        self.customer = customer
        self.assignee = assignee
        self.entries = entries
        self.earlier = earlier
        self.presence = presence
        self.myDraft = myDraft
        self.sla = sla
    }
}

/// One entry of a thread.
///
/// JSON: `{"message": MENTION}`, `{"reply": REPLY, "author": LOGIN, "initials": "AB"}` or
/// `{"note": NOTE, "author": LOGIN}`.
public enum ThreadEntry: Codable, Sendable, Equatable {
    /// A customer's message.
    case message(Mention)
    /// A reply that left the draft (queued, sent or failed); `author` is a login.
    case reply(Reply, author: String, initials: String)
    /// An internal note; `author` is a login.
    case note(Note, author: String)

    /// When it happened, as the thread orders entries.
    public var time: Timestamp {
        switch self {
        case let .message(mention): mention.createdAt
        case let .reply(reply, _, _): reply.sentAt ?? reply.queuedAt ?? reply.createdAt
        case let .note(note, _): note.createdAt
        }
    }

    private enum Key: String, CodingKey { case message, reply, note, author, initials }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let mention = try container.decodeIfPresent(Mention.self, forKey: .message) {
            self = .message(mention)
        } else if let reply = try container.decodeIfPresent(Reply.self, forKey: .reply) {
            self = .reply(
                reply, author: try container.decode(String.self, forKey: .author),
                initials: try container.decode(String.self, forKey: .initials))
        } else {
            self = .note(try container.decode(Note.self, forKey: .note), author: try container.decode(String.self, forKey: .author))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case let .message(mention):
            try container.encode(mention, forKey: .message)
        case let .reply(reply, author, initials):
            try container.encode(reply, forKey: .reply)
            try container.encode(author, forKey: .author)
            try container.encode(initials, forKey: .initials)
        case let .note(note, author):
            try container.encode(note, forKey: .note)
            try container.encode(author, forKey: .author)
        }
    }
}

/// Another conversation of the same customer, for the thread's history list.
public struct EarlierConversation: Codable, Sendable, Equatable {
    public var id: ConversationID
    public var status: ConversationStatus
    public var startedAt: Timestamp
    public var preview: String
    /// How many internal notes it has.
    public var notes: Int

    public init(id: ConversationID, status: ConversationStatus, startedAt: Timestamp, preview: String, notes: Int) {
        self.id = id
        self.status = status
        self.startedAt = startedAt
        self.preview = preview
        self.notes = notes
    }
}

/// Someone else in a conversation now.
public struct PresenceEntry: Codable, Sendable, Equatable {
    public var login: String
    /// `viewing` or `composing`.
    public var state: PresenceState

    public init(login: String, state: PresenceState) {
        self.login = login
        self.state = state
    }
}
