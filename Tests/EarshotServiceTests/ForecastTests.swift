import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import GRDB
import EarshotTestSupport
import Testing

/// The staffing forecast over a real store holding a generated 8-week history with a known
/// arrival curve and handling time: weekdays 09:00 to 17:00 UTC bring 36 conversations an
/// hour, every other hour 3. Each is claimed a minute after it opens and answered four
/// minutes after the claim; every other one gets a second reply two minutes later, so a
/// conversation takes 1.5 replies of 4 minutes' work: 6 minutes of handling.
///
/// The staffing figures are Erlang C worked out directly (Python, the factorial form, not
/// the recursion the code uses): 36 an hour at 6 minutes is 3.6 erlangs; to answer 80% within
/// 2 minutes takes 6 responders (5 give 74.3%). 3 an hour is 0.3 erlangs: 2 (1 gives 76.2%).
@Suite struct ForecastTests {
    /// Monday 2026-11-30 00:30 UTC: the forecast starts at the hour, a Monday midnight.
    static let now = Timestamp(millisecondsSinceEpoch: 1_795_998_600_000)
    static let firstHour = now.millisecondsSinceEpoch / 3_600_000 * 3_600_000
    static let weeks = 8
    static let historyStart = firstHour - Int64(weeks) * 604_800_000

    @Test func theStartIsAMondayMidnight() {
        let date = Date(timeIntervalSince1970: Double(Self.firstHour) / 1_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        #expect(calendar.component(.weekday, from: date) == 2)
        #expect(calendar.component(.hour, from: date) == 0)
    }

    @Test(.timeLimit(.minutes(2))) func aGeneratedHistoryGivesBackItsCurveHandlingTimeAndErlangCStaffing() throws {
        let history = try Self.history()
        let fixture = history.fixture
        for login in ["ana", "ben", "cy"] { try fixture.responder(login) }
        let forecast = try fixture.service.forecast(ForecastOptions(days: 7, weeks: 8, serviceLevel: 0.8, targetSeconds: 120))

        #expect(forecast.historyWeeks == 8)
        #expect(abs(forecast.trendPerWeek) < 1e-9)
        #expect(forecast.claimToReplySeconds == 240)
        #expect(forecast.repliesPerConversation == 1.5)
        #expect(forecast.handlingSeconds == 360)
        #expect(forecast.hours.count == 168)
        #expect(forecast.availableNow == 3)

        let monday9 = forecast.hours[9], monday8 = forecast.hours[8], saturdayNoon = forecast.hours[5 * 24 + 12]
        #expect(monday9.arrivals == 36 && monday8.arrivals == 3 && saturdayNoon.arrivals == 3)
        #expect(abs(monday9.traffic - 3.6) < 1e-9)
        #expect(monday9.needed == 6)
        #expect(monday8.needed == 2 && saturdayNoon.needed == 2)
        #expect(monday9.short == 3 && monday8.short == 0)
        // Every hour: the simulation within one responder of the formula, and never a note.
        for hour in forecast.hours {
            let needed = try #require(hour.needed), simulated = try #require(hour.simulated)
            #expect(abs(needed - simulated) <= 1, "\(hour)")
            #expect(hour.disagreement == nil)
        }
        #expect(forecast.shortHours.count == 5 * 8)

        // The same numbers as the formula computed here, hour by hour.
        for hour in forecast.hours {
            #expect(hour.needed == ErlangC.agentsNeeded(arrivalsPerHour: hour.arrivals, handlingSeconds: 360, targetSeconds: 120, goal: 0.8))
        }

        let backtest = try #require(forecast.backtest)
        print("backtest on the generated history: mean absolute error \(backtest.meanAbsoluteError) an hour, week total \(backtest.totalError)")
        #expect(backtest.weeksUsed == 7)
        #expect(backtest.meanAbsoluteError == 0 && backtest.totalError == 0 && backtest.staffingWithinOne == 1)
    }

    @Test(.timeLimit(.minutes(2))) func closedHoursNeedNobodyAndTheirArrivalsWaitForTheOpening() throws {
        let history = try Self.history()
        let fixture = history.fixture
        let weekdays = Dictionary(uniqueKeysWithValues: (2...6).map { ($0, [BusinessCalendar.Interval(start: 9 * 60, end: 17 * 60)]) })
        fixture.service.sla = SLAPolicy(calendar: BusinessCalendar(timeZone: TimeZone(identifier: "UTC")!, weekly: weekdays))
        let forecast = try fixture.service.forecast(ForecastOptions(days: 2, targetSeconds: 120))
        #expect(forecast.hours[0].open == false && forecast.hours[0].needed == 0)
        // Monday 00:00 to 09:00: nine hours of 3, carried into the opening hour with its own 36.
        #expect(forecast.hours[9].open && forecast.hours[9].arrivals == 63)
        #expect(forecast.hours[9].needed == ErlangC.agentsNeeded(arrivalsPerHour: 63, handlingSeconds: 360, targetSeconds: 120, goal: 0.8))
        // Then 17:00 Monday to 09:00 Tuesday: sixteen hours of 3 carried.
        #expect(forecast.hours[24 + 9].arrivals == 36 + 16 * 3)
    }

    @Test(.timeLimit(.minutes(2))) func aGrowingHistoryIsForecastOnItsTrend() throws {
        // Each week one more conversation in every hour (week 0: 3, week 7: 10 an hour).
        let history = try Self.history(perHour: "3 + (i / 168)")
        let fixture = history.fixture
        let forecast = try fixture.service.forecast(ForecastOptions(days: 7, targetSeconds: 120))
        // The trend line continues: 11 an hour in the coming week.
        #expect(abs(forecast.hours[0].arrivals - 11) < 1e-9)
        #expect(abs(forecast.hours[100].arrivals - 11) < 1e-9)
        let backtest = try #require(forecast.backtest)
        // Forecast from weeks 0 to 6, last week's 10 an hour is exactly on the line.
        #expect(abs(backtest.meanAbsoluteError) < 1e-9)
    }

    /// Through the service, on either store (`make test` runs this suite on PostgreSQL too):
    /// claims, replies sent through the outbox, and what the forecast reads of them.
    @Test func theHistoryIsReadFromClaimsAndSentReplies() throws {
        let fixture = try ServiceFixture()
        try fixture.responder("ann", capacity: 10)
        fixture.service.delivery.undoSeconds = 0
        let start = fixture.clock.now()
        // Three conversations: claimed after a minute, answered 2, 4 and 9 minutes later; the
        // second gets a second reply, the third opens an hour later.
        var conversations: [ConversationID] = []
        for (index, minutes) in [2, 4, 9].enumerated() {
            fixture.clock.set(start.adding(milliseconds: Int64(index / 2) * 3_600_000 + Int64(index) * 60_000))
            let id = try fixture.conversation()
            conversations.append(id)
            fixture.clock.advance(milliseconds: 60_000)
            _ = try fixture.service.claim(id, by: "ann")
            fixture.clock.advance(milliseconds: Int64(minutes) * 60_000)
            try send(fixture, id, times: index == 1 ? 2 : 1)
        }
        let history = try fixture.store.read {
            try $0.forecastHistory(from: start, to: start.adding(milliseconds: 3 * 3_600_000))
        }
        let hour = start.millisecondsSinceEpoch / 3_600_000 * 3_600_000
        #expect(history.arrivals == [hour: 2, hour + 3_600_000: 1])
        // The second's clock runs to its last reply (sent at once after the first).
        #expect(history.claimToReply.sorted() == [120_000, 240_000, 540_000])
        #expect(history.conversationsReplied == 3 && history.repliesSent == 4)
        // Nothing outside the range.
        let before = try fixture.store.read { try $0.forecastHistory(from: start.adding(milliseconds: -3_600_000), to: start) }
        #expect(before.arrivals.isEmpty && before.claimToReply.isEmpty && before.repliesSent == 0)
    }

    private func send(_ fixture: ServiceFixture, _ id: ConversationID, times: Int) throws {
        for _ in 0..<times {
            _ = try fixture.service.sendReply(id, text: "@someone on it", by: "ann")
            let delivery = try #require(try fixture.service.beginNextDelivery())
            _ = try fixture.service.finishDelivery(ReplyID(delivery.replyID), outcome: .delivered(platformID: "p\(delivery.replyID)"))
        }
    }

    /// A forecast is made once an hour; who is available is read at every ask.
    @Test(.timeLimit(.minutes(2))) func theForecastIsRememberedForTheHourWithAvailabilityReadAgain() throws {
        let history = try Self.history()
        let fixture = history.fixture
        let options = ForecastOptions(days: 1, targetSeconds: 120)
        let first = try fixture.service.forecast(options)
        #expect(first.availableNow == 0 && first.hours[9].short == 6)
        // The history changes under it (the generated day again) and a responder comes in.
        try DatabaseQueue(path: history.directory.file("inbox.sqlite")).write { db in
            try db.execute(sql: "INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable, cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview) SELECT channel_id, customer_id, status, priority, triage_class, triage_reason, routable, cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview FROM conversation")
        }
        try fixture.responder("ann")
        let again = try fixture.service.forecast(options)
        #expect(again.hours.map(\.arrivals) == first.hours.map(\.arrivals), "remembered for the hour")
        #expect(again.availableNow == 1 && again.hours[9].short == 5)
        // The next hour is forecast anew, from the changed history (twice the arrivals; the hour
        // just gone, empty, tilts the trend a little).
        fixture.clock.advance(milliseconds: 3_600_000)
        let later = try fixture.service.forecast(options)
        #expect(abs(later.hours[8].arrivals - 2 * 36) < 0.5, "\(later.hours[8].arrivals)")
    }

    @Test func optionsOutOfRangeAreRefusedWithTheRange() throws {
        let fixture = try ServiceFixture()
        #expect(throws: ServiceError.invalid("days must be 1 to 28, not 40")) { try fixture.service.forecast(ForecastOptions(days: 40)) }
        #expect(throws: ServiceError.invalid("the service level must be 50% to 99%, not 100.0%")) {
            try fixture.service.forecast(ForecastOptions(serviceLevel: 1))
        }
    }

    @Test func anEmptyHistorySaysWhatIsMissing() throws {
        let fixture = try ServiceFixture()
        let forecast = try fixture.service.forecast()
        #expect(forecast.historyWeeks == 0 && forecast.handlingSeconds == nil && forecast.backtest == nil)
        #expect(forecast.hours.allSatisfy { $0.needed == nil && $0.arrivals == 0 })
        #expect(forecast.notes.count == 2)
    }

    /// A store (SQLite: the history is written by SQL) holding 8 weeks of `perHour` arrivals
    /// (an SQL expression of the hour's index `i`; default the business-hours curve), the
    /// clock at `now`.
    struct History {
        let directory: TemporaryDirectory
        let fixture: ServiceFixture
    }

    static func history(perHour: String? = nil) throws -> History {
        let directory = try TemporaryDirectory("earshot-forecast")
        let path = directory.file("inbox.sqlite")
        let fixture = try ServiceFixture(store: try SQLiteInboxStore(path: path))
        fixture.clock.set(now)
        let curve = perHour ?? "CASE WHEN (i / 24) % 7 < 5 AND i % 24 BETWEEN 9 AND 16 THEN 36 ELSE 3 END"
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                INSERT INTO customer (id, platform, handle, display_name, first_seen) VALUES (1000, 'x', 'someone', 'S', \(historyStart));
                WITH RECURSIVE hour(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM hour WHERE i < \(weeks * 168 - 1)),
                    slot(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM slot WHERE j < 59),
                    arrival(at) AS (
                        SELECT \(historyStart) + i * 3600000 + j * (3600000 / (\(curve))) FROM hour, slot WHERE j < (\(curve)))
                INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                    cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview, assignee_id, assigned_at, last_reply_at)
                    SELECT \(fixture.channel.id), 1000, 'open', 1, 'question', 'test', 1, 1, at, at, at, at, 'help', 1,
                        at + 60000, at + 300000 FROM arrival;
                UPDATE conversation SET last_reply_at = last_reply_at + 120000 WHERE id % 2 = 0;
                INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                    SELECT id, 1, 1, 'on it', 'sent', assigned_at + 240000, assigned_at + 240000, assigned_at + 240000 FROM conversation;
                INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                    SELECT id, 1, 1, 'and done', 'sent', last_reply_at, last_reply_at, last_reply_at
                    FROM conversation WHERE id % 2 = 0;
                """)
        }
        return History(directory: directory, fixture: fixture)
    }
}
