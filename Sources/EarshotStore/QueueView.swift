import EarshotCore

/// The queue views the TUI and CLI list. Each maps to one index-served SQL query.
public enum QueueView: Hashable, Sendable {
    /// Open conversations assigned to this responder, nearest SLA breach first.
    case mine(ResponderID)
    /// Open, routable, nobody's, in drain order: highest priority, then nearest SLA breach, then oldest.
    case unassigned
    /// Every open routable conversation.
    case allOpen
    /// Open routable conversations whose SLA due time is at or before `now`.
    case breached(now: Timestamp)
    /// Snoozed, soonest to wake first.
    case snoozed
    /// Open suspected spam and broadcasts, which routing leaves alone.
    case setAside
    /// Resolved at or after `since` (e.g. the start of today), most recent first.
    case resolved(since: Timestamp)
}

/// Where the previous window ended: the sort key and id of its last row.
public struct QueueCursor: Hashable, Sendable {
    public var sortKey: Int64
    public var id: ConversationID

    public init(sortKey: Int64, id: ConversationID) {
        self.sortKey = sortKey
        self.id = id
    }

    /// The cursor that continues `view` after `conversation`; a search by the index orders
    /// rows by conversation id instead (newest first).
    public init(after conversation: Conversation, in view: QueueView, narrowedBy narrowing: QueueNarrowing = .none) {
        if narrowing.searchesByIndex {
            sortKey = conversation.id.rawValue
            id = conversation.id
            return
        }
        switch view {
        case .snoozed:
            sortKey = conversation.snoozedUntil?.millisecondsSinceEpoch ?? Int64.max
        case .resolved:
            sortKey = conversation.updatedAt.millisecondsSinceEpoch
        case .unassigned:
            sortKey = conversation.drainKey
        default:
            sortKey = conversation.slaDueAt?.millisecondsSinceEpoch ?? Int64.max
        }
        id = conversation.id
    }
}

/// Where a window of a queue view starts. Every case is one index range read in one
/// direction, so a window costs the same at the top, the bottom or the middle of a view.
public enum QueueStart: Hashable, Sendable {
    /// The top of the view.
    case first
    /// The bottom: the last rows, returned in the view's order.
    case last
    /// The rows after this one (scrolling down).
    case after(QueueCursor)
    /// The rows before this one (scrolling up), returned in the view's order.
    case before(QueueCursor)
}

/// Conditions that narrow a view. Each is one more WHERE term checked on the view's own index
/// range (never an index of its own, which would make SQLite sort), so a window stops as soon
/// as it has its rows; a filter that matches few rows costs a longer walk of the range.
public struct QueueNarrowing: Hashable, Sendable {
    /// Channel ids (a handle can name one account on each of several platforms); nil = any.
    public var channelIDs: [ChannelID]?
    /// A label, as stored (lowercase).
    public var label: String?
    public var triageClass: TriageClass?
    public var priority: Priority?
    /// A substring of the customer's `@handle` or of the preview; case-insensitive for ASCII
    /// letters. `%`, `_` and `\` match themselves. Three characters or more are looked up in
    /// the search index and come newest first; shorter ones narrow the view in its own order.
    public var search: String?

    /// Whether the search is long enough for the trigram index (three characters).
    public var searchesByIndex: Bool { (search?.unicodeScalars.count ?? 0) >= 3 }

    public init(
        channelIDs: [ChannelID]? = nil, label: String? = nil, triageClass: TriageClass? = nil,
        priority: Priority? = nil, search: String? = nil
    ) {
        self.channelIDs = channelIDs
        self.label = label
        self.triageClass = triageClass
        self.priority = priority
        self.search = search
    }

    /// No narrowing: the whole view.
    public static let none = QueueNarrowing()
}
