import EarshotCore
import EarshotStore
import Foundation

/// How `earshot stats` groups its rows.
public enum StatsGrouping: String, CaseIterable, Sendable, Codable {
    case responder
    case channel
    case hour
    case day
}

/// A distribution of durations in milliseconds: exact nearest-rank percentiles over all samples.
public struct Distribution: Equatable, Sendable, Codable {
    public var count: Int
    public var p50: Int64?
    public var p90: Int64?
    public var p99: Int64?
    public var max: Int64?

    public init(_ values: [Int64]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = Percentile.nearestRank(sorted, 0.50)
        p90 = Percentile.nearestRank(sorted, 0.90)
        p99 = Percentile.nearestRank(sorted, 0.99)
        max = sorted.last
    }
}

/// One row of a stats report.
public struct StatsRow: Equatable, Sendable, Codable {
    public var key: String
    public var firstResponse: Distribution
    public var replyTime: Distribution
    public var resolution: Distribution
    /// Answered waits (first responses and replies) that met their SLA target, of those with a target.
    public var slaMet: Int
    public var slaTotal: Int
    public var repliesSent: Int
    public var resolved: Int

    public var slaAttainment: Double? { slaTotal == 0 ? nil : Double(slaMet) / Double(slaTotal) }
}

/// The live picture beside the figures: who carries what, what waits, since when.
public struct LiveLoad: Equatable, Sendable, Codable {
    public struct ResponderLoad: Equatable, Sendable, Codable {
        public var login: String
        public var availability: Availability
        public var load: Int
        public var capacity: Int
    }

    public var responders: [ResponderLoad] = []
    /// Open routable conversations nobody owns.
    public var unassigned = 0
    /// Conversations whose customer is waiting for an answer now (any owner).
    public var waiting = 0
    /// The longest current wait: since when.
    public var oldestWaitSince: Timestamp?
}

public struct StatsReport: Equatable, Sendable, Codable {
    public var grouping: StatsGrouping
    public var since: Timestamp?
    public var until: Timestamp?
    public var rows: [StatsRow]
    public var total: StatsRow
    public var live: LiveLoad
}

/// Computes reports from the event log (docs/metrics.md). Nothing is stored pre-aggregated, so
/// a change of definition, targets or business hours applies to all history at once.
public struct StatsEngine: Sendable {
    public let store: any InboxStore
    public let sla: SLAPolicy
    public let clock: any Clock

    public init(store: any InboxStore, sla: SLAPolicy, clock: any Clock) {
        self.store = store
        self.sla = sla
        self.clock = clock
    }

    /// The report for samples whose wait started in [since, until), grouped as asked.
    public func report(grouping: StatsGrouping, since: Timestamp? = nil, until: Timestamp? = nil) throws -> StatsReport {
        try store.read { reader in
            let facts = try reader.conversationFacts()
            let channels = Dictionary(uniqueKeysWithValues: try reader.channels().map { ($0.id, $0.handle) })
            var grouper = Grouper(grouping: grouping, zone: sla.calendar.timeZone, channels: channels)
            let total = Accumulator()
            // Targets by priority in an array: looked up once per sample, millions of times.
            let targets: [SLATarget?] = (0...3).map { sla.targets[Priority(rawValue: $0)!] }

            func inRange(_ time: Timestamp) -> Bool {
                (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
            }
            func met(_ sample: LatencySample, _ priority: Priority) -> Bool? {
                guard let target = targets[priority.rawValue],
                      let allowed = sample.kind == .firstResponse ? target.firstResponse : target.reply
                else { return nil }
                let used = target.businessHoursOnly
                    ? sla.calendar.businessMilliseconds(from: sample.start, to: sample.end) : sample.milliseconds
                return used <= allowed
            }

            try reader.forEachTimeline { conversation, entries in
                guard let fact = facts.facts(of: conversation) else { return }
                let latency = LatencyCalculator.latency(of: entries)
                // Replies sent and resolves count when they happened, under who did them.
                for reply in latency.replies where inRange(reply.at) {
                    grouper.accumulator(responder: reply.responder, time: reply.at, channel: fact.channel).repliesSent += 1
                    total.repliesSent += 1
                }
                for resolve in latency.resolves where inRange(resolve.at) {
                    grouper.accumulator(responder: resolve.responder, time: resolve.at, channel: fact.channel).resolved += 1
                    total.resolved += 1
                }
                // Waits count by when they began.
                for sample in latency.samples where inRange(sample.start) {
                    let group = grouper.accumulator(responder: sample.responder, time: sample.start, channel: fact.channel)
                    let verdict = sample.kind == .resolution ? nil : met(sample, fact.priority)
                    for accumulator in [group, total] {
                        switch sample.kind {
                        case .firstResponse: accumulator.frt.append(sample.milliseconds)
                        case .reply: accumulator.reply.append(sample.milliseconds)
                        case .resolution: accumulator.resolution.append(sample.milliseconds)
                        }
                        if let verdict {
                            accumulator.slaTotal += 1
                            if verdict { accumulator.slaMet += 1 }
                        }
                    }
                }
            }
            func row(_ key: String, _ accumulator: Accumulator) -> StatsRow {
                StatsRow(
                    key: key, firstResponse: Distribution(accumulator.frt), replyTime: Distribution(accumulator.reply),
                    resolution: Distribution(accumulator.resolution), slaMet: accumulator.slaMet, slaTotal: accumulator.slaTotal,
                    repliesSent: accumulator.repliesSent, resolved: accumulator.resolved)
            }
            let rows = grouper.groups.map { row($0.key, $0.value) }
                .filter { $0.firstResponse.count + $0.replyTime.count + $0.resolution.count + $0.repliesSent + $0.resolved > 0 }
                .sorted { $0.key < $1.key }
            return StatsReport(
                grouping: grouping, since: since, until: until, rows: rows, total: row("all", total), live: try live(reader))
        }
    }

    final class Accumulator {
        var frt: [Int64] = []
        var reply: [Int64] = []
        var resolution: [Int64] = []
        var slaMet = 0
        var slaTotal = 0
        var repliesSent = 0
        var resolved = 0
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

        /// Every group with its name.
        var groups: [(key: String, value: Accumulator)] {
            named.map { ($0.key, $0.value) } + buckets.map { bucket, accumulator in
                (StatsEngine.bucketName(Timestamp(millisecondsSinceEpoch: bucket), hour: grouping == .hour, zone: zone), accumulator)
            }
        }
    }

    /// Current load per responder, the unassigned backlog and the oldest wait.
    func live(_ reader: any InboxReader) throws -> LiveLoad {
        var live = LiveLoad()
        let loads = try reader.openLoads()
        live.responders = try reader.responders(includingRemoved: false).filter { !$0.login.hasPrefix("@") }.map {
            LiveLoad.ResponderLoad(login: $0.login, availability: $0.availability, load: loads[$0.id] ?? 0, capacity: $0.capacity)
        }
        live.unassigned = try reader.countUnassigned()
        (live.waiting, live.oldestWaitSince) = try reader.waitingSummary()
        return live
    }

    static func bucketName(_ time: Timestamp, hour: Bool, zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: time.date)
        let day = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return hour ? day + String(format: " %02d:00", parts.hour ?? 0) : day
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (times before 1970 bucket correctly).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension InboxService {
    /// A report for a responder (through the daemon, whose database they cannot open), or for
    /// the database's owner in single-user mode. Per-responder rows are a supervisor's right
    /// (docs/supervisor-guide.md): an agent's `responder` report holds only their own row, with
    /// the team's total; channel, hour and day rows are team figures, open to every responder.
    public func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?, by login: String) throws -> StatsReport {
        let seesEveryone = try administrators.contains(login) || store.read { try responder(login, in: $0) }.role == .supervisor
        var report = try StatsEngine(store: store, sla: sla, clock: clock).report(grouping: grouping, since: since, until: until)
        if grouping == .responder && !seesEveryone { report.rows.removeAll { $0.key != login } }
        return report
    }
}
