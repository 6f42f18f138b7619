import EarshotCore
import GRDB
import GRDBSQLite

/// Per-conversation facts metrics need beside the timelines, by conversation id.
public struct ConversationFacts: Sendable {
    public var channel: ChannelID
    public var priority: Priority
    public var status: ConversationStatus
}

extension SQLiteSession {
    /// Every conversation's timeline from the event log, one conversation at a time, in
    /// conversation order (the event index), reading columns by position: this runs over
    /// millions of events. A conversation that absorbed another (a late parent merged two
    /// threads) gets the absorbed one's messages and replies at the point of the merge.
    func forEachTimeline(_ body: (ConversationID, [TimelineEntry]) throws -> Void) throws {
        var absorbedInto: [Int64: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT conversation_id, detail FROM event WHERE kind = 'merged'") {
            let target: Int64 = row[0]
            if let source = Int64(EventDetailCoding.decode(row[1])["from"] ?? "") { absorbedInto[source] = target }
        }
        var parked: [Int64: [TimelineEntry]] = [:]
        var heldTargets: [Int64: [(mergedFrom: Int64?, entry: TimelineEntry?)]] = [:]
        var current: Int64 = -1
        var entries: [TimelineEntry] = []
        var mergePoints: [Int] = []

        func finish() throws {
            guard current >= 0 else { return }
            if absorbedInto[current] != nil {
                // The shell's own resolve only marked the merge; its messages belong to the target.
                parked[current] = entries.filter { if case .resolved = $0 { false } else { true } }
            } else if !mergePoints.isEmpty {
                heldTargets[current] = []
                var cut = 0
                for position in mergePoints {
                    heldTargets[current]! += entries[cut..<position].map { (nil, $0) }
                    heldTargets[current]!.append((-1, nil))
                    cut = position
                }
                heldTargets[current]! += entries[cut...].map { (nil, $0) }
            } else {
                try body(ConversationID(current), entries)
            }
        }

        let statement = try db.cachedStatement(sql: """
            SELECT conversation_id, kind, at, occurred_at, actor FROM event
            WHERE conversation_id IS NOT NULL ORDER BY conversation_id, id
            """)
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            let conversation = sqlite3_column_int64(handle, 0)
            if conversation != current {
                try finish()
                current = conversation
                entries.removeAll(keepingCapacity: true)
                mergePoints.removeAll()
            }
            let kind = Self.text(handle, 1)
            let at = Timestamp(millisecondsSinceEpoch: sqlite3_column_int64(handle, 2))
            let occurred = sqlite3_column_type(handle, 3) == SQLITE_NULL
                ? nil : Timestamp(millisecondsSinceEpoch: sqlite3_column_int64(handle, 3))
            switch kind {
            case "opened", "ingested":
                if let occurred { entries.append(.customerMessage(at: occurred)) }
            case "reopened":
                // The customer writing again carries the message time; a person's reopen does not.
                if let occurred {
                    entries.append(.cycleStarted(at: occurred))
                    entries.append(.customerMessage(at: occurred))
                } else {
                    entries.append(.cycleStarted(at: at))
                }
            case "replied":
                entries.append(.reply(at: occurred ?? at, responder: Self.login(Self.text(handle, 4)) ?? "system"))
            case "resolved":
                entries.append(.resolved(at: at, by: Self.login(Self.text(handle, 4))))
            case "merged":
                // Merge events name their source in the detail; their position is what matters here.
                mergePoints.append(entries.count)
            default:
                break
            }
        }
        try finish()
        // Conversations that absorbed others: splice the parked entries in at the merge points.
        let sourcesByTarget = Dictionary(grouping: absorbedInto.keys, by: { absorbedInto[$0]! })
        for (target, pieces) in heldTargets.sorted(by: { $0.key < $1.key }) {
            var sources = (sourcesByTarget[target] ?? []).sorted()[...]
            var merged: [TimelineEntry] = []
            for piece in pieces {
                if let entry = piece.entry {
                    merged.append(entry)
                } else if let source = sources.popFirst() {
                    merged += parked.removeValue(forKey: source) ?? []
                }
            }
            try body(ConversationID(target), merged)
        }
    }

    /// Channel, priority and status of every conversation, indexed by id.
    func conversationFacts() throws -> [Int64: ConversationFacts] {
        var facts: [Int64: ConversationFacts] = [:]
        let statement = try db.cachedStatement(sql: "SELECT id, channel_id, priority, status FROM conversation")
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        while sqlite3_step(handle) == SQLITE_ROW {
            facts[sqlite3_column_int64(handle, 0)] = ConversationFacts(
                channel: ChannelID(sqlite3_column_int64(handle, 1)),
                priority: Priority(rawValue: Int(sqlite3_column_int64(handle, 2))) ?? .normal,
                status: ConversationStatus(rawValue: Self.text(handle, 3)) ?? .open)
        }
        return facts
    }

    static func text(_ handle: OpaquePointer, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: bytes)
    }

    /// `responder:dana` → `dana`; other actors have no login.
    static func login(_ actor: String) -> String? {
        actor.hasPrefix("responder:") ? String(actor.dropFirst("responder:".count)) : nil
    }
}
