import EarshotCore

// What clients read (docs/protocol.md): queue windows, a conversation's thread, the summary
// line and the event log as a stream. Plain Codable values, the same in-process and over the
// daemon's socket.

/// A row's place in its view's order: the view's sort key and the conversation id, as the
/// store's `QueueCursor`. Hand it back in a `QueueAnchor` to page from that row.
public struct QueuePosition: Codable, Sendable, Hashable {
    public var sortKey: Int64
    public var id: ConversationID

    public init(sortKey: Int64, id: ConversationID) {
        self.sortKey = sortKey
        self.id = id
    }
}

/// Where a queue window starts.
///
/// JSON: `"first"`, `"last"`, `{"after": POSITION}` or `{"before": POSITION}`, where a position
/// is `{"sortKey": N, "id": N}`.
public enum QueueAnchor: Codable, Sendable, Equatable {
    /// The top of the view.
    case first
    /// The bottom (G): the last `limit` rows, still returned in view order.
    case last
    /// Rows after this one (scrolling down).
    case after(QueuePosition)
    /// Rows before this one (scrolling up), returned in view order.
    case before(QueuePosition)

    private enum Side: String, CodingKey { case after, before }

    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            switch name {
            case "first": self = .first
            case "last": self = .last
            default:
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "anchor \"\(name)\": first or last"))
            }
            return
        }
        let container = try decoder.container(keyedBy: Side.self)
        if let position = try container.decodeIfPresent(QueuePosition.self, forKey: .after) {
            self = .after(position)
        } else {
            self = .before(try container.decode(QueuePosition.self, forKey: .before))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .first, .last:
            var container = encoder.singleValueContainer()
            try container.encode(self == .first ? "first" : "last")
        case let .after(position):
            var container = encoder.container(keyedBy: Side.self)
            try container.encode(position, forKey: .after)
        case let .before(position):
            var container = encoder.container(keyedBy: Side.self)
            try container.encode(position, forKey: .before)
        }
    }
}

/// Narrows a queue view; every field set must match. Applied in SQL on the view's own index
/// range, so a filter that matches few rows makes a window walk further, never sort.
public struct QueueFilter: Codable, Sendable, Equatable {
    /// A channel handle (without `@`, any letter case); on every platform that has it.
    public var channel: String?
    /// A label (any letter case: labels are stored lowercase).
    public var label: String?
    public var triageClass: TriageClass?
    public var priority: Priority?
    /// A case-insensitive (ASCII letters) substring of the customer's handle or of the
    /// conversation's preview (its latest customer message). A leading `@` is not needed to
    /// match a handle.
    public var search: String?

    public init(
        channel: String? = nil, label: String? = nil, triageClass: TriageClass? = nil, priority: Priority? = nil,
        search: String? = nil
    ) {
        self.channel = channel
        self.label = label
        self.triageClass = triageClass
        self.priority = priority
        self.search = search
    }
}

/// One window of a queue view.
public struct QueueWindowRequest: Codable, Sendable, Equatable {
    /// `mine`, `unassigned`, `open`, `breached`, `snoozed`, `aside` or `resolved` (since the
    /// start of today, UTC), as `queue(_:limit:)`.
    public var view: String
    public var filter: QueueFilter
    public var anchor: QueueAnchor
    /// 1 to 10,000 rows.
    public var limit: Int

    public init(view: String, filter: QueueFilter = QueueFilter(), anchor: QueueAnchor = .first, limit: Int) {
        self.view = view
        self.filter = filter
        self.anchor = anchor
        self.limit = limit
    }

    private enum CodingKeys: String, CodingKey { case view, filter, anchor, limit }

    /// Over the wire only `view` is required: no filter, from the top, 50 rows.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        view = try container.decode(String.self, forKey: .view)
        filter = try container.decodeIfPresent(QueueFilter.self, forKey: .filter) ?? QueueFilter()
        anchor = try container.decodeIfPresent(QueueAnchor.self, forKey: .anchor) ?? .first
        limit = try container.decodeIfPresent(Int.self, forKey: .limit) ?? 50
    }
}

/// Where a conversation stands against its SLA at the service clock's now.
public enum SLAMark: String, Codable, Sendable {
    /// No clock runs (nothing waits for us, no target, or resolved).
    case none
    case ok
    /// Past the policy's warning threshold, not yet due.
    case warning
    /// At or past its due time (the breached view's own rule).
    case breached
}

/// A queue row as shown.
public struct QueueRow: Codable, Sendable, Equatable {
    public var conversation: Conversation
    /// The customer's handle.
    public var customer: String
    /// The assignee's login.
    public var assignee: String?
    /// The row's place in its view: page from here with `.after` or `.before`.
    public var position: QueuePosition
    /// The channel's handle.
    public var channel: String
    public var sla: SLAMark

    public init(
        conversation: Conversation, customer: String, assignee: String?, position: QueuePosition, channel: String, sla: SLAMark
    ) {
        self.conversation = conversation
        self.customer = customer
        self.assignee = assignee
        self.position = position
        self.channel = channel
        self.sla = sla
    }
}

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
    public var state: String

    public init(login: String, state: String) {
        self.login = login
        self.state = state
    }
}

/// The status line: the caller, their load, the backlog and the service clock.
public struct InboxSummary: Codable, Sendable, Equatable {
    public var me: Responder
    /// My open conversations (open or pending).
    public var mine: Int
    /// Open routable conversations nobody owns.
    public var unassigned: Int
    /// Open routable conversations at or past their SLA due time.
    public var breached: Int
    /// The start of the longest current wait among open routable conversations.
    public var oldestWaitSince: Timestamp?
    /// The service clock, so clients show waits consistently.
    public var now: Timestamp

    public init(me: Responder, mine: Int, unassigned: Int, breached: Int, oldestWaitSince: Timestamp?, now: Timestamp) {
        self.me = me
        self.mine = mine
        self.unassigned = unassigned
        self.breached = breached
        self.oldestWaitSince = oldestWaitSince
        self.now = now
    }
}

/// A batch of the event log, oldest first. `lastID` is where the next batch starts: the last
/// event's id, or the `after` asked with when nothing is new.
public struct EventBatch: Codable, Sendable, Equatable {
    public var events: [Event]
    public var lastID: EventID?

    public init(events: [Event], lastID: EventID?) {
        self.events = events
        self.lastID = lastID
    }
}
