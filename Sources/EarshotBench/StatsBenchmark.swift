import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// `earshot stats --by responder` and `--by day` over N conversations with about 3N events,
/// beside sqlite3's own `SELECT count(*)` scan of the event table; plus the cost of the live
/// SLA state for one screen of queue rows.
struct StatsBenchmark {
    let count: Int
    let directory: String?

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments)
        (count, directory) = (options.count, options.directory)
    }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-stats-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/stats.sqlite"
        if !FileManager.default.fileExists(atPath: path) { try generate(path) }

        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let events = try store.read { try $0.counts().events }
        let engine = StatsEngine(store: store, sla: SLAPolicy(), clock: SystemClock())
        let baseline = try Self.time { try Shell.run("/usr/bin/sqlite3", [path, "SELECT count(*) FROM event;"]) }
        // A history written around Earshot (here with SQL) has its wait facts computed once, by
        // the first report; Earshot's own writes leave only their conversations to recompute.
        let refresh = try Self.time { try store.refreshWaitFacts() }
        BenchReport.line(
            name: "wait facts computed once for \(count.formatted()) conversations written by SQL", value: refresh,
            baselineName: "sqlite3 SELECT count(*) FROM event", baseline: baseline)
        for grouping in StatsGrouping.allCases {
            var rows = 0
            let seconds = try Self.time { rows = try engine.report(grouping: grouping).rows.count }
            BenchReport.line(
                name: "stats --by \(grouping.rawValue): \(count.formatted()) conversations, \(events.formatted()) events (\(rows) rows)",
                value: seconds, baselineName: "sqlite3 SELECT count(*) FROM event", baseline: baseline, goal: 1)
        }
        // The last 24 hours of the history (its newest conversation opened at start + 30 s × count).
        let newest = Self.start + Int64(count) * 30_000
        let since = Timestamp(millisecondsSinceEpoch: newest - 86_400_000)
        let dayBaseline = try Self.time {
            try Shell.run("/usr/bin/sqlite3", [path, "SELECT count(*) FROM event WHERE at >= \(since.millisecondsSinceEpoch);"])
        }
        for grouping in [StatsGrouping.responder, .hour] {
            var rows = 0
            let seconds = try Self.time { rows = try engine.report(grouping: grouping, since: since).rows.count }
            BenchReport.line(
                name: "stats --by \(grouping.rawValue) --since (last 24 h of \(count.formatted()) conversations, \(rows) rows)",
                value: seconds, baselineName: "sqlite3 SELECT count(*) FROM event of the last 24 h", baseline: dayBaseline, goal: 0.1)
        }
        // One screen of the queue with its live SLA states: cost per row, not per queue.
        let policy = SLAPolicy()
        // A tenth of the conversations still wait; the open view lists them.
        var states = 0
        let now = SystemClock().now()
        let screen = try Self.time {
            let window = try store.read { try $0.queue(.allOpen, after: nil, limit: 50) }
            states = window.compactMap { policy.state(of: $0, now: now) }.count
        }
        let single = try Self.time { _ = try store.read { try $0.queue(.allOpen, after: nil, limit: 1) } }
        BenchReport.line(
            name: "queue window of 50 rows with live SLA state (\(states) states)", value: screen,
            baselineName: "a window of 1 row", baseline: single)
    }

    /// The generated history's first conversation opens here.
    static let start: Int64 = 1_700_000_000_000

    static func time(_ body: () throws -> Void) throws -> Double {
        let started = DispatchTime.now()
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    }

    /// Writes the history with SQL (fast; the benchmark measures reading it): every conversation
    /// opens with a customer message; a third get a follow-up; all are answered by one of 20
    /// responders within 0–6 hours; half are resolved. About 2.8 events per conversation.
    func generate(_ path: String) throws {
        _ = try SQLiteInboxStore(path: path)
        let start = Self.start
        let script = """
            PRAGMA synchronous = OFF;
            BEGIN;
            \(BenchFixtures.teamAndCustomers(at: start))
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO conversation (id, channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, last_reply_at, preview)
                SELECT i, 1, 1 + i % 100000, CASE WHEN i % 2 = 0 THEN 'resolved' WHEN i % 10 = 1 THEN 'open' ELSE 'pending' END,
                    i % 4, 'question', 'bench', 1,
                    1, \(start) + i * 30000, \(start) + i * 30000, \(start) + i * 30000, \(start) + i * 30000,
                    CASE WHEN i % 10 = 1 THEN \(start) + i * 30000 END,
                    CASE WHEN i % 10 = 1 THEN NULL ELSE \(start) + i * 30000 + (i * 7919 % 21600) * 1000 END, 'where is my order?'
                FROM n;
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                SELECT created_at, 'opened', 'ingest', id, '{"message_at":"' || created_at || '"}', created_at FROM conversation;
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                SELECT created_at + 60000, 'ingested', 'ingest', id, '{"message_at":"' || (created_at + 60000) || '"}', created_at + 60000
                FROM conversation WHERE id % 3 = 0;
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                SELECT last_reply_at, 'replied', 'responder:agent' || (1 + id % 20), id, '{"sent_at":"' || last_reply_at || '"}', last_reply_at
                FROM conversation WHERE last_reply_at IS NOT NULL;
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                SELECT last_reply_at + 600000, 'resolved', 'responder:agent' || (1 + id % 20), id, '{}', NULL
                FROM conversation WHERE status = 'resolved';
            \(SQLiteSearchIndex.flushSQL)
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Shell.run("/usr/bin/sqlite3", [path, script])
    }
}
