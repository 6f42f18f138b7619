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
    /// Latency and SLA figures with the live load (docs/metrics.md); any responder may ask.
    func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?) throws -> StatsReport
    /// Login of a conversation's assignee, for display.
    func login(of responder: ResponderID) throws -> String?
    /// One window of a queue view (`mine`, `unassigned`, `open`, `breached`, `snoozed`, `aside`, `resolved`).
    func queue(_ view: String, limit: Int) throws -> [QueueRow]
    func addResponder(_ responder: NewResponder) throws -> Responder
    func updateResponder(_ login: String, _ changes: ResponderChanges) throws -> Responder
    func removeResponder(_ login: String) throws -> [ConversationID]
    /// Everyone with their current load (the removed too, if asked).
    func responders(includingRemoved: Bool) throws -> [ResponderLoad]
}

/// A queue row as shown: the conversation, its customer's handle and its assignee's login.
public struct QueueRow: Codable, Sendable, Equatable {
    public var conversation: Conversation
    public var customer: String
    public var assignee: String?
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
    public func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?) throws -> StatsReport {
        try service.stats(grouping: grouping, since: since, until: until, by: login)
    }
    public func login(of responder: ResponderID) throws -> String? { try service.store.read { try $0.responder(responder)?.login } }
    public func queue(_ view: String, limit: Int) throws -> [QueueRow] { try service.queue(view, limit: limit, for: login) }
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
