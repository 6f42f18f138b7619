import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore

/// Stores what a live account read: the mentions of one page and the account's cursor in one
/// transaction (a crash never skips or repeats one), through the same adapter and applier as
/// file ingest. One applier, used by one task at a time (the actor).
actor MentionIntake {
    private let store: any InboxStore
    private let applier: IngestApplier
    private let afterStoring: @Sendable () -> Void

    init(store: any InboxStore, clock: any Clock, sla: SLAPolicy, afterStoring: @escaping @Sendable () -> Void) {
        self.store = store
        let applier = IngestApplier(clock: clock, triage: ClassifierTriage())
        applier.sla = sla
        self.applier = applier
        self.afterStoring = afterStoring
    }

    /// The intake of a live account of `service`: routes what it stores unless routing is manual.
    static func routing(into service: InboxService) -> MentionIntake {
        let routes = service.policy.routing != .manual
        return MentionIntake(store: service.store, clock: service.clock, sla: service.sla) {
            if routes { _ = try? service.route() }
        }
    }

    /// What a page came to.
    struct Outcome: Sendable {
        var stored = 0
        var duplicates = 0
        var skipped: [String] = []
        var newest: Timestamp?
    }

    /// Stores `mentions` (oldest first) for `channel`, and moves `account`'s cursor to
    /// `cursor` in the same transaction when given.
    func store(
        _ mentions: [IncomingMention], channel: String, platform: Platform, account: String, cursor: String?, at now: Timestamp
    ) throws -> Outcome {
        var outcome = Outcome()
        do {
            try store.write { writer in
                outcome = Outcome()
                for var mention in mentions {
                    mention.channelHandle = channel
                    switch try applier.apply(.mention(mention), in: writer) {
                    case .stored: outcome.stored += 1
                    case .duplicate: outcome.duplicates += 1
                    case let .rejected(reason): outcome.skipped.append("\(mention.externalID): \(reason)")
                    case .deferred, .posted: break
                    }
                    outcome.newest = max(outcome.newest ?? mention.createdAt, mention.createdAt)
                }
                if let cursor {
                    try writer.setAccountCursor(account, to: cursor, channel: OutboxDeliverer.key(platform.rawValue, channel), at: now)
                }
            }
        } catch {
            applier.forgetCaches()
            throw error
        }
        if outcome.stored > 0 { afterStoring() }
        return outcome
    }

    func cursor(of account: String) throws -> String? { try store.read { try $0.accountCursor(account) } }
}
