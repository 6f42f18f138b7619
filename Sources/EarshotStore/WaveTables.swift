import EarshotCore
import GRDB

/// A customer message the wave detector has not read yet.
public struct WaveMessage: Sendable, Equatable {
    public var mentionID: Int64
    public var conversationID: ConversationID
    public var text: String
    public var at: Timestamp
    /// Whether its conversation is open and routable now (a resolved one, or spam and
    /// broadcasts set aside by triage, join no wave).
    public var conversationOpen: Bool
}

/// Plain statements that read the same on both stores: the wave tables are written once for
/// SQLite and PostgreSQL (`?` placeholders, rows by column name).
protocol PlainStatements {
    func plainRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func plainExecute(_ sql: String, _ arguments: [DatabaseValue]) throws
}

extension SQLiteSession: PlainStatements {
    // Cached: the detector runs these for every message.
    func plainRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments))
    }

    func plainExecute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments))
    }
}

extension PostgresSession: PlainStatements {
    func plainRows(_ query: String, _ arguments: [DatabaseValue]) throws -> [Row] { try sql.rows(query, arguments) }
    func plainExecute(_ query: String, _ arguments: [DatabaseValue]) throws { try sql.execute(query, arguments) }
}

extension PlainStatements {
    private static func wave(_ row: Row) -> Wave {
        var wave = Wave(id: row["id"], name: row["name"], topic: row["topic"], state: Wave.State(rawValue: row["state"]) ?? .detected,
                        createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]), openedBy: row["opened_by"])
        if row.hasColumn("last_message_at") { wave.lastMessageAt = (row["last_message_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)) }
        return wave
    }

    private static func member(_ row: Row) -> WaveMember {
        WaveMember(
            conversationID: ConversationID(row["conversation_id"] as Int64), waveID: row["wave_id"],
            joinedAt: Timestamp(millisecondsSinceEpoch: row["joined_at"]), messageAt: Timestamp(millisecondsSinceEpoch: row["message_at"]),
            language: MessageLanguage(rawValue: row["language"]) ?? .english, replyID: (row["reply_id"] as Int64?).map(ReplyID.init),
            leftAt: (row["left_at"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)))
    }

    func wave(_ id: Int64) throws -> Wave? {
        try plainRows("SELECT * FROM wave WHERE id = ?", [id.databaseValue]).first.map(Self.wave)
    }

    func activeWaves() throws -> [Wave] {
        try plainRows("""
            SELECT wave.*, (SELECT max(message_at) FROM wave_member WHERE wave_member.wave_id = wave.id) AS last_message_at
            FROM wave WHERE state <> 'answered' ORDER BY id
            """, []).map(Self.wave)
    }

    func waveSummaries(only: Int64?) throws -> [WaveSummary] {
        // One wave: `only` matches it; all: -1 matches none of the "only" tests.
        let filter = (only ?? -1).databaseValue
        let waves = try plainRows("""
            SELECT * FROM wave WHERE id IN (SELECT wave_id FROM wave_member WHERE left_at IS NULL) AND (? < 0 OR id = ?) ORDER BY id
            """, [filter, filter]).map(Self.wave)
        var summaries = Dictionary(uniqueKeysWithValues: waves.map {
            ($0.id, WaveSummary(wave: $0, size: 0, answered: 0, channels: [], languages: [], oldestWaitSince: nil))
        })
        for row in try plainRows("""
            SELECT wave_member.wave_id, wave_member.language, wave_member.reply_id, channel.handle, conversation.waiting_since
            FROM wave_member JOIN conversation ON conversation.id = wave_member.conversation_id
            JOIN channel ON channel.id = conversation.channel_id
            WHERE wave_member.left_at IS NULL AND (? < 0 OR wave_member.wave_id = ?)
            """, [filter, filter]) {
            let id: Int64 = row["wave_id"]
            guard var summary = summaries[id] else { continue }
            summary.size += 1
            if (row["reply_id"] as Int64?) != nil { summary.answered += 1 }
            let handle: String = row["handle"]
            if !summary.channels.contains(handle) { summary.channels.append(handle) }
            if let language = MessageLanguage(rawValue: row["language"]), !summary.languages.contains(language) { summary.languages.append(language) }
            if let waiting: Int64 = row["waiting_since"] {
                summary.oldestWaitSince = min(summary.oldestWaitSince ?? Timestamp(millisecondsSinceEpoch: waiting), Timestamp(millisecondsSinceEpoch: waiting))
            }
            summaries[id] = summary
        }
        var sorted: [WaveSummary] = summaries.values.map { summary in
            var tidy = summary
            tidy.channels.sort()
            tidy.languages.sort()
            return tidy
        }
        sorted.sort { left, right in
            let leftWait = left.oldestWaitSince?.millisecondsSinceEpoch ?? .max
            let rightWait = right.oldestWaitSince?.millisecondsSinceEpoch ?? .max
            return leftWait != rightWait ? leftWait < rightWait : left.wave.id < right.wave.id
        }
        return sorted
    }

    func waveMembers(_ wave: Int64) throws -> [WaveMember] {
        try plainRows("SELECT * FROM wave_member WHERE wave_id = ? AND left_at IS NULL ORDER BY joined_at, conversation_id", [wave.databaseValue]).map(Self.member)
    }

    func waveMember(of conversation: ConversationID) throws -> WaveMember? {
        try plainRows("SELECT * FROM wave_member WHERE conversation_id = ?", [conversation.rawValue.databaseValue]).first.map(Self.member)
    }

    func waveProgress() throws -> Int64 {
        try plainRows("SELECT last_mention_id FROM wave_progress WHERE id = 1", []).first?[0] ?? 0
    }

    func customerMessages(afterMention last: Int64, limit: Int) throws -> [WaveMessage] {
        try plainRows("""
            SELECT mention.id, mention.conversation_id, mention.text, mention.created_at, conversation.status, conversation.routable
            FROM mention JOIN conversation ON conversation.id = mention.conversation_id
            WHERE mention.id > ? AND mention.kind IN ('mention', 'reply') ORDER BY mention.id LIMIT ?
            """, [last.databaseValue, limit.databaseValue]).map { row in
            WaveMessage(mentionID: row["id"], conversationID: ConversationID(row["conversation_id"] as Int64), text: row["text"],
                        at: Timestamp(millisecondsSinceEpoch: row["created_at"]),
                        conversationOpen: (row["status"] as String) == "open" && (row["routable"] as Int64) == 1)
        }
    }

    func insertWave(name: String, topic: String, state: Wave.State, at: Timestamp, openedBy: String?) throws -> Wave {
        let row = try plainRows("INSERT INTO wave (name, topic, state, created_at, opened_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                [name.databaseValue, topic.databaseValue, state.rawValue.databaseValue, at.millisecondsSinceEpoch.databaseValue,
                                 openedBy.databaseValue])
        return Wave(id: row.first?[0] ?? 0, name: name, topic: topic, state: state, createdAt: at, openedBy: openedBy)
    }

    func updateWave(_ wave: Wave) throws {
        try plainExecute("UPDATE wave SET name = ?, topic = ?, state = ?, opened_by = ? WHERE id = ?",
                         [wave.name.databaseValue, wave.topic.databaseValue, wave.state.rawValue.databaseValue, wave.openedBy.databaseValue,
                          wave.id.databaseValue])
    }

    func putWaveMember(_ member: WaveMember) throws {
        try plainExecute("""
            INSERT INTO wave_member (conversation_id, wave_id, joined_at, message_at, language, reply_id, left_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (conversation_id) DO UPDATE SET wave_id = excluded.wave_id, joined_at = excluded.joined_at,
                message_at = excluded.message_at, language = excluded.language, reply_id = excluded.reply_id, left_at = excluded.left_at
            """, [member.conversationID.rawValue.databaseValue, member.waveID.databaseValue, member.joinedAt.millisecondsSinceEpoch.databaseValue,
                  member.messageAt.millisecondsSinceEpoch.databaseValue, member.language.rawValue.databaseValue,
                  member.replyID?.rawValue.databaseValue ?? .null, member.leftAt?.millisecondsSinceEpoch.databaseValue ?? .null])
    }

    func leaveWave(_ conversation: ConversationID, at time: Timestamp) throws {
        try plainExecute("UPDATE wave_member SET left_at = ? WHERE conversation_id = ? AND left_at IS NULL",
                         [time.millisecondsSinceEpoch.databaseValue, conversation.rawValue.databaseValue])
    }

    /// Moves every member of `from` into `into` and forgets `from`; `into` takes both topics,
    /// so later messages on either join it.
    func mergeWave(_ from: Int64, into: Int64) throws {
        guard let source = try wave(from), var target = try wave(into) else { return }
        target.topic = target.topicWords.union(source.topicWords).sorted().joined(separator: " ")
        try updateWave(target)
        try plainExecute("UPDATE wave_member SET wave_id = ? WHERE wave_id = ?", [into.databaseValue, from.databaseValue])
        try plainExecute("DELETE FROM wave WHERE id = ?", [from.databaseValue])
    }

    func setWaveProgress(_ mention: Int64) throws {
        try plainExecute("UPDATE wave_progress SET last_mention_id = ? WHERE id = 1", [mention.databaseValue])
    }
}
