import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// What the TUI asks while a responder scrolls: windows of 50 rows of a queue view (top,
/// bottom, after and before a row in the middle, filtered, searched), the summary line and a
/// thread, over N conversations, through `LocalInbox` (the service, rows assembled as clients
/// get them). The baseline is the store's own top window of the open view: the index range
/// alone, without names, positions or SLA marks.
struct QueueBenchmark {
    let count: Int
    let directory: String?
    static let rows = 50

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments)
        (count, directory) = (options.count, options.directory)
    }

    var start: Int64 { 1_700_000_000_000 }
    /// An hour after the newest conversation: most of the backlog is past due.
    var now: Timestamp { Timestamp(millisecondsSinceEpoch: start + Int64(count) * 30_000 + 3_600_000) }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-queue-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/queue-\(count).sqlite"
        if !FileManager.default.fileExists(atPath: path) { try generate(path) }

        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let service = InboxService(store: store, clock: ManualClock(now))
        let inbox = LocalInbox(service: service, login: "agent4")
        let baseline = try Self.median { _ = try store.read { try $0.queue(.allOpen, after: nil, limit: Self.rows) } }

        func report(_ name: String, goal: Double? = nil, _ body: () throws -> Void) throws {
            BenchReport.line(
                name: "queue: \(name), \(count.formatted()) conversations", value: try Self.median(body),
                baselineName: "the store's top window of the open view", baseline: baseline, goal: goal)
        }
        func window(_ view: QueueViewName, _ anchor: QueueAnchor = .first, _ filter: QueueFilter = QueueFilter()) throws -> [QueueRow] {
            try inbox.send(Inbox.Queue(view: view, filter: filter, anchor: anchor, limit: Self.rows))
        }
        // A row about halfway down the open view, to page from.
        let middle = try store.read { reader -> QueuePosition in
            let id = ConversationID(Int64(count / 2 + 3))
            guard let conversation = try reader.conversation(id) else { throw BenchUsage("no conversation \(id)") }
            let cursor = QueueCursor(after: conversation, in: .allOpen)
            return QueuePosition(sortKey: cursor.sortKey, id: cursor.id)
        }
        for (name, anchor) in [("first", QueueAnchor.first), ("last", .last), ("after a middle row", .after(middle)),
                               ("before a middle row", .before(middle))] {
            try report("open \(name)") { _ = try window(.open, anchor) }
        }
        for view in QueueViewName.allCases where view != .open {
            try report("\(view) first") { _ = try window(view) }
            try report("\(view) last") { _ = try window(view, .last) }
        }
        try report("open, priority urgent") { _ = try window(.open, .first, QueueFilter(priority: .urgent)) }
        try report("open, label refund (1%)") { _ = try window(.open, .first, QueueFilter(label: "refund")) }
        try report("open, search \"has not\" (all match)") { _ = try window(.open, .first, QueueFilter(search: "has not")) }
        try report("open, search \"@customer77\" (1% match)") { _ = try window(.open, .last, QueueFilter(search: "@customer77")) }
        try searches(path: path) { text in _ = try window(.open, .first, QueueFilter(search: text)) }
        // The status bar: mine, unassigned, breached and the oldest wait (issue 18: ≤ 5 ms).
        try report("summary", goal: 0.005) { _ = try inbox.send(Inbox.Summary()) }
        try report("thread") { _ = try inbox.send(Inbox.GetThread(ConversationID(Int64(count / 2 + 3)))) }
    }

    /// Searches that each match one conversation's preview (issue 18: p99 ≤ 50 ms), beside
    /// sqlite3 running LIKE over the same text (what search was before the index), newest first.
    private func searches(path: String, _ search: (String) throws -> Void) throws {
        let texts = (0..<100).map { "order \(1 + ($0 * 9_973 + count / 2) % count) has" }
        try search(texts[0])
        var times: [Double] = []
        for text in texts { times.append(try StatsBenchmark.time { try search(text) }) }
        times.sort()
        let like = try Self.median {
            try Shell.run("/usr/bin/sqlite3", [path, "SELECT id FROM conversation WHERE preview LIKE '%\(texts[0])%' ORDER BY id DESC LIMIT 50;"])
        }
        BenchReport.line(
            name: "queue: search matching one conversation, p99 of 100 (p50 \(BenchReport.seconds(times[49]))), \(count.formatted()) conversations",
            value: times[98], baselineName: "sqlite3 LIKE over the same text", baseline: like, goal: 0.050)
    }

    /// The median of 11 runs after one warm-up, in seconds.
    static func median(_ body: () throws -> Void) throws -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<11 { times.append(try StatsBenchmark.time(body)) }
        return times.sorted()[times.count / 2]
    }

    /// Writes the backlog with SQL (the benchmark measures reading it): 5% resolved, 5% snoozed,
    /// 5% spam, the rest open with a fifth assigned to 20 responders; SLA due times by priority
    /// from each conversation's start; 1% labelled refund; 100,000 customers.
    private func generate(_ path: String) throws {
        _ = try SQLiteInboxStore(path: path)
        let now = now.millisecondsSinceEpoch
        let script = """
            PRAGMA synchronous = OFF;
            BEGIN;
            \(BenchFixtures.teamAndCustomers(at: start))
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO conversation (id, channel_id, customer_id, status, snoozed_until, priority, triage_class, triage_reason,
                routable, assignee_id, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since,
                sla_due_at, preview)
                SELECT i, 1, 1 + i % 100000,
                    CASE i % 20 WHEN 0 THEN 'resolved' WHEN 1 THEN 'snoozed' ELSE 'open' END,
                    CASE WHEN i % 20 = 1 THEN \(now) + (i % 1000) * 60000 END,
                    i % 4, CASE WHEN i % 20 = 2 THEN 'spam' ELSE 'question' END, 'bench', i % 20 != 2,
                    CASE WHEN i % 5 = 3 THEN 1 + i % 20 END,
                    1, \(start) + i * 30000, \(start) + i * 30000,
                    CASE WHEN i % 20 = 0 THEN \(now) - (\(count) - i) * 3 ELSE \(start) + i * 30000 END,
                    \(start) + i * 30000,
                    CASE WHEN i % 20 != 0 THEN \(start) + i * 30000 END,
                    CASE WHEN i % 20 = 0 OR i % 50 = 7 THEN NULL
                         ELSE \(start) + i * 30000 + CASE i % 4 WHEN 3 THEN 900000 WHEN 2 THEN 3600000 WHEN 1 THEN 14400000 ELSE 86400000 END
                    END,
                    'order ' || i || ' has not arrived'
                FROM n;
            INSERT INTO conversation_label (conversation_id, label) SELECT id, 'refund' FROM conversation WHERE id % 100 = 5;
            \(SQLiteSearchIndex.flushSQL)
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Shell.run("/usr/bin/sqlite3", [path, script])
    }
}
