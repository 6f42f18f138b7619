import EarshotCore
import EarshotStore

/// The command API: every change a person or the system makes goes through here, is checked
/// for permission, and is written with its event in one transaction. The TUI and the CLI call
/// it in-process (single-user mode) or through the daemon.
///
/// Actors are Unix logins; the caller establishes who is calling (the kernel, via the
/// daemon's socket, or the process's own user in single-user mode), never the request.
public struct InboxService: Sendable {
    public let store: any InboxStore
    public let clock: any Clock
    public var policy: AssignmentPolicy
    public var sla: SLAPolicy
    public var delivery = DeliveryPolicy()
    /// Logins that may manage responders without being supervisors: in single-user mode, the
    /// owner of the database file (or root), who could change it directly anyway. The daemon
    /// leaves this empty: its clients get rights only as responders.
    public var administrators: Set<String> = []
    /// The live accounts' states (docs/accounts.md), kept by their connectors in the daemon.
    public let accounts = AccountBoard()
    /// Staffing forecasts made this hour (`forecast(_:)`).
    public let forecasts = ForecastMemory()
    /// The wave detector's window and word counts (`detectWaves()`).
    public var waveWatch = WaveWatch()

    public init(
        store: any InboxStore, clock: any Clock, policy: AssignmentPolicy = AssignmentPolicy(), sla: SLAPolicy = SLAPolicy()
    ) {
        self.store = store
        self.clock = clock
        self.policy = policy
        self.sla = sla
    }

    /// The responder behind a login, or the refusal that tells them how to get added.
    func responder(_ login: String, in reader: any InboxReader) throws -> Responder {
        guard let responder = try reader.responder(login: login), responder.removedAt == nil else {
            throw ServiceError.notAResponder(login: login)
        }
        return responder
    }

    func conversation(_ id: ConversationID, in reader: any InboxReader) throws -> Conversation {
        guard let conversation = try reader.conversation(id) else { throw ServiceError.unknownConversation(id) }
        return conversation
    }

    /// A responder's name as others see it, for messages like "already claimed by Dana Kim".
    func name(of id: ResponderID?, in reader: any InboxReader) throws -> String {
        guard let id else { return "nobody" }
        guard let responder = try reader.responder(id) else { return "responder \(id)" }
        return "\(responder.displayName) (\(responder.login))"
    }

    /// Owner, or supervisor, or (for unassigned conversations) anyone.
    func requireOwnerOrSupervisor(
        _ actor: Responder, of conversation: Conversation, action: String, in reader: any InboxReader
    ) throws {
        guard let owner = conversation.assigneeID, owner != actor.id, actor.role != .supervisor else { return }
        throw ServiceError.notYours(conversation: conversation.id, owner: try name(of: owner, in: reader), action: action)
    }

    func event(_ kind: EventKind, by actor: Responder, detail: [String: String] = [:]) -> EventDraft {
        EventDraft(kind, by: .responder(login: actor.login), at: clock.now(), detail: detail)
    }
}
