import EarshotCore
import EarshotStore
import Foundation

/// How `earshot stats` groups its rows.
public enum StatsGrouping: String, CaseIterable, Sendable {
    case responder
    case channel
    case hour
    case day
}

/// A distribution of durations in milliseconds: exact nearest-rank percentiles over all samples.
public struct Distribution: Equatable, Sendable {
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
public struct StatsRow: Equatable, Sendable {
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
public struct LiveLoad: Equatable, Sendable {
    public struct ResponderLoad: Equatable, Sendable {
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

public struct StatsReport: Equatable, Sendable {
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

    private final class Accumulator {
        var frt: [Int64] = []
        var reply: [Int64] = []
        var resolution: [Int64] = []
        var slaMet = 0
        var slaTotal = 0
        var repliesSent = 0
        var resolved = 0
    }

    /// The report for samples whose wait started in [since, until), grouped as asked.
    public func report(grouping: StatsGrouping, since: Timestamp? = nil, until: Timestamp? = nil) throws -> StatsReport {
        try store.read { reader in
            let facts = try reader.conversationFacts()
            let channels = Dictionary(uniqueKeysWithValues: try reader.channels().map { ($0.id, $0.handle) })
            var groups: [String: Accumulator] = [:]
            let total = Accumulator()
            var bucketNames: [Int64: String] = [:]
            let zone = sla.calendar.timeZone

            func inRange(_ time: Timestamp) -> Bool {
                (since.map { time >= $0 } ?? true) && (until.map { time < $0 } ?? true)
            }
            func key(for sample: LatencySample, channel: ChannelID) -> String {
                switch grouping {
                case .responder: return sample.responder ?? "(none)"
                case .channel: return channels[channel] ?? "channel \(channel)"
                case .hour, .day:
                    let size: Int64 = grouping == .hour ? 3_600_000 : 86_400_000
                    let offset = Int64(zone.secondsFromGMT(for: sample.start.date)) * 1000
                    let bucket = (sample.start.millisecondsSinceEpoch + offset).floorDivided(by: size) * size - offset
                    if let name = bucketNames[bucket] { return name }
                    let name = Self.bucketName(Timestamp(millisecondsSinceEpoch: bucket), hour: grouping == .hour, zone: zone)
                    bucketNames[bucket] = name
                    return name
                }
            }

            try reader.forEachTimeline { conversation, entries in
                guard let fact = facts[conversation.rawValue] else { return }
                let latency = LatencyCalculator.latency(of: entries)
                // Replies sent and resolves count when they happened, under who did them.
                for reply in latency.replies where inRange(reply.at) {
                    let probe = LatencySample(kind: .reply, start: reply.at, end: reply.at, responder: reply.responder, cycle: 0)
                    let name = key(for: probe, channel: fact.channel)
                    let group = groups[name, default: Accumulator()]
                    groups[name] = group
                    group.repliesSent += 1
                    total.repliesSent += 1
                }
                for resolve in latency.resolves where inRange(resolve.at) {
                    let probe = LatencySample(kind: .resolution, start: resolve.at, end: resolve.at, responder: resolve.responder, cycle: 0)
                    let name = key(for: probe, channel: fact.channel)
                    let group = groups[name, default: Accumulator()]
                    groups[name] = group
                    group.resolved += 1
                    total.resolved += 1
                }
                for sample in latency.samples {
                    // Waits are filtered by when they began; replies and resolves by when they happened.
                    let started = inRange(sample.start)
                    let group = groups[key(for: sample, channel: fact.channel), default: Accumulator()]
                    groups[key(for: sample, channel: fact.channel)] = group
                    for accumulator in [group, total] {
                        switch sample.kind {
                        case .firstResponse:
                            if started { accumulator.frt.append(sample.milliseconds) }
                        case .reply:
                            if started { accumulator.reply.append(sample.milliseconds) }
                        case .resolution:
                            if started { accumulator.resolution.append(sample.milliseconds) }
                        }
                        if started, sample.kind != .resolution,
                           let met = sla.met(from: sample.start, to: sample.end, kind: sample.kind == .firstResponse ? .firstResponse : .reply,
                                             priority: fact.priority) {
                            accumulator.slaTotal += 1
                            if met { accumulator.slaMet += 1 }
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
            let rows = groups.map { row($0.key, $0.value) }
                .filter { $0.firstResponse.count + $0.replyTime.count + $0.resolution.count + $0.repliesSent + $0.resolved > 0 }
                .sorted { $0.key < $1.key }
            return StatsReport(
                grouping: grouping, since: since, until: until, rows: rows, total: row("all", total), live: try live(reader))
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
