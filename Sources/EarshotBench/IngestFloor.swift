import EarshotStore
import Foundation
import GRDBSQLite

/// The floor under `earshot ingest`: the rows the pipeline writes for N generated mentions
/// (a customer for every third, the conversation, the mention with its raw payload, the
/// `opened` event), inserted by a plain loop of prepared statements through SQLite's C API into
/// a database with Earshot's schema (so its indexes and triggers run), in transactions of 5,000
/// like the pipeline's batches, each ending with the search index's flush as the store's do.
/// No parsing, threading, triage or existence checks: what the schema alone costs.
struct IngestFloor {
    let count: Int
    let start: Int64 = 1_700_000_000_000

    func run(database path: String) throws -> Double {
        _ = try SQLiteInboxStore(path: path)
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK, let db else { throw BenchUsage("cannot open \(path)") }
        defer { sqlite3_close(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
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

        let started = DispatchTime.now()
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
        return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
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
