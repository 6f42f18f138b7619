/// Finds waves in the stream of customer messages (docs/waves.md): a topic word that many
/// conversations' latest messages share within a short window, far more often than the same
/// word's usual rate. Pure and in memory: the caller feeds it each message once, in time order,
/// and keeps the waves it finds.
///
/// Cost per message is a few dictionary operations per topic word, whatever the size of the
/// inbox: the detector only holds the window's sightings and a day of hourly counts per word.
public struct WaveDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// How close together the messages of a wave are.
        public var window: Int64 = 30 * 60_000
        /// Conversations that must share the word within the window.
        public var minimum = 5
        /// How many times its usual rate the word must be seen at (the usual rate from the last day).
        public var burstFactor = 3.0
        public init() {}
    }

    public struct Sighting: Sendable, Equatable {
        public var conversation: ConversationID
        public var at: Int64
        public var words: Set<String>
        public var language: MessageLanguage
    }

    public let settings: Settings
    private static let hour: Int64 = 3_600_000
    /// Per word, the window's sightings, oldest first.
    private var recent: [String: [Sighting]] = [:]
    /// Per word, sightings per hour over the last day (hour index → count).
    private var hourly: [String: [Int64: Int]] = [:]
    private var latest: Int64 = .min

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Records a customer's message; answers the words now bursting among them, each with the
    /// conversations of the window that share it (this one included), oldest first.
    public mutating func observe(
        _ conversation: ConversationID, words: Set<String>, language: MessageLanguage = .english, at time: Int64
    ) -> [(word: String, sightings: [Sighting])] {
        latest = max(latest, time)
        let sighting = Sighting(conversation: conversation, at: time, words: words, language: language)
        var bursting: [(String, [Sighting])] = []
        for word in words {
            var seen = recent[word, default: []]
            seen.removeAll { $0.at < latest - settings.window || $0.conversation == conversation }
            seen.append(sighting)
            recent[word] = seen
            var counts = hourly[word, default: [:]]
            counts[time / Self.hour, default: 0] += 1
            if counts.count > 25 { counts = counts.filter { $0.key > latest / Self.hour - 24 } }
            hourly[word] = counts
            if seen.count >= settings.minimum, Double(seen.count) >= settings.burstFactor * usual(word, counts) {
                bursting.append((word, seen))
            }
        }
        forgetOld()
        return bursting.sorted { $0.1.count != $1.1.count ? $0.1.count > $1.1.count : $0.0 < $1.0 }
    }

    /// The word's expected sightings in one window at its rate over the day before the window.
    func usual(_ word: String, _ counts: [Int64: Int]) -> Double {
        let windowStart = (latest - settings.window) / Self.hour
        let before = counts.filter { $0.key < windowStart && $0.key >= windowStart - 24 }.values.reduce(0, +)
        return Double(before) / 24 * Double(settings.window) / Double(Self.hour)
    }

    /// The sightings of `word` still in the window.
    public func sightings(of word: String) -> [Sighting] {
        (recent[word] ?? []).filter { $0.at >= latest - settings.window }
    }

    /// Drops words not seen for a day, now and then (every 4,096 messages would do; the check is cheap).
    private mutating func forgetOld() {
        guard recent.count > 50_000 || hourly.count > 50_000 else { return }
        let dayAgo = latest / Self.hour - 24
        hourly = hourly.filter { $0.value.keys.contains { $0 > dayAgo } }
        recent = recent.filter { $0.value.contains { $0.at >= latest - settings.window } }
    }

    /// A wave's name: its word and the word most of its messages share beside it.
    public static func name(for word: String, sightings: [Sighting]) -> String {
        var together: [String: Int] = [:]
        for sighting in sightings { for other in sighting.words where other != word { together[other, default: 0] += 1 } }
        guard let best = together.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
              best.value * 2 >= sightings.count else { return word }
        return [word, best.key].sorted().joined(separator: " ")
    }
}
