import EarshotCore
import Foundation
import Testing

@Suite struct BusinessCalendarTests {
    static func at(_ iso: String) -> Timestamp {
        // Hand-written instants in UTC (the Z forms below are computed by hand from local times).
        var parts = iso.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
        while parts.count < 5 { parts.append(0) }
        var components = DateComponents()
        (components.year, components.month, components.day, components.hour, components.minute) = (parts[0], parts[1], parts[2], parts[3], parts[4])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return Timestamp(calendar.date(from: components)!)
    }

    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000

    static func weekdays(_ intervals: [String], zone: String, holidays: Set<BusinessCalendar.Day> = []) -> BusinessCalendar {
        let parsed = intervals.compactMap(BusinessCalendar.Interval.init)
        return BusinessCalendar(
            timeZone: TimeZone(identifier: zone)!, weekly: Dictionary(uniqueKeysWithValues: (2...6).map { ($0, parsed) }), holidays: holidays)
    }

    @Test func splitShiftsSkipTheLunchBreak() {
        // Berlin in November is UTC+1: 11:30 local is 10:30Z, 13:30 local is 12:30Z.
        let calendar = Self.weekdays(["09:00-12:00", "13:00-17:00"], zone: "Europe/Berlin")
        let elapsed = calendar.businessMilliseconds(from: Self.at("2026-11-23T10:30Z"), to: Self.at("2026-11-23T12:30Z"))
        #expect(elapsed == 60 * Self.minute)
        // Friday 16:30 local to Monday 09:30 local: 30 minutes on Friday, 30 on Monday.
        #expect(calendar.businessMilliseconds(from: Self.at("2026-11-27T15:30Z"), to: Self.at("2026-11-30T08:30Z")) == 60 * Self.minute)
        // Four business hours after Friday 15:00 local (14:00Z) is Monday 11:00 local (10:00Z).
        #expect(calendar.adding(milliseconds: 4 * Self.hour, to: Self.at("2026-11-27T14:00Z")) == Self.at("2026-11-30T10:00Z"))
    }

    @Test func overnightIntervalsRunPastMidnight() {
        let calendar = BusinessCalendar(
            timeZone: TimeZone(identifier: "UTC")!, weekly: [2: [BusinessCalendar.Interval("22:00-06:00")!]])
        // Monday 2026-11-23 23:00 to Tuesday 01:00: all inside Monday's night shift.
        #expect(calendar.businessMilliseconds(from: Self.at("2026-11-23T23:00Z"), to: Self.at("2026-11-24T01:00Z")) == 2 * Self.hour)
        // Tuesday 05:00 to 07:00: the shift that began Monday ends at 06:00.
        #expect(calendar.businessMilliseconds(from: Self.at("2026-11-24T05:00Z"), to: Self.at("2026-11-24T07:00Z")) == Self.hour)
        // Tuesday night has no shift (only Monday's is configured).
        #expect(calendar.businessMilliseconds(from: Self.at("2026-11-24T22:00Z"), to: Self.at("2026-11-25T02:00Z")) == 0)
    }

    @Test func holidaysCancelTheIntervalsThatStartOnThem() {
        let christmas = BusinessCalendar.Day(year: 2026, month: 12, day: 25)
        let calendar = Self.weekdays(["09:00-17:00"], zone: "UTC", holidays: [christmas])
        // Thursday 24th 16:00 to Monday 28th 10:00: one hour each side; Friday is a holiday, then the weekend.
        #expect(calendar.businessMilliseconds(from: Self.at("2026-12-24T16:00Z"), to: Self.at("2026-12-28T10:00Z")) == 2 * Self.hour)
        #expect(calendar.adding(milliseconds: 2 * Self.hour, to: Self.at("2026-12-24T16:00Z")) == Self.at("2026-12-28T10:00Z"))
        #expect(BusinessCalendar.Day("2026-12-25") == christmas)
    }

    @Test func daylightSavingDaysAreShorterAndLonger() {
        let allDaySunday = [1: [BusinessCalendar.Interval(start: 0, end: 1_440)]]
        // Berlin springs forward on Sunday 2026-03-29: local midnight to midnight is 23 hours
        // (from 2026-03-28T23:00Z, UTC+1, to 2026-03-29T22:00Z, UTC+2).
        let berlin = BusinessCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!, weekly: allDaySunday)
        #expect(berlin.businessMilliseconds(from: Self.at("2026-03-28T12:00Z"), to: Self.at("2026-03-30T12:00Z")) == 23 * Self.hour)
        // New York falls back on Sunday 2026-11-01: that day has 25 hours
        // (from 2026-11-01T04:00Z, UTC-4, to 2026-11-02T05:00Z, UTC-5).
        let newYork = BusinessCalendar(timeZone: TimeZone(identifier: "America/New_York")!, weekly: allDaySunday)
        #expect(newYork.businessMilliseconds(from: Self.at("2026-10-31T12:00Z"), to: Self.at("2026-11-02T12:00Z")) == 25 * Self.hour)
    }

    @Test func aCalendarWithoutWorkingTimeNeverFallsDue() {
        let closed = BusinessCalendar(timeZone: TimeZone(identifier: "UTC")!, weekly: [:])
        #expect(closed.adding(milliseconds: Self.hour, to: Self.at("2026-01-01T00:00Z")) == nil)
        #expect(BusinessCalendar.always.adding(milliseconds: Self.hour, to: Self.at("2026-01-01T00:00Z")) == Self.at("2026-01-01T01:00Z"))
    }

    @Test func intervalsParseAndRejectNonsense() {
        #expect(BusinessCalendar.Interval("09:00-17:30") == BusinessCalendar.Interval(start: 540, end: 1_050))
        #expect(BusinessCalendar.Interval("22:00-06:00") == BusinessCalendar.Interval(start: 1_320, end: 1_800))
        #expect(BusinessCalendar.Interval("9-5") == nil)
        #expect(BusinessCalendar.Interval("25:00-26:00") == nil)
        #expect(BusinessCalendar.Interval("10:00-10:00") == nil)
    }
}

@Suite struct SLAPolicyTests {
    @Test func stateMovesFromOkToWarningToBreached() {
        let policy = SLAPolicy(targets: [.normal: SLATarget(firstResponse: 60 * 60_000, reply: nil)], warningFraction: 0.75)
        let start = Timestamp(secondsSinceEpoch: 1_700_000_000)
        func state(afterMinutes minutes: Int64) -> SLAState? {
            policy.state(waitingSince: start, kind: .firstResponse, priority: .normal, now: start.adding(seconds: minutes * 60))
        }
        #expect(state(afterMinutes: 44) == .ok(remaining: 16 * 60_000))
        #expect(state(afterMinutes: 45) == .warning(remaining: 15 * 60_000))
        #expect(state(afterMinutes: 60) == .warning(remaining: 0))
        #expect(state(afterMinutes: 61) == .breached(over: 60_000))
        #expect(policy.state(waitingSince: start, kind: .reply, priority: .normal, now: start) == nil)
        #expect(policy.dueAt(waitingSince: start, kind: .firstResponse, priority: .normal) == start.adding(seconds: 3_600))
        #expect(policy.met(from: start, to: start.adding(seconds: 3_600), kind: .firstResponse, priority: .normal) == true)
        #expect(policy.met(from: start, to: start.adding(seconds: 3_601), kind: .firstResponse, priority: .normal) == false)
    }

    @Test func businessHoursPoliciesMeasureThroughTheCalendar() {
        let calendar = BusinessCalendarTests.weekdays(["09:00-17:00"], zone: "UTC")
        let policy = SLAPolicy(
            targets: [.high: SLATarget(firstResponse: 2 * 3_600_000, reply: nil, businessHoursOnly: true)], calendar: calendar)
        // Friday 16:00 plus two business hours is Monday 10:00.
        let friday = BusinessCalendarTests.at("2026-11-27T16:00Z")
        #expect(policy.dueAt(waitingSince: friday, kind: .firstResponse, priority: .high) == BusinessCalendarTests.at("2026-11-30T10:00Z"))
        // Monday 09:30: only 1.5 business hours used though 65.5 hours passed; 75% of the target is the warning line.
        #expect(policy.state(waitingSince: friday, kind: .firstResponse, priority: .high, now: BusinessCalendarTests.at("2026-11-30T09:30Z"))
                == .warning(remaining: 30 * 60_000))
        #expect(policy.state(waitingSince: friday, kind: .firstResponse, priority: .high, now: BusinessCalendarTests.at("2026-11-30T09:00Z"))
                == .ok(remaining: 60 * 60_000))
    }
}
