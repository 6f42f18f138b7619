import EarshotStore
import Foundation
import GRDBSQLite

/// The floor under `earshot ingest`: the rows the pipeline writes for N generated mentions
/// (a customer for every third, the conversation, the mention with its raw payload, the
/// `opened` event), inserted by a plain loop of prepared statements through SQLite's C API into
/// a database with Earshot's schema (so its indexes and triggers run), in transactions of 5,000
/// like the pipeline's batches, each ending with the search index's flush as the store's do.
/// No parsing, threading, triage or existence checks: what the schema alone costs.
///
/// With `deferred`, the load is the design a backfill path would use: the secondary indexes
/// ingest does not read (threading reads `conversation_customer`, `mention_in_reply_to` and
/// `mention_thread`, which stay) and the search and tally triggers are dropped before the load,
/// then rebuilt in one pass each after it. Both phases are timed.
struct IngestFloor {
    let count: Int
    var deferred = false
    let start: Int64 = 1_700_000_000_000

    struct Timing {
        var load: Double
        var rebuild: Double
        var total: Double { load + rebuild }
    }

    /// Indexes a backfill could build after its load: none is read while ingesting.
    static let indexesBuiltAfter = [
        "mention_conversation", "event_conversation", "conversation_open", "conversation_mine",
        "conversation_snoozed", "conversation_recent", "conversation_unassigned", "conversation_waiting",
    ]
    static let triggersBuiltAfter = ["queue_tally_insert", "conversation_search_insert"]

    func run(database path: String) throws -> Timing {
        _ = try SQLiteInboxStore(path: path)
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchUsage("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        let loadStarted = DispatchTime.now()
        let rebuild = deferred ? try dropDeferred(db) : ""
        try exec(db, "INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'AcmeSupport', 'Acme', \(start))")
        let customer = try prepare(db, "INSERT INTO customer (platform, handle, display_name, first_seen) VALUES ('x', ?, ?, ?)")
        let conversation = try prepare(db, """
            INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable, cycle,
                cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, sla_due_at, preview)
            VALUES (1, ?, 'open', 1, 'question', 'question: "?"', 1, 1, ?, ?, ?, ?, ?, ?, ?)
            """)
        let mention = try prepare(db, """
            INSERT INTO mention (platform, external_id, channel_id, customer_id, conversation_id, cycle, kind, text, created_at,
                in_reply_to, platform_conversation_id, raw)
            VALUES ('x', ?, 1, ?, ?, 1, 'mention', ?, ?, NULL, NULL, ?) ON CONFLICT (platform, external_id) DO NOTHING
            """)
        let event = try prepare(db, "INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at) VALUES (?, ?, 'ingest', ?, ?, ?)")
        defer { [customer, conversation, mention, event].forEach { sqlite3_finalize($0) } }

        var customerID: Int64 = 0
        try exec(db, "BEGIN")
        for index in 0..<count {
            let time = start + Int64(index) * 1_000
            let text = "@AcmeSupport my order hasn't arrived yet, can you help? #\(index)"
            if index % 3 == 0 {
                try step(customer, ["customer\(index / 3)", "customer\(index / 3)", time])
                customerID = sqlite3_last_insert_rowid(db)
                try step(event, [time, "customer_added", nil, "{\"customer\":\"\(customerID)\"}", nil])
            }
            try step(conversation, [customerID, time, time, time, time, time, time + 14_400_000, text])
            let conversationID = sqlite3_last_insert_rowid(db)
            let raw = "{\"platform\":\"x\",\"external_id\":\"\(index)\",\"channel\":\"AcmeSupport\",\"author\":\"customer\(index / 3)\",\"text\":\"\(text)\"}"
            try step(mention, ["\(index)", customerID, conversationID, text, time, raw])
            try step(event, [time, "opened", conversationID, "{\"message_at\":\"\(time)\"}", time])
            if index % 5_000 == 4_999 || index == count - 1 {
                try exec(db, SQLiteSearchIndex.flushSQL + "COMMIT;" + (index == count - 1 ? "" : "BEGIN;"))
            }
        }
        try exec(db, "PRAGMA wal_checkpoint(TRUNCATE)")
        let loaded = DispatchTime.now()
        if deferred { try exec(db, "BEGIN; \(rebuild) COMMIT; PRAGMA wal_checkpoint(TRUNCATE);") }
        return Timing(load: Self.seconds(from: loadStarted, to: loaded), rebuild: Self.seconds(from: loaded, to: DispatchTime.now()))
    }

    private static func seconds(from start: DispatchTime, to end: DispatchTime) -> Double {
        Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// Drops what a backfill would build after its load; returns the SQL that builds it again:
    /// each index from its own definition, the search index and the tally from one `SELECT`
    /// each (what their migrations do), then the triggers.
    private func dropDeferred(_ db: OpaquePointer) throws -> String {
        var drop = "", rebuild = ""
        for name in Self.indexesBuiltAfter { (drop, rebuild) = (drop + "DROP INDEX \(name);", rebuild + (try definition(db, name)) + ";") }
        rebuild += """
            INSERT INTO conversation_search (rowid, body)
                SELECT conversation.id, '@' || customer.handle || ' ' || conversation.preview
                FROM conversation JOIN customer ON customer.id = conversation.customer_id;
            DELETE FROM queue_tally;
            INSERT INTO queue_tally (hour, open_routable, unassigned, waiting)
                SELECT queue_due / 3600000, count(*), sum(assignee_id IS NULL), sum(waiting_since IS NOT NULL)
                FROM conversation WHERE status = 'open' AND routable = 1 GROUP BY 1;
            """
        for name in Self.triggersBuiltAfter { (drop, rebuild) = (drop + "DROP TRIGGER \(name);", rebuild + (try definition(db, name)) + ";") }
        try exec(db, drop)
        return rebuild
    }

    private func definition(_ db: OpaquePointer, _ name: String) throws -> String {
        let statement = try prepare(db, "SELECT sql FROM sqlite_master WHERE name = '\(name)'")
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else {
            throw BenchUsage("floor: the schema has no \(name)")
        }
        return String(cString: text)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw BenchUsage("floor: \(String(cString: sqlite3_errmsg(db)))")
        }
        return statement
    }

    private func step(_ statement: OpaquePointer, _ values: [Any?]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case let number as Int64: sqlite3_bind_int64(statement, index, number)
            case let text as String: sqlite3_bind_text(statement, index, text, -1, Self.transient)
            default: sqlite3_bind_null(statement, index)
            }
        }
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else {
            throw BenchUsage("floor: \(String(cString: sqlite3_errmsg(sqlite3_db_handle(statement))))")
        }
    }

    private func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchUsage("floor: \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}
