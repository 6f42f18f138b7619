import EarshotCore

// What clients read besides windows (QueueWindow.swift) and threads (ConversationThread.swift):
// the summary line and the event log as a stream. Plain Codable values, the same in-process
// and over the daemon's socket (docs/protocol.md, Reading).

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
