import EarshotCore
import EarshotStore
import Foundation

/// Adds up a report's rows from its samples, replies sent and resolves, whichever way they
/// were read (the wait facts, or the event log replayed: `StatsEngine.reportFromEventLog`).
struct StatsTally {
    let grouping: StatsGrouping
    let sla: SLAPolicy
    private var grouper: Grouper
    private let total = Accumulator()
    /// Targets by priority in an array: looked up once per sample, millions of times.
    private let targets: [SLATarget?]

    init(grouping: StatsGrouping, sla: SLAPolicy, channels: [ChannelID: String]) {
        self.grouping = grouping
        self.sla = sla
        grouper = Grouper(grouping: grouping, zone: sla.calendar.timeZone, channels: channels)
        targets = (0...3).map { sla.targets[Priority(rawValue: $0)!] }
    }

    mutating func add(_ fact: WaitFact) {
        let time = Timestamp(millisecondsSinceEpoch: fact.at)
        if let kind = fact.kind.latencyKind {
            sample(kind, start: time, milliseconds: fact.milliseconds, by: fact.responder, channel: fact.channel, priority: fact.priority)
        } else if fact.kind == .replySent {
            replySent(at: time, by: fact.responder, channel: fact.channel)
        } else {
            resolved(at: time, by: fact.responder, channel: fact.channel)
        }
    }

    /// Replies sent and resolves count when they happened, under who did them.
    mutating func replySent(at time: Timestamp, by responder: String?, channel: ChannelID) {
        grouper.accumulator(responder: responder, time: time, channel: channel).repliesSent += 1
        total.repliesSent += 1
    }

    mutating func resolved(at time: Timestamp, by responder: String?, channel: ChannelID) {
        grouper.accumulator(responder: responder, time: time, channel: channel).resolved += 1
        total.resolved += 1
    }

    /// Waits count by when they began.
    mutating func sample(
        _ kind: LatencyKind, start: Timestamp, milliseconds: Int64, by responder: String?, channel: ChannelID, priority: Priority
    ) {
        let group = grouper.accumulator(responder: responder, time: start, channel: channel)
        let verdict = kind == .resolution ? nil : met(kind, start: start, milliseconds: milliseconds, priority: priority)
        for accumulator in [group, total] {
            switch kind {
            case .firstResponse: accumulator.frt.append(milliseconds)
            case .reply: accumulator.reply.append(milliseconds)
            case .resolution: accumulator.resolution.append(milliseconds)
            }
            if let verdict {
                accumulator.slaTotal += 1
                if verdict { accumulator.slaMet += 1 }
            }
        }
    }

    private func met(_ kind: LatencyKind, start: Timestamp, milliseconds: Int64, priority: Priority) -> Bool? {
        guard let target = targets[priority.rawValue],
              let allowed = kind == .firstResponse ? target.firstResponse : target.reply
        else { return nil }
        let used = target.businessHoursOnly
            ? sla.calendar.businessMilliseconds(from: start, to: start.adding(milliseconds: milliseconds)) : milliseconds
        return used <= allowed
    }

    /// This tally as values, to hand to the thread that puts the parts together.
    var portion: Portion {
        let groups = grouper.sums
        return Portion(named: groups.named, buckets: groups.buckets, total: total.sums)
    }

    /// Takes in the tally of another part of the same range (samples are kept unsorted until
    /// the report, so the parts' order does not matter).
    mutating func absorb(_ portion: Portion) {
        grouper.absorb(named: portion.named, buckets: portion.buckets)
        total.absorb(portion.total)
    }

    func report(since: Timestamp?, until: Timestamp?, live: LiveLoad) -> StatsReport {
        func row(_ key: String, _ accumulator: Accumulator) -> StatsRow {
            StatsRow(
                key: key, firstResponse: Distribution(accumulator.frt), replyTime: Distribution(accumulator.reply),
                resolution: Distribution(accumulator.resolution), slaMet: accumulator.slaMet, slaTotal: accumulator.slaTotal,
                repliesSent: accumulator.repliesSent, resolved: accumulator.resolved)
        }
        let rows = grouper.groups.map { row($0.key, $0.value) }
            .filter { $0.firstResponse.count + $0.replyTime.count + $0.resolution.count + $0.repliesSent + $0.resolved > 0 }
            .sorted { $0.key < $1.key }
        return StatsReport(grouping: grouping, since: since, until: until, rows: rows, total: row("all", total), live: live)
    }

    final class Accumulator {
        var frt: [Int64] = []
        var reply: [Int64] = []
        var resolution: [Int64] = []
        var slaMet = 0
        var slaTotal = 0
        var repliesSent = 0
        var resolved = 0

        init() {}

        init(_ sums: Sums) {
            absorb(sums)
        }

        var sums: Sums {
            Sums(frt: frt, reply: reply, resolution: resolution, slaMet: slaMet, slaTotal: slaTotal,
                 repliesSent: repliesSent, resolved: resolved)
        }

        func absorb(_ other: Sums) {
            frt += other.frt
            reply += other.reply
            resolution += other.resolution
            slaMet += other.slaMet
            slaTotal += other.slaTotal
            repliesSent += other.repliesSent
            resolved += other.resolved
        }
    }

    /// An accumulator's contents as a value, to hand from the thread that read a part.
    struct Sums: Sendable {
        var frt: [Int64], reply: [Int64], resolution: [Int64]
        var slaMet: Int, slaTotal: Int, repliesSent: Int, resolved: Int
    }

    /// A tally of a part of the range, as values.
    struct Portion: Sendable {
        var named: [String: Sums]
        var buckets: [Int64: Sums]
        var total: Sums
    }

    /// Finds a sample's group. Consecutive samples mostly share a group (a conversation's
    /// responder, an hour's bucket), so the last one is checked before any hashing.
    struct Grouper {
        let grouping: StatsGrouping
        let zone: TimeZone
        let channels: [ChannelID: String]
        private var named: [String: Accumulator] = [:]
        /// Hour or day buckets by their starting instant; named once, at the end.
        private var buckets: [Int64: Accumulator] = [:]
        private var lastKey = ""
        private var lastAccumulator: Accumulator?
        private var lastBucket: Int64 = .min
        private var offsets: [Int64: Int64] = [:]

        init(grouping: StatsGrouping, zone: TimeZone, channels: [ChannelID: String]) {
            self.grouping = grouping
            self.zone = zone
            self.channels = channels
        }

        mutating func accumulator(responder: String?, time: Timestamp, channel: ChannelID) -> Accumulator {
            let key: String
            switch grouping {
            case .responder:
                key = responder ?? "(none)"
            case .channel:
                key = channels[channel] ?? "channel \(channel)"
            case .hour, .day:
                let size: Int64 = grouping == .hour ? 3_600_000 : 86_400_000
                // The zone's offset changes at most twice a year: cache it per UTC hour.
                let utcHour = time.millisecondsSinceEpoch.floorDivided(by: 3_600_000)
                let offset = offsets[utcHour] ?? {
                    let value = Int64(zone.secondsFromGMT(for: time.date)) * 1000
                    offsets[utcHour] = value
                    return value
                }()
                let bucket = (time.millisecondsSinceEpoch + offset).floorDivided(by: size) * size - offset
                if bucket == lastBucket, let cached = lastAccumulator { return cached }
                let accumulator = buckets[bucket] ?? Accumulator()
                buckets[bucket] = accumulator
                lastBucket = bucket
                lastAccumulator = accumulator
                return accumulator
            }
            if key == lastKey, let cached = lastAccumulator { return cached }
            let accumulator = named[key] ?? Accumulator()
            named[key] = accumulator
            lastKey = key
            lastAccumulator = accumulator
            return accumulator
        }

        var sums: (named: [String: Sums], buckets: [Int64: Sums]) {
            (named.mapValues(\.sums), buckets.mapValues(\.sums))
        }

        /// Takes in the groups of a tally of another part of the same range.
        mutating func absorb(named others: [String: Sums], buckets otherBuckets: [Int64: Sums]) {
            Self.merge(others, into: &named)
            Self.merge(otherBuckets, into: &buckets)
        }

        private static func merge<Key>(_ sums: [Key: Sums], into groups: inout [Key: Accumulator]) {
            for (key, part) in sums {
                if let mine = groups[key] { mine.absorb(part) } else { groups[key] = Accumulator(part) }
            }
        }

        /// Every group with its name.
        var groups: [(key: String, value: Accumulator)] {
            named.map { ($0.key, $0.value) } + buckets.map { bucket, accumulator in
                (StatsEngine.bucketName(Timestamp(millisecondsSinceEpoch: bucket), hour: grouping == .hour, zone: zone), accumulator)
            }
        }
    }
}
