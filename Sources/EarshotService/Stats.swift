import EarshotCore
import EarshotStore
import Foundation
import Synchronization

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
        var values = values
        count = values.count
        max = values.max()
        let ranks = Percentile.nearestRanks(selectingIn: &values, [0.50, 0.90, 0.99])
        (p50, p90, p99) = (ranks[0], ranks[1], ranks[2])
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

/// Computes reports from the wait facts (docs/metrics.md): one row per latency sample, reply
/// sent and resolve, recomputed from the event log whenever a conversation's history changes,
/// so a report reads only the rows of its range. Pass/fail against SLA targets is decided as
/// the report is read, so a change of targets or business hours applies to all history at once.
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
        try store.refreshWaitFacts()
        let (names, load, times): ([ChannelID: String], LiveLoad, ClosedRange<Int64>?) = try store.read { reader in
            (try channels(reader), try live(reader), try reader.waitFactTimes())
        }
        var tally = StatsTally(grouping: grouping, sla: sla, channels: names)
        let from = max(since?.millisecondsSinceEpoch ?? .min, times?.lowerBound ?? .max)
        let to = min(until?.millisecondsSinceEpoch ?? .max, (times?.upperBound ?? .min) + 1)
        if from < to {
            for part in try tallies(of: Self.parts(from: from, to: to), grouping: grouping, channels: names) {
                tally.absorb(part)
            }
        }
        return tally.report(since: since, until: until, live: load)
    }

    /// The range cut into one part per core (at most four), by time.
    static func parts(from: Int64, to: Int64) -> [Range<Int64>] {
        let count = Int64(max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        let step = (to - from) / count
        guard step > 0 else { return [from..<to] }
        return (0..<count).map { index in
            (from + index * step)..<(index == count - 1 ? to : from + (index + 1) * step)
        }
    }

    /// Each part's facts read and added up on a core of its own, each in its own read.
    private func tallies(of parts: [Range<Int64>], grouping: StatsGrouping, channels: [ChannelID: String]) throws -> [StatsTally.Portion] {
        let results = Mutex<[Result<StatsTally.Portion, any Error>?]>(Array(repeating: nil, count: parts.count))
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let result = Result { () throws -> StatsTally.Portion in
                try store.read { reader in
                    var tally = StatsTally(grouping: grouping, sla: sla, channels: channels)
                    try reader.forEachWaitFact(
                        from: parts[index].lowerBound, to: parts[index].upperBound, responders: grouping == .responder
                    ) { tally.add($0) }
                    return tally.portion
                }
            }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }

    func channels(_ reader: any InboxReader) throws -> [ChannelID: String] {
        Dictionary(uniqueKeysWithValues: try reader.channels().map { ($0.id, $0.handle) })
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
