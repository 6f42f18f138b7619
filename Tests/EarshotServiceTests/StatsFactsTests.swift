import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import GRDB
import EarshotTestSupport
import Testing

/// Reports from the wait facts against reports from the event log replayed (the way every
/// report was made before issue 18), on a generated history of 100,000 conversations with
/// second turns, history imported out of order, reopened cycles, merges and resolves by
/// nobody, then again after the history changes under them.
@Suite struct StatsFactsTests {
    static let count = 100_000
    static let start: Int64 = 1_700_000_000_000

    @Test(.timeLimit(.minutes(5))) func factsGiveTheSameReportsAsTheEventLogOnAGeneratedHistory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/stats.sqlite"
        _ = try SQLiteInboxStore(path: path)
        try DatabaseQueue(path: path).write { try $0.execute(sql: Self.history) }
        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let engine = StatsEngine(store: store, sla: SLAPolicy(), clock: SystemClock())
        #expect(try store.read { try $0.hasStaleWaitFacts() })

        try expectSameReports(engine)
        #expect(try !store.read { try $0.hasStaleWaitFacts() })
        let facts = try store.read { reader in
            var kinds: [WaitFactKind: Int] = [:]
            try reader.forEachWaitFact(from: nil, to: nil, responders: true) { kinds[$0.kind, default: 0] += 1 }
            return kinds
        }
        // Every kind is there in numbers (the comparison is not of two empty reports).
        #expect(WaitFactKind.allCases.allSatisfy { (facts[$0] ?? 0) > Self.count / 20 }, "\(facts)")

        // The history moves on: replies to waiting conversations, priorities changed, a merge.
        try DatabaseQueue(path: path).write { try $0.execute(sql: Self.changes) }
        #expect(try store.read { try $0.hasStaleWaitFacts() })
        try expectSameReports(engine)
    }

    private func expectSameReports(_ engine: StatsEngine) throws {
        let day: Int64 = 86_400_000
        let cases: [(StatsGrouping, Timestamp?, Timestamp?)] = StatsGrouping.allCases.map { ($0, nil, nil) } + [
            (.responder, Timestamp(millisecondsSinceEpoch: Self.start + 3 * day), Timestamp(millisecondsSinceEpoch: Self.start + 5 * day)),
            (.hour, Timestamp(millisecondsSinceEpoch: Self.start + 30 * day), nil),
        ]
        for (grouping, since, until) in cases {
            let fromFacts = try engine.report(grouping: grouping, since: since, until: until)
            let fromLog = try engine.reportFromEventLog(grouping: grouping, since: since, until: until)
            #expect(fromFacts == fromLog, "\(grouping) \(String(describing: since)) \(String(describing: until))")
            #expect(fromFacts.total.firstResponse.count > 0)
        }
    }

    /// Conversation i opens at start + 30 s·i. Every third gets a second message, every fifth
    /// of those before an earlier-stamped reply (imported out of order); all but every tenth are
    /// answered by one of 20 agents, every seventh twice; half are resolved (every ninth of those
    /// by nobody), every eleventh resolved one is reopened by its customer and answered again;
    /// every thousandth is merged into the one before it.
    static let history = """
        INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'AcmeSupport', 'Acme', \(start)),
            (2, 'mastodon', 'acme@example.social', 'Acme', \(start));
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
        INSERT INTO customer (id, platform, handle, display_name, first_seen) SELECT i, 'x', 'customer' || i, 'C', \(start) FROM n;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
        INSERT INTO conversation (id, channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
            cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview)
            SELECT i, 1 + i % 2, 1 + i % 1000, 'open', i % 4, 'question', 'test', 1, 1,
                \(start) + i * 30000, \(start) + i * 30000, \(start) + i * 30000, \(start) + i * 30000, 'where is it?' FROM n;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at, 'opened', 'ingest', id, '{}', created_at FROM conversation;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 3600000, 'ingested', 'ingest', id, '{}', created_at + (id * 7 % 5400) * 1000
            FROM conversation WHERE id % 3 = 0;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + (id * 7919 % 21600) * 1000, 'replied', 'responder:agent' || (1 + id % 20), id, '{}',
                created_at + (id * 7919 % 21600) * 1000
            FROM conversation WHERE id % 10 != 1;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 30000000, 'replied', 'responder:agent' || (1 + id % 13), id, '{}', NULL
            FROM conversation WHERE id % 7 = 0 AND id % 10 != 1;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 40000000, 'resolved', CASE WHEN id % 9 = 0 THEN 'system' ELSE 'responder:agent' || (1 + id % 20) END,
                id, '{}', NULL
            FROM conversation WHERE id % 2 = 0;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 50000000, 'reopened', 'ingest', id, '{}', created_at + 50000000
            FROM conversation WHERE id % 22 = 0;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 52000000, 'replied', 'responder:agent3', id, '{}', created_at + 52000000
            FROM conversation WHERE id % 44 = 0;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 60000000, 'merged', 'ingest', id - 1, '{"from":"' || id || '"}', NULL
            FROM conversation WHERE id % 1000 = 999;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 60000000, 'resolved', 'ingest', id, '{"merged_into":"' || (id - 1) || '"}', NULL
            FROM conversation WHERE id % 1000 = 999;
        """

    static let changes = """
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            SELECT created_at + 70000000, 'replied', 'responder:agent5', id, '{}', created_at + 70000000
            FROM conversation WHERE id % 10 = 1 AND id % 17 = 0;
        UPDATE conversation SET priority = (priority + 1) % 4 WHERE id % 19 = 0;
        UPDATE conversation SET channel_id = 3 - channel_id WHERE id % 23 = 0;
        INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
            VALUES (\(start) + 90000000000, 'merged', 'ingest', 5000, '{"from":"5001"}', NULL),
                   (\(start) + 90000000000, 'resolved', 'ingest', 5001, '{"merged_into":"5000"}', NULL);
        """
}
