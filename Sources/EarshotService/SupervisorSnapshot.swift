import EarshotCore
import Foundation

/// What the supervisor pane shows, read in one go: the backlog, the team, today's figures,
/// the conversations in trouble and the day's traffic by hour.
public struct SupervisorSnapshot: Codable, Sendable, Equatable {
    public struct Member: Codable, Sendable, Equatable {
        public var login: String
        public var availability: Availability
        public var load: Int
        public var capacity: Int
        public var lastActiveAt: Timestamp?
    }

    public struct Hour: Codable, Sendable, Equatable {
        /// The hour's start.
        public var start: Timestamp
        public var arrivals: Int
        public var replies: Int
    }

    public var now: Timestamp
    /// Conversations waiting for an answer, and since when the longest has.
    public var waiting: Int
    public var oldestWaitSince: Timestamp?
    public var unassigned: Int
    public var team: [Member]
    /// Today (from midnight in the business calendar's zone).
    public var repliesToday: Int
    public var firstResponseP50: Int64?
    public var firstResponseP90: Int64?
    public var slaAttainment: Double?
    /// Past due, most overdue first; and due soon (within the warning threshold).
    public var breached: [QueueRow]
    public var atRisk: [QueueRow]
    /// The last 12 hours, oldest first.
    public var hours: [Hour]
    /// Today's corrections of the classifier by people, most frequent first: how often the
    /// team overrules it, and from which class (spam wrongly set aside, scams let through).
    public var triageOverrides: [TriageOverrideCount] = []
    /// Live accounts that need a look (token rejected, backing off, stopped); healthy ones are left out.
    public var accounts: [AccountStatus] = []
    /// The staffing forecast's next 12 hours (docs/forecast.md), the current one first; empty
    /// when none could be made. `staffingNote` says what limits it (no history yet).
    public var staffing: [StaffingForecast.Hour] = []
    public var availableNow = 0
    public var staffingNote: String?
}

extension InboxService {
    /// The supervisor pane's data; supervisors only.
    public func supervisorSnapshot(for login: String) throws -> SupervisorSnapshot {
        let now = clock.now()
        // The last 12 whole hours, the current one last.
        let firstHour = now.millisecondsSinceEpoch / 3_600_000 * 3_600_000 - 11 * 3_600_000
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = sla.calendar.timeZone
        let midnight = Timestamp(calendar.startOfDay(for: Date(timeIntervalSince1970: Double(now.millisecondsSinceEpoch) / 1000)))
        let (team, waiting, unassigned, traffic, overrides) = try store.read { reader in
            let me = try responder(login, in: reader)
            guard me.role == .supervisor else { throw ServiceError.supervisorsOnly(action: "the supervisor pane") }
            let loads = try reader.openLoads()
            let team = try reader.responders(includingRemoved: false).map {
                SupervisorSnapshot.Member(login: $0.login, availability: $0.availability, load: loads[$0.id] ?? 0,
                                          capacity: $0.capacity, lastActiveAt: $0.lastActiveAt)
            }
            return (team, try reader.waitingSummary(), try reader.countUnassigned(),
                    try reader.hourlyTraffic(since: Timestamp(millisecondsSinceEpoch: firstHour)), try reader.triageOverrides(since: midnight))
        }
        let today = try StatsEngine(store: store, sla: sla, clock: clock).report(grouping: .responder, since: midnight).total
        let breached = try queueWindow(QueueWindowRequest(view: .breached, limit: 8), for: login)
        let atRisk = try queueWindow(QueueWindowRequest(view: .open, limit: 200), for: login).filter { $0.sla == .warning }.prefix(8)
        let hours = (0..<12).map { index -> SupervisorSnapshot.Hour in
            let start = firstHour + Int64(index) * 3_600_000
            return .init(start: Timestamp(millisecondsSinceEpoch: start), arrivals: traffic.arrivals[start] ?? 0, replies: traffic.replies[start] ?? 0)
        }
        // The forecast is remembered for the hour, so this costs a read of the team after the first pane.
        let staffing = try? forecast(ForecastOptions(days: 1))
        return SupervisorSnapshot(
            now: now, waiting: waiting.count, oldestWaitSince: waiting.oldest, unassigned: unassigned, team: team,
            repliesToday: today.repliesSent, firstResponseP50: today.firstResponse.p50, firstResponseP90: today.firstResponse.p90,
            slaAttainment: today.slaAttainment, breached: breached, atRisk: Array(atRisk), hours: hours,
            triageOverrides: overrides, accounts: accounts.all().filter { !$0.isHealthy },
            staffing: Array((staffing?.hours ?? []).prefix(12)), availableNow: staffing?.availableNow ?? 0,
            staffingNote: staffing == nil ? "no forecast: the history could not be read" : staffing?.notes.first)
    }
}
