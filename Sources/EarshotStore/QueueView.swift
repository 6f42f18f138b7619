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

    /// The cursor that continues `view` after `conversation`.
    public init(after conversation: Conversation, in view: QueueView) {
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
