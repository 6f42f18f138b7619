import EarshotCore

// Queue windows as clients ask for them and the rows they get (docs/protocol.md, Reading).

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

/// The queue views a client can ask for. The store's `QueueView` is the same view resolved
/// for one responder at one time (`InboxService.queueView(_:for:at:)`).
public enum QueueViewName: String, Codable, Sendable, CaseIterable {
    /// The caller's own open conversations (waiting for them).
    case mine
    /// Open routable conversations nobody owns.
    case unassigned
    /// Every open routable conversation.
    case open
    /// Open routable conversations at or past their SLA due time.
    case breached
    case snoozed
    /// Set aside by triage (spam, broadcasts).
    case aside
    /// Resolved since the start of today (UTC).
    case resolved

    /// The names, for help and error messages: `mine, unassigned, ...`.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let view = QueueViewName(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "must be one of \(Self.list), not \"\(ServiceError.quoted(name))\""))
        }
        self = view
    }
}

/// One window of a queue view.
public struct QueueWindowRequest: Codable, Sendable, Equatable {
    public var view: QueueViewName
    public var filter: QueueFilter
    public var anchor: QueueAnchor
    /// 1 to 10,000 rows.
    public var limit: Int

    public init(view: QueueViewName, filter: QueueFilter = QueueFilter(), anchor: QueueAnchor = .first, limit: Int) {
        self.view = view
        self.filter = filter
        self.anchor = anchor
        self.limit = limit
    }

    private enum CodingKeys: String, CodingKey { case view, filter, anchor, limit }

    /// Over the wire only `view` is required: no filter, from the top, 50 rows.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        view = try container.decode(QueueViewName.self, forKey: .view)
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
