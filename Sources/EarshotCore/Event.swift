/// Every kind of change Earshot records. The raw value is what the event log stores;
/// never rename one, only add (metrics recompute history from these names).
public enum EventKind: String, CaseIterable, Sendable, Codable {
    case channelAdded = "channel_added"
    case customerAdded = "customer_added"
    case customerUpdated = "customer_updated"
    /// A customer message was stored (detail: mention id, external id, message time).
    case ingested
    /// A new conversation started.
    case opened
    /// A resolved conversation got a new customer message and started its next cycle.
    case reopened
    /// A conversation's messages moved into another (a parent arrived after its replies).
    case merged
    case triaged
    case assigned
    case claimed
    case released
    case draftSaved = "draft_saved"
    /// A reply entered the outbox.
    case replyQueued = "reply_queued"
    /// A reply was confirmed by the platform; latency samples end here.
    case replied
    /// The brand published a post of its own (history import): no conversation, no wait.
    case posted
    /// The delivery command started for a queued reply; it can no longer be cancelled.
    case deliveryStarted = "delivery_started"
    /// A delivery attempt failed (`final` in the detail says whether it will be retried).
    case replyFailed = "reply_failed"
    case replyCancelled = "reply_cancelled"
    case noted
    case statusChanged = "status_changed"
    case snoozed
    case woke
    case resolved
    case priorityChanged = "priority_changed"
    case labelAdded = "label_added"
    case labelRemoved = "label_removed"
    case availabilityChanged = "availability_changed"
    case responderAdded = "responder_added"
    case responderChanged = "responder_changed"
    case responderRemoved = "responder_removed"
}

/// Who caused a change: the system itself (routing, clocks), an ingest source, or a responder.
public enum Actor: Hashable, Sendable, Codable, CustomStringConvertible {
    case system
    case ingest
    case responder(login: String)

    /// The stored form: `system`, `ingest` or `responder:LOGIN`.
    public var description: String {
        switch self {
        case .system: "system"
        case .ingest: "ingest"
        case let .responder(login): "responder:\(login)"
        }
    }

    public init?(stored: String) {
        switch stored {
        case "system": self = .system
        case "ingest": self = .ingest
        default:
            guard stored.hasPrefix("responder:") else { return nil }
            self = .responder(login: String(stored.dropFirst("responder:".count)))
        }
    }

    /// Encoded as its stored form, the way the log and the daemon's pushed events write it.
    public init(from decoder: any Decoder) throws {
        let stored = try decoder.singleValueContainer().decode(String.self)
        guard let actor = Actor(stored: stored) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "actor \"\(stored)\": system, ingest or responder:LOGIN"))
        }
        self = actor
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One entry of the append-only event log.
public struct Event: Hashable, Sendable, Codable {
    public var id: EventID
    public var at: Timestamp
    public var kind: EventKind
    public var actor: Actor
    public var conversationID: ConversationID?
    /// Facts the kind needs (mention id, assignee, old and new status...), as string pairs.
    public var detail: [String: String]

    /// On the wire the conversation is `conversation`, as in every request.
    private enum CodingKeys: String, CodingKey {
        case id, at, kind, actor, detail
        case conversationID = "conversation"
    }

    public init(
        id: EventID, at: Timestamp, kind: EventKind, actor: Actor,
        conversationID: ConversationID?, detail: [String: String]
    ) {
        self.id = id
        self.at = at
        self.kind = kind
        self.actor = actor
        self.conversationID = conversationID
        self.detail = detail
    }
}

/// What a caller says about a change it asks the store to make; the store
/// writes it to the log in the same transaction as the change itself.
public struct EventDraft: Hashable, Sendable {
    public var at: Timestamp
    public var kind: EventKind
    public var actor: Actor
    public var conversationID: ConversationID?
    public var detail: [String: String]

    public init(
        _ kind: EventKind, by actor: Actor, at: Timestamp,
        conversation: ConversationID? = nil, detail: [String: String] = [:]
    ) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.conversationID = conversation
        self.detail = detail
    }
}
