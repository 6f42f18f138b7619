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
    /// The latest customer message among its members (read with the active waves, not stored).
    public var lastMessageAt: Timestamp?

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
    /// When it left the wave (its customer wrote again, or a supervisor took it out); it joins none again.
    public var leftAt: Timestamp?

    public init(conversationID: ConversationID, waveID: Int64, joinedAt: Timestamp, messageAt: Timestamp,
                language: MessageLanguage, replyID: ReplyID? = nil, leftAt: Timestamp? = nil) {
        (self.conversationID, self.waveID, self.joinedAt, self.messageAt, self.language, self.replyID, self.leftAt)
            = (conversationID, waveID, joinedAt, messageAt, language, replyID, leftAt)
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

    public init(wave: Wave, size: Int = 0, answered: Int = 0, channels: [String] = [], languages: [MessageLanguage] = [],
                oldestWaitSince: Timestamp? = nil) {
        (self.wave, self.size, self.answered, self.channels, self.languages, self.oldestWaitSince)
            = (wave, size, answered, channels, languages, oldestWaitSince)
    }
}
