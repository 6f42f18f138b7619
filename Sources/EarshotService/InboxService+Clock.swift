import EarshotCore
import EarshotStore

/// What one clock tick changed.
public struct TickReport: Equatable, Sendable {
    public var woke: [ConversationID] = []
    public var wentAway: [String] = []
    public var returnedToQueue: [ConversationID] = []
    public var routed: [RoutingAssignment] = []
    public var waves = WaveReport()
}

/// Time-driven rules, run by the daemon every few seconds (and by tests with a manual clock):
/// snoozes wake, idle responders become away, untouched assignments return to the queue, and
/// the backlog drains into whatever capacity that freed.
extension InboxService {
    @discardableResult
    public func tick() throws -> TickReport {
        var report = try store.write { writer -> TickReport in
            var report = TickReport()
            let now = clock.now()
            report.woke = try wakeSnoozes(now: now, in: writer)
            if policy.idleAwayMinutes > 0 {
                let cutoff = now.adding(seconds: -Int64(policy.idleAwayMinutes) * 60)
                for var responder in try writer.responders(includingRemoved: false)
                where responder.availability == .available && (responder.lastActiveAt.map { $0 < cutoff } ?? false) {
                    responder.availability = .away
                    try writer.updateResponder(responder, because: EventDraft(
                        .availabilityChanged, by: .system, at: now,
                        detail: ["availability": "away", "reason": "idle \(policy.idleAwayMinutes) min"]))
                    report.wentAway.append(responder.login)
                }
            }
            if policy.returnToQueueMinutes > 0 {
                let cutoff = now.adding(seconds: -Int64(policy.returnToQueueMinutes) * 60)
                for var conversation in try writer.untouchedAssignments(before: cutoff, limit: 10_000) {
                    let owner = try conversation.assigneeID.flatMap { try writer.responder($0) }?.login ?? ""
                    conversation.unassign(at: now)
                    try writer.updateConversation(conversation, because: EventDraft(
                        .released, by: .system, at: now,
                        detail: ["from": owner, "reason": "untouched \(policy.returnToQueueMinutes) min"]))
                    report.returnedToQueue.append(conversation.id)
                }
            }
            return report
        }
        if policy.routing != .manual { report.routed = try route() }
        report.waves = try detectWaves()
        return report
    }

    private func wakeSnoozes(now: Timestamp, in writer: any InboxWriter) throws -> [ConversationID] {
        var woke: [ConversationID] = []
        while true {
            let due = try writer.queue(.snoozed, after: nil, limit: 200).filter { ($0.snoozedUntil ?? now) <= now }
            if due.isEmpty { return woke }
            for var conversation in due {
                conversation.wake(at: now)
                try writer.updateConversation(conversation, because: EventDraft(.woke, by: .system, at: now))
                woke.append(conversation.id)
            }
        }
    }
}
