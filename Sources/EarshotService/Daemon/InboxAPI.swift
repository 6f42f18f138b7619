import EarshotCore

/// What a client can ask of Earshot, the same whether the service runs in this process
/// (single-user mode) or in the daemon (through `RemoteInbox`). Identity is not a parameter:
/// in-process it is this process's user, in the daemon the socket peer's.
public protocol InboxAPI: Sendable {
    func claim(_ id: ConversationID) throws -> Conversation
    func assign(_ id: ConversationID, to login: String) throws -> Conversation
    func release(_ id: ConversationID) throws -> Conversation
    func resolve(_ id: ConversationID) throws -> Conversation
    func reopen(_ id: ConversationID) throws -> Conversation
    func snooze(_ id: ConversationID, until: Timestamp) throws -> Conversation
    func setPriority(_ id: ConversationID, to priority: Priority) throws -> Conversation
    /// Corrects the classifier; the class is kept when the customer writes again.
    func setTriageClass(_ id: ConversationID, to triageClass: TriageClass) throws -> Conversation
    func label(_ id: ConversationID, _ label: String, add: Bool) throws -> Conversation
    func addNote(_ id: ConversationID, text: String) throws -> Note
    func saveDraft(_ id: ConversationID, text: String) throws -> Reply
    func draft(of id: ConversationID) throws -> Reply?
    /// Queues a reply (signature added); see `InboxService.sendReply` for the confirmation rule.
    func sendReply(_ id: ConversationID, text: String, basedOn: Timestamp?, confirmed: Bool) throws -> Reply
    /// Takes a queued reply back into the draft, during the undo window.
    func cancelReply(_ id: ReplyID) throws -> Reply
    /// Sends a failed reply again.
    func retryReply(_ id: ReplyID) throws -> Reply
    func reply(_ id: ReplyID) throws -> Reply
    /// Queued and failed replies: one's own, or (supervisors) everyone's.
    func outbox(all: Bool) throws -> [Reply]
    func route(policy: RoutingPolicy?) throws -> [RoutingAssignment]
    /// The person did something (idle-away counts from the last report).
    func reportActivity() throws
    /// The supervisor pane's picture (supervisors only).
    func supervisor() throws -> SupervisorSnapshot
    /// Latency and SLA figures with the live load (docs/metrics.md); any responder may ask, but
    /// only supervisors get every responder's row.
    func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?) throws -> StatsReport
    /// Login of a conversation's assignee, for display.
    func login(of responder: ResponderID) throws -> String?
    /// The top window of a queue view (`mine`, `unassigned`, `open`, `breached`, `snoozed`, `aside`, `resolved`).
    func queue(_ view: String, limit: Int) throws -> [QueueRow]
    /// One window of a queue view, filtered, from the top, the bottom or either side of a row.
    func queueWindow(_ request: QueueWindowRequest) throws -> [QueueRow]
    /// A conversation with its messages, replies and notes in order, the customer's earlier
    /// conversations, the caller's draft and who else is there.
    func thread(_ id: ConversationID) throws -> ConversationThread
    /// The caller's load, the backlog and the service clock, for the status line.
    func summary() throws -> InboxSummary
    /// The event log as a stream: events after `after` (nil = only the newest id, no events), oldest first.
    func events(after: EventID?, limit: Int) throws -> EventBatch
    /// Where this client is: viewing or composing in a conversation, or nowhere. In-process: no-op.
    func setPresence(_ id: ConversationID?, composing: Bool) throws
    func addResponder(_ responder: NewResponder) throws -> Responder
    func updateResponder(_ login: String, _ changes: ResponderChanges) throws -> Responder
    func removeResponder(_ login: String) throws -> [ConversationID]
    /// Everyone with their current load (the removed too, if asked).
    func responders(includingRemoved: Bool) throws -> [ResponderLoad]
}

/// A responder with the conversations they carry now.
public struct ResponderLoad: Codable, Sendable, Equatable {
    public var responder: Responder
    public var load: Int
}

/// The service acting as one login, in this process.
public struct LocalInbox: InboxAPI {
    public let service: InboxService
    public let login: String

    public init(service: InboxService, login: String) {
        self.service = service
        self.login = login
    }

    public func claim(_ id: ConversationID) throws -> Conversation { try service.claim(id, by: login) }
    public func assign(_ id: ConversationID, to assignee: String) throws -> Conversation { try service.assign(id, to: assignee, by: login) }
    public func release(_ id: ConversationID) throws -> Conversation { try service.release(id, by: login) }
    public func resolve(_ id: ConversationID) throws -> Conversation { try service.resolve(id, by: login) }
    public func reopen(_ id: ConversationID) throws -> Conversation { try service.reopen(id, by: login) }
    public func snooze(_ id: ConversationID, until: Timestamp) throws -> Conversation { try service.snooze(id, until: until, by: login) }
    public func setPriority(_ id: ConversationID, to priority: Priority) throws -> Conversation {
        try service.setPriority(id, to: priority, by: login)
    }
    public func label(_ id: ConversationID, _ label: String, add: Bool) throws -> Conversation {
        try service.label(id, label, add: add, by: login)
    }
    public func setTriageClass(_ id: ConversationID, to triageClass: TriageClass) throws -> Conversation {
        try service.setTriageClass(id, to: triageClass, by: login)
    }
    public func addNote(_ id: ConversationID, text: String) throws -> Note { try service.addNote(id, text: text, by: login) }
    public func saveDraft(_ id: ConversationID, text: String) throws -> Reply { try service.saveDraft(id, text: text, by: login) }
    public func draft(of id: ConversationID) throws -> Reply? { try service.draft(of: id, by: login) }
    public func sendReply(_ id: ConversationID, text: String, basedOn: Timestamp?, confirmed: Bool) throws -> Reply {
        try service.sendReply(id, text: text, basedOn: basedOn, confirmed: confirmed, by: login)
    }
    public func cancelReply(_ id: ReplyID) throws -> Reply { try service.cancelReply(id, by: login) }
    public func retryReply(_ id: ReplyID) throws -> Reply { try service.retryReply(id, by: login) }
    public func reply(_ id: ReplyID) throws -> Reply { try service.reply(id, by: login) }
    public func outbox(all: Bool) throws -> [Reply] { try service.outbox(all: all, by: login) }
    public func route(policy: RoutingPolicy?) throws -> [RoutingAssignment] { try service.route(policy: policy) }
    public func supervisor() throws -> SupervisorSnapshot { try service.supervisorSnapshot(for: login) }
    public func reportActivity() throws { try service.reportActivity(of: login) }
    public func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?) throws -> StatsReport {
        try service.stats(grouping: grouping, since: since, until: until, by: login)
    }
    public func login(of responder: ResponderID) throws -> String? { try service.store.read { try $0.responder(responder)?.login } }
    public func queue(_ view: String, limit: Int) throws -> [QueueRow] { try service.queue(view, limit: limit, for: login) }
    public func queueWindow(_ request: QueueWindowRequest) throws -> [QueueRow] { try service.queueWindow(request, for: login) }
    public func thread(_ id: ConversationID) throws -> ConversationThread { try service.thread(id, for: login) }
    public func summary() throws -> InboxSummary { try service.summary(for: login) }
    public func events(after: EventID?, limit: Int) throws -> EventBatch { try service.events(after: after, limit: limit, for: login) }
    /// Nobody else shares this process's service, so there is nobody to tell.
    public func setPresence(_ id: ConversationID?, composing: Bool) throws {}
    public func addResponder(_ responder: NewResponder) throws -> Responder { try service.addResponder(responder, by: login) }
    public func updateResponder(_ target: String, _ changes: ResponderChanges) throws -> Responder {
        try service.updateResponder(target, changes, by: login)
    }
    public func removeResponder(_ target: String) throws -> [ConversationID] { try service.removeResponder(target, by: login) }
    public func responders(includingRemoved: Bool) throws -> [ResponderLoad] {
        try service.responders(includingRemoved: includingRemoved).map { ResponderLoad(responder: $0.0, load: $0.load) }
    }
}

/// Whether a refused send only needs the author's confirmation (the conversation changed
/// since the draft began), whichever way the service was reached.
public func needsConfirmation(_ error: any Error) -> Bool {
    if case .changedSinceDraft = error as? ServiceError { return true }
    return (error as? DaemonConnection.RemoteError)?.code == "changed_since_draft"
}
