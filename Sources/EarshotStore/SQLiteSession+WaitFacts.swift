import EarshotCore
import GRDB
import GRDBSQLite

extension SQLiteSession {
    /// Recomputes the facts of a batch of conversations whose timeline changed (`WaitFacts.batch`).
    func refreshWaitFacts(limit: Int) throws -> Bool {
        let (pending, watermark, more) = try WaitFacts.batch(limit: limit) { sql, arguments in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { ($0["a"], $0["b"]) }
        } execute: { sql, arguments in
            try db.execute(sql: sql, arguments: StatementArguments(arguments))
        }
        try db.execute(sql: "UPDATE wait_fact_progress SET last_event_id = ?", arguments: [watermark])
        guard !pending.isEmpty else { return more }
        let work = try WaitFactWork(pending: pending) { sql in
            try Row.fetchAll(db, sql: sql).map { ($0[0] as Int64, EventDetailCoding.decode($0[1])) }
        }
        var scan = work.scan
        try scanEvents(try db.makeStatement(sql: """
            SELECT conversation_id, kind, at, occurred_at, actor FROM event
            WHERE conversation_id IN (\(WaitFactWork.list(work.members))) ORDER BY conversation_id, id
            """), into: &scan)
        var facts: [Int64: (channel: ChannelID, priority: Priority)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, channel_id, priority FROM conversation WHERE id IN (\(WaitFactWork.list(work.targets)))") {
            facts[row[0]] = (ChannelID(row[1] as Int64), Priority(rawValue: row[2]) ?? .normal)
        }
        try db.execute(sql: "DELETE FROM wait_fact WHERE conversation_id IN (\(WaitFactWork.list(work.targets)))")
        var responderIDs = try Dictionary(
            Row.fetchAll(db, sql: "SELECT name, id FROM wait_fact_responder").map { ($0[0] as String, $0[1] as Int64) },
            uniquingKeysWith: { first, _ in first })
        func number(_ name: String?) throws -> Int64? {
            guard let name else { return nil }
            if let id = responderIDs[name] { return id }
            try db.execute(sql: "INSERT INTO wait_fact_responder (name) VALUES (?)", arguments: [name])
            responderIDs[name] = db.lastInsertedRowID
            return db.lastInsertedRowID
        }
        try scan.deliver { conversation, entries in
            guard work.targets.contains(conversation.rawValue), let fact = facts[conversation.rawValue] else { return }
            for (seq, row) in WaitFacts.facts(of: entries, channel: fact.channel, priority: fact.priority).enumerated() {
                var insert = try DirectStatement(db, """
                    INSERT INTO wait_fact (at, conversation_id, seq, kind, ms, responder_id, channel_id, priority)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                insert.bind(row.at)
                insert.bind(conversation.rawValue)
                insert.bind(seq)
                insert.bind(Int64(row.kind.rawValue))
                insert.bind(row.milliseconds)
                insert.bind(try number(row.responder))
                insert.bind(row.channel.rawValue)
                insert.bind(row.priority.rawValue)
                try insert.execute(in: db)
            }
        }
        try db.execute(sql: "DELETE FROM wait_fact_pending WHERE conversation_id IN (\(WaitFactWork.list(work.targets)))")
        return more
    }

    func waitFactTimes() throws -> ClosedRange<Int64>? {
        guard let row = try Row.fetchOne(db, sql: "SELECT (SELECT min(at) FROM wait_fact), (SELECT max(at) FROM wait_fact)"),
              let first = row[0] as Int64?, let last = row[1] as Int64?
        else { return nil }
        return first...last
    }

    /// Whether any conversation's facts wait to be recomputed.
    func hasStaleWaitFacts() throws -> Bool {
        try Bool.fetchOne(db, sql: WaitFacts.staleSQL) ?? false
    }

    /// The facts whose time is in [from, to), in time order, read column by column; responders
    /// by number, named from one small table read first.
    func forEachWaitFact(from: Int64?, to: Int64?, responders: Bool, _ body: (WaitFact) throws -> Void) throws {
        let names = WaitFactResponders(try Row.fetchAll(db, sql: "SELECT id, name FROM wait_fact_responder").map { ($0[0], $0[1]) })
        let statement = try db.cachedStatement(sql: """
            SELECT kind, at, ms, responder_id, channel_id, priority FROM wait_fact WHERE at >= ? AND at < ?
            """)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        sqlite3_bind_int64(handle, 1, from ?? .min)
        sqlite3_bind_int64(handle, 2, to ?? .max)
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            guard let kind = WaitFactKind(rawValue: UInt8(truncatingIfNeeded: sqlite3_column_int64(handle, 0))) else { continue }
            let responder = responders && sqlite3_column_type(handle, 3) != SQLITE_NULL
                ? names[sqlite3_column_int64(handle, 3)] : nil
            try body(WaitFact(
                kind: kind, at: sqlite3_column_int64(handle, 1), milliseconds: sqlite3_column_int64(handle, 2),
                responder: responder, channel: ChannelID(sqlite3_column_int64(handle, 4)),
                priority: Priority(rawValue: Int(sqlite3_column_int64(handle, 5))) ?? .normal))
        }
    }
}
