import EarshotCore
import GRDB

/// A wave as stored (docs/waves.md).
public struct Wave: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Found by the detector; nobody has looked yet.
        case detected
        /// Marked by a supervisor (`:wave open NAME`).
        case open
        /// Answered: each member has its own reply queued.
        case answered
    }

    public var id: Int64
    public var name: String
    /// The topic words the detector matches new messages on, space-separated.
    public var topic: String
    public var state: State
    public var createdAt: Timestamp
    /// Who marked it open, if anyone.
    public var openedBy: String?

    public init(id: Int64, name: String, topic: String, state: State, createdAt: Timestamp, openedBy: String? = nil) {
        (self.id, self.name, self.topic, self.state, self.createdAt, self.openedBy) = (id, name, topic, state, createdAt, openedBy)
    }

    public var topicWords: Set<String> { Set(topic.split(separator: " ").map(String.init)) }
}

/// A conversation in a wave.
public struct WaveMember: Codable, Sendable, Equatable {
    public var conversationID: ConversationID
    public var waveID: Int64
    public var joinedAt: Timestamp
    /// The customer message that put it in the wave.
    public var messageAt: Timestamp
    public var language: MessageLanguage
    /// The reply the wave's answer queued for this customer.
    public var replyID: ReplyID?

    public init(conversationID: ConversationID, waveID: Int64, joinedAt: Timestamp, messageAt: Timestamp,
                language: MessageLanguage, replyID: ReplyID? = nil) {
        (self.conversationID, self.waveID, self.joinedAt, self.messageAt, self.language, self.replyID)
            = (conversationID, waveID, joinedAt, messageAt, language, replyID)
    }
}

/// A wave as the queue shows it: one row with its size, channels, languages and oldest wait.
public struct WaveSummary: Codable, Sendable, Equatable {
    public var wave: Wave
    public var size: Int
    public var answered: Int
    /// Channel handles, sorted.
    public var channels: [String]
    public var languages: [MessageLanguage]
    public var oldestWaitSince: Timestamp?
}

/// A customer message the wave detector has not read yet.
public struct WaveMessage: Sendable, Equatable {
    public var mentionID: Int64
    public var conversationID: ConversationID
    public var text: String
    public var at: Timestamp
    /// Whether its conversation is open now (a resolved one joins no wave).
    public var conversationOpen: Bool
}

/// Plain statements that read the same on both stores: the wave tables are written once for
/// SQLite and PostgreSQL (`?` placeholders, rows by column name).
protocol PlainStatements {
    func plainRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func plainExecute(_ sql: String, _ arguments: [DatabaseValue]) throws
}

extension SQLiteSession: PlainStatements {
    func plainRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
    }

    func plainExecute(_ sql: String, _ arguments: [DatabaseValue]) throws {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
    }
}

extension PostgresSession: PlainStatements {
    func plainRows(_ query: String, _ arguments: [DatabaseValue]) throws -> [Row] { try sql.rows(query, arguments) }
    func plainExecute(_ query: String, _ arguments: [DatabaseValue]) throws { try sql.execute(query, arguments) }
}

extension PlainStatements {
    private static func wave(_ row: Row) -> Wave {
        Wave(id: row["id"], name: row["name"], topic: row["topic"], state: Wave.State(rawValue: row["state"]) ?? .detected,
             createdAt: Timestamp(millisecondsSinceEpoch: row["created_at"]), openedBy: row["opened_by"])
    }

    private static func member(_ row: Row) -> WaveMember {
        WaveMember(
            conversationID: ConversationID(row["conversation_id"] as Int64), waveID: row["wave_id"],
            joinedAt: Timestamp(millisecondsSinceEpoch: row["joined_at"]), messageAt: Timestamp(millisecondsSinceEpoch: row["message_at"]),
            language: MessageLanguage(rawValue: row["language"]) ?? .english, replyID: (row["reply_id"] as Int64?).map(ReplyID.init))
    }

    func wave(_ id: Int64) throws -> Wave? {
        try plainRows("SELECT * FROM wave WHERE id = ?", [id.databaseValue]).first.map(Self.wave)
    }

    func activeWaves() throws -> [Wave] {
        try plainRows("SELECT * FROM wave WHERE state <> 'answered' ORDER BY id", []).map(Self.wave)
    }

    func waveSummaries() throws -> [WaveSummary] {
        let waves = try plainRows("SELECT * FROM wave WHERE id IN (SELECT wave_id FROM wave_member) ORDER BY id", []).map(Self.wave)
        var summaries = Dictionary(uniqueKeysWithValues: waves.map {
            ($0.id, WaveSummary(wave: $0, size: 0, answered: 0, channels: [], languages: [], oldestWaitSince: nil))
        })
        for row in try plainRows("""
            SELECT wave_member.wave_id, wave_member.language, wave_member.reply_id, channel.handle, conversation.waiting_since
            FROM wave_member JOIN conversation ON conversation.id = wave_member.conversation_id
            JOIN channel ON channel.id = conversation.channel_id
            """, []) {
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
        return summaries.values.map { summary in
            var sorted = summary
            sorted.channels.sort()
            sorted.languages.sort()
            return sorted
        }.sorted {
            ($0.oldestWaitSince?.millisecondsSinceEpoch ?? .max, $0.wave.id) < ($1.oldestWaitSince?.millisecondsSinceEpoch ?? .max, $1.wave.id)
        }
    }

    func waveMembers(_ wave: Int64) throws -> [WaveMember] {
        try plainRows("SELECT * FROM wave_member WHERE wave_id = ? ORDER BY joined_at, conversation_id", [wave.databaseValue]).map(Self.member)
    }

    func waveMember(of conversation: ConversationID) throws -> WaveMember? {
        try plainRows("SELECT * FROM wave_member WHERE conversation_id = ?", [conversation.rawValue.databaseValue]).first.map(Self.member)
    }

    func waveProgress() throws -> Int64 {
        try plainRows("SELECT last_mention_id FROM wave_progress WHERE id = 1", []).first?[0] ?? 0
    }

    func customerMessages(afterMention last: Int64, limit: Int) throws -> [WaveMessage] {
        try plainRows("""
            SELECT mention.id, mention.conversation_id, mention.text, mention.created_at, conversation.status
            FROM mention JOIN conversation ON conversation.id = mention.conversation_id
            WHERE mention.id > ? AND mention.kind IN ('mention', 'reply') ORDER BY mention.id LIMIT ?
            """, [last.databaseValue, limit.databaseValue]).map { row in
            WaveMessage(mentionID: row["id"], conversationID: ConversationID(row["conversation_id"] as Int64), text: row["text"],
                        at: Timestamp(millisecondsSinceEpoch: row["created_at"]), conversationOpen: (row["status"] as String) == "open")
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
            INSERT INTO wave_member (conversation_id, wave_id, joined_at, message_at, language, reply_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (conversation_id) DO UPDATE SET wave_id = excluded.wave_id, joined_at = excluded.joined_at,
                message_at = excluded.message_at, language = excluded.language, reply_id = excluded.reply_id
            """, [member.conversationID.rawValue.databaseValue, member.waveID.databaseValue, member.joinedAt.millisecondsSinceEpoch.databaseValue,
                  member.messageAt.millisecondsSinceEpoch.databaseValue, member.language.rawValue.databaseValue,
                  member.replyID?.rawValue.databaseValue ?? .null])
    }

    func removeWaveMember(_ conversation: ConversationID) throws {
        try plainExecute("DELETE FROM wave_member WHERE conversation_id = ?", [conversation.rawValue.databaseValue])
    }

    /// Moves every member of `from` into `into` and forgets `from`.
    func mergeWave(_ from: Int64, into: Int64) throws {
        try plainExecute("UPDATE wave_member SET wave_id = ? WHERE wave_id = ?", [into.databaseValue, from.databaseValue])
        try plainExecute("DELETE FROM wave WHERE id = ?", [from.databaseValue])
    }

    func setWaveProgress(_ mention: Int64) throws {
        try plainExecute("UPDATE wave_progress SET last_mention_id = ? WHERE id = 1", [mention.databaseValue])
    }
}
