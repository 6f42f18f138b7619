import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// `earshot forecast` (issue 19) over N conversations spread over the 8 weeks before a fixed
/// now, beside sqlite3's own scan of the conversation table; plus the store read alone, so the
/// figure splits into reading the history and computing the hours.
struct ForecastBenchmark {
    let count: Int
    let directory: String?
    let runs: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--runs"])
        (count, directory) = (options.count, options.directory)
        runs = try options.extra["--runs"].map { try BenchUsage.int($0, "--runs") } ?? 3
        guard count >= 8 * ArrivalForecast.hoursPerWeek, runs >= 1 else {
            throw BenchUsage("forecast needs --count of at least \(8 * ArrivalForecast.hoursPerWeek) and --runs of at least 1")
        }
    }

    /// Monday 2026-11-30 00:30 UTC: the forecast starts at its hour, a Monday midnight, and the
    /// history is the 8 whole weeks before it. Fixed, so a file kept with `--dir` stays valid.
    static let now = Timestamp(millisecondsSinceEpoch: 1_795_998_600_000)
    static let hour: Int64 = 3_600_000
    static let weeks = 8
    static var firstHour: Int64 { now.millisecondsSinceEpoch / hour * hour }
    static var historyStart: Int64 { firstHour - Int64(weeks * ArrivalForecast.hoursPerWeek) * hour }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-forecast-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/forecast-\(count).sqlite"
        if !FileManager.default.fileExists(atPath: path) { try generate(path) }

        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let clock = ManualClock(Self.now)
        let options = ForecastOptions()
        let baselineName = "sqlite3 scan of the conversation table"
        let baseline = try StatsBenchmark.time {
            try Shell.run("/usr/bin/sqlite3", [path, "SELECT count(*) FROM conversation WHERE created_at >= 0;"])
        }

        // A fresh service each run: a service remembers its forecast for the rest of the hour.
        var forecast: StaffingForecast?
        var totals: [Double] = []
        for _ in 0..<runs {
            let service = InboxService(store: store, clock: clock)
            totals.append(try StatsBenchmark.time { forecast = try service.forecast(options) })
        }
        var history: ForecastHistory?
        var reads: [Double] = []
        let range = (Timestamp(millisecondsSinceEpoch: Self.historyStart), Timestamp(millisecondsSinceEpoch: Self.firstHour))
        for _ in 0..<runs {
            // As the service reads it: arrivals over the 8 weeks, the handling time over the last 2.
            let handlingFrom = Timestamp(millisecondsSinceEpoch: Self.firstHour - 2 * 604_800_000)
            reads.append(try StatsBenchmark.time { history = try store.read { try $0.forecastHistory(from: range.0, to: range.1, handlingFrom: handlingFrom) } })
        }
        guard let forecast, let history else { throw BenchUsage("forecast: nothing was run") }

        // The figure must be of the whole history, not of an empty computation.
        let arrived = history.arrivals.values.reduce(0, +)
        guard forecast.historyWeeks == Self.weeks, let handling = forecast.handlingSeconds, forecast.hours.count == 7 * 24,
              arrived == count, history.conversationsReplied > 0
        else {
            throw BenchUsage("""
                forecast: expected \(Self.weeks) weeks of \(count) conversations and a handling time; got \(forecast.historyWeeks) \
                weeks, \(arrived) conversations read, handling \(forecast.handlingSeconds.map { "\($0) s" } ?? "unknown")
                """)
        }

        let total = Self.median(totals), read = Self.median(reads)
        let size = Self.compact(count)
        BenchReport.line(
            name: "forecast over 8 weeks of \(size) conversations (median of \(runs), a fresh service each)", value: total,
            baselineName: baselineName, baseline: baseline, goal: 2)
        BenchReport.line(
            name: "  of which the history read (3 queries: \(history.arrivals.count) hours, \(history.claimToReply.count.formatted()) "
                + "claim-to-reply times, \(history.repliesSent.formatted()) replies)",
            value: read, baselineName: baselineName, baseline: baseline)
        let peak = forecast.hours.max { ($0.needed ?? 0) < ($1.needed ?? 0) }
        let simulated = Set(forecast.hours.filter(\.open).map { Int64(($0.arrivals * 100).rounded()) }).count
        print(String(
            format: "  forecast: %d weeks of history, trend %+.1f%%/week, handling %.0f s (claim to reply %.0f s × %.2f replies), "
                + "peak %d needed (simulation %d) at %.0f arrivals/h, %d hours (%d simulated), backtest error %.0f%%; "
                + "the computation after the read %@",
            forecast.historyWeeks, forecast.trendPerWeek * 100, handling, forecast.claimToReplySeconds ?? 0,
            forecast.repliesPerConversation ?? 0, peak?.needed ?? 0, peak?.simulated ?? 0, peak?.arrivals ?? 0,
            forecast.hours.count, simulated, (forecast.backtest?.relativeError ?? 0) * 100,
            BenchReport.seconds(max(0, total - read))))
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// 1M, 100k, or the number as it is.
    static func compact(_ count: Int) -> String {
        if count >= 1_000_000, count % 1_000_000 == 0 { return "\(count / 1_000_000)M" }
        if count >= 1_000, count % 1_000 == 0 { return "\(count / 1_000)k" }
        return count.formatted()
    }

    /// Relative arrivals of each hour of the week, Monday 00:00 UTC first: a weekday peaks from
    /// 09:00 to 17:00 with a dip at lunch and is quiet at night; weekends bring a third as many.
    static func weight(hourOfWeek: Int) -> Double {
        let day = [0.12, 0.10, 0.08, 0.08, 0.10, 0.15, 0.30, 0.55, 0.85, 1.00, 1.00, 0.95,
                   0.85, 0.90, 1.00, 0.95, 0.85, 0.70, 0.55, 0.45, 0.38, 0.30, 0.22, 0.16]
        let weekend = hourOfWeek / 24 >= 5
        return day[hourOfWeek % 24] * (weekend ? 0.35 : 1)
    }

    /// Conversations opened in each hour of the history, oldest first, summing to `count`:
    /// the weekly shape, a mild upward trend (2% a week) and a few percent of noise.
    func hourlyCounts() -> [Int] {
        let hours = Self.weeks * ArrivalForecast.hoursPerWeek
        let weights = (0..<hours).map { i -> Double in
            let noise = Double(UInt64(i) &* 2_654_435_761 % 1_000) / 1_000 - 0.5 // -0.5 ..< 0.5, fixed
            return Self.weight(hourOfWeek: i % ArrivalForecast.hoursPerWeek) * (1 + 0.02 * Double(i) / 168) * (1 + 0.08 * noise)
        }
        let total = weights.reduce(0, +)
        var cumulative = 0.0, placed = 0
        return weights.map { weight in
            cumulative += weight
            let upTo = Int((cumulative / total * Double(count)).rounded())
            defer { placed = upTo }
            return upTo - placed
        }
    }

    /// Writes the history with SQL (fast; the benchmark measures reading it): each conversation
    /// is claimed by one of 20 responders 1 to 5 minutes after it opens and answered 1 to 8
    /// minutes after the claim; three in ten get a second reply between the two, so about 1.3
    /// sent replies a conversation. All are resolved.
    func generate(_ path: String) throws {
        _ = try SQLiteInboxStore(path: path)
        let counts = hourlyCounts()
        let start = Self.historyStart
        let values = counts.enumerated().map { "(\($0.offset), \($0.element))" }.joined(separator: ", ")
        let script = """
            PRAGMA synchronous = OFF;
            BEGIN;
            \(BenchFixtures.teamAndCustomers(at: start))
            CREATE TEMP TABLE bench_hour (i INTEGER PRIMARY KEY, n INTEGER NOT NULL);
            INSERT INTO bench_hour (i, n) VALUES \(values);
            CREATE TEMP TABLE bench_slot (j INTEGER PRIMARY KEY);
            WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s WHERE j < \(max(0, (counts.max() ?? 1) - 1)))
            INSERT INTO bench_slot (j) SELECT j FROM s;
            CREATE TEMP TABLE bench_arrival AS
                SELECT \(start) + h.i * 3600000 + s.j * 3600000 / h.n AS at, h.i AS i, s.j AS j
                FROM bench_hour h JOIN bench_slot s ON s.j < h.n ORDER BY h.i, s.j;
            INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview, assignee_id, assigned_at, last_reply_at)
                SELECT 1, 1 + (i * 7919 + j) % 100000, 'resolved', 1, 'question', 'bench', 1,
                    1, at, at, at + 900000, at, 'where is my order?', 1 + (i + j) % 20,
                    at + 60000 + (j * 37 % 240) * 1000,
                    at + 60000 + (j * 37 % 240) * 1000 + 60000 + ((i * 31 + j * 7919) % 420) * 1000
                FROM bench_arrival ORDER BY at;
            INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                SELECT id, 1, assignee_id, 'on it', 'sent', last_reply_at, last_reply_at, last_reply_at FROM conversation;
            INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                SELECT id, 1, assignee_id, 'looking', 'sent', (assigned_at + last_reply_at) / 2, (assigned_at + last_reply_at) / 2,
                    (assigned_at + last_reply_at) / 2
                FROM conversation WHERE id % 10 < 3;
            DROP TABLE bench_arrival;
            \(SQLiteSearchIndex.flushSQL)
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Shell.run("/usr/bin/sqlite3", [path, script])
    }
}
