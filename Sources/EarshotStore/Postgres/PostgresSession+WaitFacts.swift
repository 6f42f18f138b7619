import EarshotCore
import GRDB
import PostgresNIO
import Synchronization

extension PostgresSession {
    /// `SQLiteSession.refreshWaitFacts` on PostgreSQL: the events streamed into the same scan,
    /// the facts written in multi-row inserts sent without waiting between them.
    func refreshWaitFacts(limit: Int) throws -> Bool {
        let (pending, watermark, more) = try WaitFacts.batch(limit: limit) { query, arguments in
            try sql.rows(query, arguments).map { ($0["a"], $0["b"]) }
        } execute: { query, arguments in
            try sql.execute(query, arguments)
        }
        try sql.execute("UPDATE wait_fact_progress SET last_event_id = ?", [watermark])
        guard !pending.isEmpty else { return more }
        let work = try WaitFactWork(pending: pending) { query in
            // Rows by column name: a PostgreSQL row's columns come back unordered.
            try sql.rows(query).map { ($0["conversation_id"] as Int64, EventDetailCoding.decode($0["detail"])) }
        }
        let scan = TimelineScanAccumulator(work.scan)
        try streamEvents("""
            SELECT conversation_id, kind, at, occurred_at, actor FROM event
            WHERE conversation_id IN (\(WaitFactWork.list(work.members))) ORDER BY conversation_id, id
            """, into: scan)
        let targets = WaitFactWork.list(work.targets)
        var facts: [Int64: (channel: ChannelID, priority: Priority)] = [:]
        for row in try sql.rows("SELECT id, channel_id, priority FROM conversation WHERE id IN (\(targets))") {
            facts[row["id"]] = (ChannelID(row["channel_id"] as Int64), Priority(rawValue: row["priority"]) ?? .normal)
        }
        var computed: [(conversation: Int64, facts: [WaitFact])] = []
        try scan.buffer.withLock { buffer in
            try buffer.deliver { conversation, entries in
                guard work.targets.contains(conversation.rawValue), let fact = facts[conversation.rawValue] else { return }
                computed.append((conversation.rawValue, WaitFacts.facts(of: entries, channel: fact.channel, priority: fact.priority)))
            }
        }
        let responderIDs = try numbers(of: Set(computed.flatMap { $0.facts.compactMap(\.responder) }))
        var rows: [[PostgresSQL.Argument]] = []
        for (conversation, list) in computed {
            for (seq, row) in list.enumerated() {
                rows.append([
                    row.at, conversation, seq, Int64(row.kind.rawValue), row.milliseconds, row.responder.flatMap { responderIDs[$0] },
                    row.channel.rawValue, row.priority.rawValue,
                ])
            }
        }
        var statements: [(sql: String, arguments: [PostgresSQL.Argument])] = [
            ("DELETE FROM wait_fact WHERE conversation_id IN (\(targets))", []),
        ]
        // 8 parameters a row; PostgreSQL takes at most 65,535 in one statement.
        for chunk in stride(from: 0, to: rows.count, by: 1_000).map({ rows[$0..<min($0 + 1_000, rows.count)] }) {
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
            statements.append((
                "INSERT INTO wait_fact (at, conversation_id, seq, kind, ms, responder_id, channel_id, priority) VALUES \(values)",
                chunk.flatMap { $0 }))
        }
        statements.append(("DELETE FROM wait_fact_pending WHERE conversation_id IN (\(targets))", []))
        try sql.executePipelined(statements)
        return more
    }

    /// The numbers of responder names in `wait_fact_responder`, numbering the new ones.
    private func numbers(of names: Set<String>) throws -> [String: Int64] {
        var known: [String: Int64] = [:]
        for row in try sql.rows("SELECT name, id FROM wait_fact_responder") { known[row["name"]] = row["id"] }
        let missing = names.subtracting(known.keys)
        guard !missing.isEmpty else { return known }
        try sql.executePipelined(missing.map { ("INSERT INTO wait_fact_responder (name) VALUES (?) ON CONFLICT (name) DO NOTHING", [$0]) })
        for row in try sql.rows("SELECT name, id FROM wait_fact_responder") { known[row["name"]] = row["id"] }
        return known
    }

    func waitFactTimes() throws -> ClosedRange<Int64>? {
        guard let row = try sql.row("SELECT (SELECT min(at) FROM wait_fact) AS first, (SELECT max(at) FROM wait_fact) AS last"),
              let first = row["first"] as Int64?, let last = row["last"] as Int64?
        else { return nil }
        return first...last
    }

    func hasStaleWaitFacts() throws -> Bool {
        try sql.value(WaitFacts.staleSQL) ?? false
    }

    /// Read a page at a time in key order, so a report over all history never holds every row.
    func forEachWaitFact(from: Int64?, to: Int64?, responders: Bool, _ body: (WaitFact) throws -> Void) throws {
        let names = WaitFactResponders(try sql.rows("SELECT id, name FROM wait_fact_responder").map { ($0["id"], $0["name"]) })
        var after: (at: Int64, conversation: Int64, seq: Int64) = (from ?? .min, .min, .min)
        let page = 50_000
        while true {
            // Every row's key is kept, even one of a kind this build does not know, so a page
            // ends where the server's did.
            let collected = Mutex<[(fact: WaitFact?, at: Int64, conversation: Int64, seq: Int64)]>([])
            try sql.forEach("""
                SELECT kind, at, ms, responder_id, channel_id, priority, conversation_id, seq FROM wait_fact
                WHERE (at, conversation_id, seq) > (?, ?, ?) AND at < ? ORDER BY at, conversation_id, seq LIMIT \(page)
                """, [after.at, after.conversation, after.seq, to ?? .max]) { row in
                let cells = row.makeRandomAccess()
                let at = try cells[1].decode(Int64.self)
                let fact = try WaitFactKind(rawValue: UInt8(truncatingIfNeeded: try cells[0].decode(Int64.self))).map { kind in
                    WaitFact(
                        kind: kind, at: at, milliseconds: try cells[2].decode(Int64.self),
                        responder: responders ? try cells[3].decode(Int64?.self).flatMap { names[$0] } : nil,
                        channel: ChannelID(try cells[4].decode(Int64.self)),
                        priority: Priority(rawValue: Int(try cells[5].decode(Int64.self))) ?? .normal)
                }
                let key = (try cells[6].decode(Int64.self), try cells[7].decode(Int64.self))
                collected.withLock { $0.append((fact, at, key.0, key.1)) }
            }
            let rows = collected.withLock { $0 }
            for row in rows { if let fact = row.fact { try body(fact) } }
            guard rows.count == page, let last = rows.last else { return }
            after = (last.at, last.conversation, last.seq)
        }
    }
}
