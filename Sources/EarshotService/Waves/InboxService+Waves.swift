import EarshotCore
import EarshotStore

/// A wave's conversations as the waves pane lists them.
public struct WaveDetail: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var member: WaveMember
        public var row: QueueRow
    }

    public var summary: WaveSummary
    public var members: [Member]
}

/// What answering a wave queued.
public struct WaveAnswerReport: Codable, Sendable, Equatable {
    public var wave: Int64
    /// One reply per customer, in delivery order.
    public var replies: [ReplyID]
    /// Members left alone: already answered, or their conversation is no longer open.
    public var skipped: [ConversationID]
    /// When the last reply is due to go out.
    public var lastDeliveryAt: Timestamp?
}

extension InboxService {
    /// Every wave with members, the longest-waiting first.
    public func waves(for login: String) throws -> [WaveSummary] {
        try store.read { reader in
            _ = try responder(login, in: reader)
            return try reader.waveSummaries()
        }
    }

    /// One wave with its conversations as queue rows, in the order they joined (one read).
    public func wave(_ id: Int64, for login: String) throws -> WaveDetail {
        let now = clock.now()
        return try store.read { reader in
            _ = try responder(login, in: reader)
            guard try reader.wave(id) != nil else { throw ServiceError.invalid("there is no wave \(id); `earshot wave list` shows them") }
            guard let summary = try reader.waveSummaries(only: id).first else { throw ServiceError.invalid("wave \(id) has no conversations left") }
            let members = try reader.waveMembers(id)
            let conversations = try members.compactMap { try reader.conversation($0.conversationID) }
            let rows = try queueRows(conversations, channels: try reader.channels(), in: reader, now: now) {
                QueuePosition(sortKey: 0, id: $0.id)
            }
            let byID = Dictionary(rows.map { ($0.conversation.id, $0) }, uniquingKeysWith: { first, _ in first })
            return WaveDetail(summary: summary, members: members.compactMap { member in
                byID[member.conversationID].map { .init(member: member, row: $0) }
            })
        }
    }

    /// Marks a wave as one the team answers together, under `name` (supervisors). A
    /// conversation id instead of a wave starts a wave of that conversation, whose topic is
    /// the name's words: later messages on it join.
    @discardableResult
    public func openWave(_ target: WaveTarget, name: String, by login: String) throws -> Wave {
        let name = try FieldLimits.clean(name, "the wave's name", limit: 80).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ServiceError.invalid("a wave needs a name: `:wave open checkout fails`") }
        return try store.write { writer in
            let actor = try supervisor(login, action: "opening a wave", in: writer)
            switch target {
            case let .wave(id):
                guard var wave = try writer.wave(id) else { throw ServiceError.invalid("there is no wave \(id); `earshot wave list` shows them") }
                guard wave.state != .answered else { throw ServiceError.wrongState("wave \(id) is already answered") }
                wave.name = name
                wave.state = .open
                wave.openedBy = actor.login
                try writer.updateWave(wave)
                return wave
            case let .conversation(id):
                let conversation = try self.conversation(id, in: writer)
                guard conversation.status == .open else { throw ServiceError.wrongState("conversation \(id) is not open") }
                if let member = try writer.waveMember(of: id), member.leftAt == nil {
                    throw ServiceError.wrongState("conversation \(id) is already in wave \(member.waveID); take it out first (`:wave out`)")
                }
                let words = TopicWords.of(name)
                guard !words.isEmpty else {
                    throw ServiceError.invalid("\"\(name)\" has no topic word to match new messages on (three letters or more, not a common word)")
                }
                let wave = try writer.insertWave(name: name, topic: words.sorted().joined(separator: " "), state: .open, at: clock.now(), openedBy: actor.login)
                let text = try writer.mentions(in: id).last?.text ?? ""
                try writer.putWaveMember(WaveMember(conversationID: id, waveID: wave.id, joinedAt: clock.now(),
                                                    messageAt: conversation.lastCustomerMessageAt, language: MessageLanguage.guess(text)))
                return wave
            }
        }
    }

    /// Moves every conversation of wave `from` into wave `into` (supervisors).
    public func mergeWaves(_ from: Int64, into: Int64, by login: String) throws -> Wave {
        guard from != into else { throw ServiceError.invalid("a wave cannot be merged into itself") }
        return try store.write { writer in
            let actor = try supervisor(login, action: "merging waves", in: writer)
            guard try writer.wave(from) != nil else { throw ServiceError.invalid("there is no wave \(from)") }
            guard let before = try writer.wave(into) else { throw ServiceError.invalid("there is no wave \(into)") }
            guard before.state != .answered else { throw ServiceError.wrongState("wave \(into) is already answered; merge into a wave still waiting") }
            try writer.mergeWave(from, into: into)
            // A merge is a supervisor's decision: the wave is theirs to answer together now.
            var target = try writer.wave(into) ?? before
            if target.state == .detected {
                target.state = .open
                target.openedBy = actor.login
                try writer.updateWave(target)
            }
            return target
        }
    }

    /// Takes a conversation out of its wave (supervisors): it is answered on its own.
    public func takeOutOfWave(_ id: ConversationID, by login: String) throws -> Int64 {
        try store.write { writer in
            _ = try supervisor(login, action: "taking a conversation out of a wave", in: writer)
            guard let member = try writer.waveMember(of: id), member.leftAt == nil else {
                throw ServiceError.wrongState("conversation \(id) is in no wave")
            }
            try writer.leaveWave(id, at: clock.now())
            return member.waveID
        }
    }

    private func supervisor(_ login: String, action: String, in reader: any InboxReader) throws -> Responder {
        let actor = try responder(login, in: reader)
        guard actor.role == .supervisor else { throw ServiceError.supervisorsOnly(action: action) }
        return actor
    }
}

/// What `:wave open NAME` marks: a wave, or a conversation that starts one.
/// On the wire `{"wave": 3}` or `{"conversation": 812}`.
public enum WaveTarget: Codable, Sendable, Equatable {
    case wave(Int64)
    case conversation(ConversationID)

    private enum CodingKeys: String, CodingKey { case wave, conversation }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let wave = try container.decodeIfPresent(Int64.self, forKey: .wave) {
            self = .wave(wave)
        } else if let conversation = try container.decodeIfPresent(ConversationID.self, forKey: .conversation) {
            self = .conversation(conversation)
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: "a target is {\"wave\": ID} or {\"conversation\": ID}"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .wave(id): try container.encode(id, forKey: .wave)
        case let .conversation(id): try container.encode(id, forKey: .conversation)
        }
    }
}
