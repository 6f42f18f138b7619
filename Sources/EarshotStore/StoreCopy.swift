import EarshotCore
import GRDB

/// Moves a whole inbox from one store to another (`earshot db copy`): every table, every row,
/// ids kept, so the event log, the outbox and the live accounts' cursors carry on where they
/// were. The target must be empty and at the same schema version; rows go over in batches of
/// multi-row INSERTs, tables in the order their references need.
public enum StoreCopy {
    /// Tables in reference order, each with the column its rows are paged by (nil: small tables
    /// read whole), and the columns the database computes itself.
    static let tables: [(name: String, key: String?)] = [
        ("channel", "id"), ("customer", "id"), ("responder", "id"), ("conversation", "id"),
        ("conversation_label", nil), ("mention", "id"), ("reply", "id"), ("note", "id"), ("event", "id"),
        ("brand_post", "id"), ("triage_override", "id"), ("account_cursor", nil),
        ("wave", "id"), ("wave_member", "conversation_id"),
    ]
    static let generated: Set<String> = ["queue_due", "drain_key"]
    static let batch = 500

    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Copies `source` into `target`; `progress` hears each table's rows as they go.
    public static func copy(from source: any InboxStore, to target: any InboxStore, progress: (String, Int) -> Void = { _, _ in }) throws {
        guard let from = source as? any TableAccess, let to = target as? any TableAccess else {
            throw Refusal(description: "copying needs a SQLite or PostgreSQL store at both ends")
        }
        let (sourceSchema, targetSchema) = (try from.schemaVersions(), try to.schemaVersions())
        guard sourceSchema == targetSchema else {
            throw Refusal(description: "the source's schema (\(sourceSchema.last ?? "none")) and the target's (\(targetSchema.last ?? "none")) differ: "
                          + "run `earshot db init` on the older one with this earshot first")
        }
        guard try target.read({ try $0.counts() }) == StoreCounts(), try to.count("account_cursor") == 0,
              try to.count("conversation_label") == 0, try to.count("triage_override") == 0 else {
            throw Refusal(description: "the target already holds an inbox; copying refuses to mix two: give an empty database")
        }
        for (table, key) in tables {
            var copied = 0
            var after: Int64 = Int64.min
            var offset = 0
            while true {
                let rows: [Row]
                if let key {
                    rows = try from.rows("SELECT * FROM \(table) WHERE \(key) > ? ORDER BY \(key) LIMIT ?", [after.databaseValue, batch.databaseValue])
                } else {
                    rows = try from.rows("SELECT * FROM \(table) ORDER BY 1, 2 LIMIT ? OFFSET ?", [batch.databaseValue, offset.databaseValue])
                }
                guard let first = rows.first else { break }
                let columns = Array(first.columnNames).filter { !generated.contains($0) }
                try to.insert(into: table, columns: columns, rows: rows.map { row in columns.map { row[$0] as DatabaseValue } })
                copied += rows.count
                offset += rows.count
                if let key { after = rows.last![key] }
                progress(table, copied)
                if rows.count < batch { break }
            }
        }
        try to.finishCopy(tables: tables.compactMap { $0.key == "id" ? $0.name : nil })
        // The wave detector carries on after the copied messages, not from the first of them.
        try to.run("UPDATE wave_progress SET last_mention_id = (SELECT coalesce(max(id), 0) FROM mention) WHERE id = 1")
    }
}

/// What copying needs of a store: raw rows and multi-row inserts, beside the typed API.
protocol TableAccess {
    func schemaVersions() throws -> [String]
    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func count(_ table: String) throws -> Int
    func insert(into table: String, columns: [String], rows: [[DatabaseValue]]) throws
    /// After rows with explicit ids: new rows must get ids above them.
    func finishCopy(tables: [String]) throws
    /// One statement in a transaction of its own.
    func run(_ sql: String) throws
}

extension TableAccess {
    /// `INSERT INTO table (columns) VALUES (?, …), (?, …)…`
    static func insertSQL(_ table: String, _ columns: [String], rows: Int) -> String {
        let one = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + Array(repeating: one, count: rows).joined(separator: ", ")
    }
}

extension SQLiteInboxStore: TableAccess {
    func schemaVersions() throws -> [String] { try appliedMigrations() }

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try pool.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) }
    }

    func count(_ table: String) throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    func insert(into table: String, columns: [String], rows: [[DatabaseValue]]) throws {
        try pool.write { db in
            try db.execute(sql: Self.insertSQL(table, columns, rows: rows.count), arguments: StatementArguments(rows.flatMap { $0 }))
            if indexesSearch { try SQLiteSearchIndex.flush(db) }
        }
    }

    /// SQLite hands out the next rowid above the largest: nothing to do.
    func finishCopy(tables: [String]) throws {}

    func run(_ sql: String) throws {
        try pool.write { db in try db.execute(sql: sql) }
    }
}

extension PostgresInboxStore: TableAccess {
    func schemaVersions() throws -> [String] { try appliedMigrations() }

    func rows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try transaction(begin: "BEGIN READ ONLY") { sql2 in try sql2.rows(sql, arguments) }
    }

    func count(_ table: String) throws -> Int {
        try transaction(begin: "BEGIN READ ONLY") { sql in try sql.value("SELECT count(*) FROM \(table)") ?? 0 }
    }

    func insert(into table: String, columns: [String], rows: [[DatabaseValue]]) throws {
        try transaction(begin: "BEGIN") { sql in
            _ = try sql.execute(Self.insertSQL(table, columns, rows: rows.count), rows.flatMap { $0 })
        }
    }

    func run(_ sql: String) throws {
        try transaction(begin: "BEGIN") { connection in _ = try connection.execute(sql) }
    }

    /// Identity columns count on from the largest id copied.
    func finishCopy(tables: [String]) throws {
        try transaction(begin: "BEGIN") { sql in
            for table in tables {
                _ = try sql.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)")
            }
        }
    }
}
