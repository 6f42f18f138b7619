import EarshotCore
import EarshotStore

/// One conversation handed out by a routing pass.
public struct RoutingAssignment: Equatable, Sendable, Codable {
    public var conversation: ConversationID
    public var responder: ResponderID
    public var login: String
    /// Went to the customer's previous handler.
    public var sticky: Bool
}

/// Routing passes: hand the unassigned backlog out, highest priority first, then nearest SLA
/// breach, then oldest, until it is empty or nobody has room. Spam and broadcasts are never
/// in the backlog (they are not routable).
extension InboxService {
    /// One pass in one transaction, so loads and assignments are consistent even with several
    /// processes on the database. `policy` overrides the configured one (`earshot route
    /// --policy`); a manual configuration routes with `balanced` when asked explicitly.
    @discardableResult
    public func route(policy override: RoutingPolicy? = nil) throws -> [RoutingAssignment] {
        let effective = override ?? (policy.routing == .manual ? .balanced : policy.routing)
        guard effective != .manual else { return [] }
        return try store.write { writer in
            let responders = try writer.responders(includingRemoved: false)
            let loads = try writer.openLoads()
            var candidates = responders.map {
                RoutingCandidate(
                    id: $0.id, availability: $0.availability, capacity: $0.capacity, load: loads[$0.id] ?? 0,
                    lastAssignedAt: $0.lastAssignedAt)
            }
            let logins = Dictionary(uniqueKeysWithValues: responders.map { ($0.id, $0.login) })
            var assignments: [RoutingAssignment] = []
            var cursor: QueueCursor?
            var sequence = 0
            pass: while candidates.contains(where: \.canTakeWork) {
                let window = try writer.queue(.unassigned, after: cursor, limit: 200)
                guard let last = window.last else { break }
                for var conversation in window {
                    guard candidates.contains(where: \.canTakeWork) else { break pass }
                    let previous = policy.sticky
                        ? try writer.lastHandler(of: conversation.customerID, excluding: conversation.id) : nil
                    guard let chosen = Router.choose(among: candidates, policy: effective, stickyTo: previous),
                          let index = candidates.firstIndex(where: { $0.id == chosen })
                    else { continue }
                    try give(&conversation, to: chosen, in: writer)
                    let sticky = chosen == previous
                    try writer.updateConversation(conversation, because: EventDraft(
                        .assigned, by: .system, at: clock.now(),
                        detail: ["to": logins[chosen] ?? "", "policy": effective.rawValue, "sticky": sticky ? "1" : "0"]))
                    sequence += 1
                    candidates[index].load += 1
                    candidates[index].lastAssignedAt = clock.now()
                    candidates[index].passSequence = sequence
                    assignments.append(RoutingAssignment(
                        conversation: conversation.id, responder: chosen, login: logins[chosen] ?? "", sticky: sticky))
                }
                cursor = QueueCursor(after: last, in: .unassigned)
            }
            return assignments
        }
    }

    /// After anything that frees capacity or adds backlog, when routing is automatic.
    func drainIfAutomatic() throws {
        if policy.routing != .manual { try route() }
    }
}
