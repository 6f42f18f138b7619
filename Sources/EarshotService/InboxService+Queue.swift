import EarshotCore
import EarshotStore

/// Queue views by name, as the CLI and the protocol ask for them.
extension InboxService {
    public static let queueViews = ["mine", "unassigned", "open", "breached", "snoozed", "aside", "resolved"]

    /// One window of a view; `mine` is the caller's, `resolved` is since the start of today (UTC).
    public func queue(_ view: String, limit: Int, for login: String) throws -> [QueueRow] {
        guard Self.queueViews.contains(view) else {
            throw ServiceError.invalid("no queue view \"\(view)\"; use one of \(Self.queueViews.joined(separator: ", "))")
        }
        guard (1...10_000).contains(limit) else { throw ServiceError.invalid("limit must be between 1 and 10000") }
        let now = clock.now()
        return try store.read { reader in
            let me = try responder(login, in: reader)
            let queueView: QueueView
            switch view {
            case "mine": queueView = .mine(me.id)
            case "open": queueView = .allOpen
            case "breached": queueView = .breached(now: now)
            case "snoozed": queueView = .snoozed
            case "aside": queueView = .setAside
            case "resolved": queueView = .resolved(since: Timestamp(secondsSinceEpoch: now.millisecondsSinceEpoch / 86_400_000 * 86_400))
            default: queueView = .unassigned
            }
            return try reader.queue(queueView, after: nil, limit: limit).map { conversation in
                QueueRow(
                    conversation: conversation, customer: try reader.customer(conversation.customerID)?.handle ?? "?",
                    assignee: try conversation.assigneeID.flatMap { try reader.responder($0) }?.login)
            }
        }
    }
}
