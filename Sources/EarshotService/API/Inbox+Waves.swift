import EarshotCore
import EarshotStore

// Waves (docs/waves.md): many customers writing about the same trouble, answered together.

extension Inbox {
    /// Every wave with conversations, the longest-waiting first.
    public struct Waves: InboxRequest {
        public static let method = "wave.list"
        public init() {}
        public func handle(in context: RequestContext) throws -> [WaveSummary] { try context.service.waves(for: context.login) }
    }

    /// One wave with its conversations as queue rows.
    public struct GetWave: InboxRequest {
        public static let method = "wave.get"
        public var wave: Int64
        public init(_ wave: Int64) { self.wave = wave }
        public func handle(in context: RequestContext) throws -> WaveDetail { try context.service.wave(wave, for: context.login) }
    }

    /// Marks a wave to answer together under a name, or starts one from a conversation (supervisors).
    public struct OpenWave: InboxRequest {
        public static let method = "wave.open"
        public var target: WaveTarget
        public var name: String
        public init(_ target: WaveTarget, name: String) { (self.target, self.name) = (target, name) }
        public func handle(in context: RequestContext) throws -> Wave { try context.service.openWave(target, name: name, by: context.login) }
    }

    /// Moves one wave's conversations into another (supervisors).
    public struct MergeWaves: InboxRequest {
        public static let method = "wave.merge"
        public var from: Int64
        public var into: Int64
        public init(_ from: Int64, into: Int64) { (self.from, self.into) = (from, into) }
        public func handle(in context: RequestContext) throws -> Wave { try context.service.mergeWaves(from, into: into, by: context.login) }
    }

    /// Takes a conversation out of its wave (supervisors); answers with the wave it left.
    public struct TakeOutOfWave: InboxRequest {
        public static let method = "wave.out"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Int64 { try context.service.takeOutOfWave(conversation, by: context.login) }
    }

    /// Answers each customer of a wave with a reply of their own; `variants` maps a language
    /// code (`en`, `es`, `ja`) to the answer's text.
    public struct AnswerWave: InboxRequest {
        public static let method = "wave.answer"
        public var wave: Int64
        public var variants: [String: String]
        public init(_ wave: Int64, variants: [String: String]) { (self.wave, self.variants) = (wave, variants) }
        public func handle(in context: RequestContext) throws -> WaveAnswerReport {
            try context.service.answerWave(wave, variants: variants, by: context.login)
        }
    }
}
