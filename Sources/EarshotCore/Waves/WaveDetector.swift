import Foundation

/// Finds waves in the stream of customer messages (docs/waves.md): a topic word that many
/// conversations' latest messages share within a short window, in a far larger share of the
/// window's messages than of the messages before it, and more often than chance explains (at
/// the word's usual share, seeing that many in the window is rarer than one in ten thousand:
/// with hundreds of words checked on every message, a looser test finds waves in everyday
/// words). Shares, not counts: when the morning doubles the traffic every word doubles, and
/// nothing is a wave. With no history yet (a fresh
/// inbox, the first hour of the demo), a word must be in half of the window's messages.
/// Pure and in memory: the caller feeds it each message once, in time order, and keeps the
/// waves it finds.
///
/// Cost per message is a few dictionary operations per topic word, whatever the size of the
/// inbox: the detector only holds the window's sightings and a day of hourly counts per word.
public struct WaveDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// How close together the messages of a wave are.
        public var window: Int64 = 30 * 60_000
        /// Conversations that must share the word within the window.
        public var minimum = 5
        /// How many times its usual share of messages the word must reach (the usual share from the last day).
        public var burstFactor = 3.0
        /// The share of the window's messages a word needs while there is no history to compare with.
        public var coldShare = 0.5
        /// How unlikely the window's count must be at the word's usual share (a Poisson tail).
        public var chance = 1e-4
        /// How long the usual rate is measured over, in buckets of `bucket`.
        public var bucket: Int64 = 3_600_000
        public var history = 24
        public init() {}

        /// The same rule on a clock running `speed` times faster (the demo's compressed day):
        /// the window and the buckets shrink by the factor, so a burst of ten demo minutes is
        /// judged as one of ten real minutes would be.
        public static func compressed(by speed: Double) -> Settings {
            var settings = Settings()
            guard speed > 1 else { return settings }
            settings.window = max(1_000, Int64(Double(settings.window) / speed))
            settings.bucket = max(1_000, Int64(Double(settings.bucket) / speed))
            return settings
        }
    }

    public struct Sighting: Sendable, Equatable {
        public var conversation: ConversationID
        public var at: Int64
        public var words: Set<String>
        public var language: MessageLanguage
    }

    public let settings: Settings
    /// Per word, the window's sightings, oldest first.
    private var recent: [String: [Sighting]] = [:]
    /// Per word, sightings per hour over the last day (hour index → count).
    private var hourly: [String: [Int64: Int]] = [:]
    /// All messages per hour, and the times of the window's messages.
    private var totals: [Int64: Int] = [:]
    private var windowTimes: [Int64] = []
    private var windowHead = 0
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
        countMessage(at: time)
        let baseline = history()
        var bursting: [(String, [Sighting])] = []
        for word in words {
            var seen = recent[word, default: []]
            seen.removeAll { $0.at < latest - settings.window || $0.conversation == conversation }
            seen.append(sighting)
            recent[word] = seen
            var counts = hourly[word, default: [:]]
            counts[time / settings.bucket, default: 0] += 1
            if counts.count > settings.history + 1 {
                counts = counts.filter { $0.key > latest / settings.bucket - Int64(settings.history) }
            }
            hourly[word] = counts
            if seen.count >= settings.minimum, isBursting(seen.count, before: before(counts), baseline: baseline) {
                bursting.append((word, seen))
            }
        }
        forgetOld()
        return bursting.sorted { $0.1.count != $1.1.count ? $0.1.count > $1.1.count : $0.0 < $1.0 }
    }

    /// How many messages the window holds, and the day before it: all of them, per the buckets.
    private func history() -> (window: Int, before: Int) {
        (windowTimes.count - windowHead, before(totals))
    }

    /// Sightings in the buckets of the day before the window.
    private func before(_ counts: [Int64: Int]) -> Int {
        let windowStart = (latest - settings.window) / settings.bucket
        let history = Int64(settings.history)
        return counts.filter { $0.key < windowStart && $0.key >= windowStart - history }.values.reduce(0, +)
    }

    /// The word's share of the window against its share of the day before (at least one
    /// message's worth, so a word never seen before needs `minimum` sightings, not one).
    private func isBursting(_ count: Int, before: Int, baseline: (window: Int, before: Int)) -> Bool {
        let share = Double(count) / Double(max(1, baseline.window))
        guard baseline.before > 0 else { return share >= settings.coldShare }
        let usual = Double(max(1, before)) / Double(baseline.before)
        guard share >= settings.burstFactor * usual else { return false }
        return Self.poissonTail(atLeast: count, mean: usual * Double(baseline.window)) < settings.chance
    }

    /// P(X ≥ k) for X ~ Poisson(mean), summed from k up (the terms fall once past the mean).
    static func poissonTail(atLeast k: Int, mean: Double) -> Double {
        guard k > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        var term = exp(-mean + Double(k) * log(mean) - lgamma(Double(k) + 1))
        var sum = 0.0
        var i = k
        while term > sum * 1e-12, i < k + 10_000 {
            sum += term
            i += 1
            term *= mean / Double(i)
        }
        return min(1, sum)
    }

    private mutating func countMessage(at time: Int64) {
        totals[time / settings.bucket, default: 0] += 1
        if totals.count > settings.history + 1 { totals = totals.filter { $0.key > latest / settings.bucket - Int64(settings.history) } }
        windowTimes.append(time)
        while windowHead < windowTimes.count, windowTimes[windowHead] < latest - settings.window { windowHead += 1 }
        if windowHead > 4_096 {
            windowTimes.removeFirst(windowHead)
            windowHead = 0
        }
    }

    /// The sightings of `word` still in the window.
    public func sightings(of word: String) -> [Sighting] {
        (recent[word] ?? []).filter { $0.at >= latest - settings.window }
    }

    /// Drops words not seen for a day, now and then (every 4,096 messages would do; the check is cheap).
    private mutating func forgetOld() {
        guard recent.count > 50_000 || hourly.count > 50_000 else { return }
        let dayAgo = latest / settings.bucket - Int64(settings.history)
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
