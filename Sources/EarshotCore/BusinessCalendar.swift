import Foundation

/// When the support team counts time: a time zone, working intervals per weekday (several a
/// day, and intervals that run past midnight), and holidays. SLA policies that count business
/// hours only measure waits through this; `always` counts every millisecond.
///
/// An interval belongs to the day it starts on: a holiday cancels the intervals that start on
/// it, and an overnight interval that started the evening before still runs into it.
public struct BusinessCalendar: Equatable, Sendable {
    /// Minutes from local midnight; `end` may exceed 1,440 for an interval that crosses midnight.
    public struct Interval: Equatable, Sendable {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        /// Parses `09:00-17:30`; `22:00-06:00` crosses midnight.
        public init?(_ text: String) {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let from = Self.minutes(parts[0]), let to = Self.minutes(parts[1]), from != to else {
                return nil
            }
            start = from
            end = to > from ? to : to + 1_440
        }

        static func minutes(_ text: Substring) -> Int? {
            let pieces = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard pieces.count == 2, let hours = Int(pieces[0]), let minutes = Int(pieces[1]),
                  (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 1_440
            else { return nil }
            return hours * 60 + minutes
        }
    }

    /// A calendar day in the calendar's zone.
    public struct Day: Hashable, Sendable, Comparable {
        public var year: Int
        public var month: Int
        public var day: Int

        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }

        /// Parses `2026-12-25`.
        public init?(_ text: String) {
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
            self.init(year: parts[0], month: parts[1], day: parts[2])
        }

        public static func < (lhs: Day, rhs: Day) -> Bool {
            (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
        }
    }

    public var timeZone: TimeZone
    /// Intervals by weekday, 1 = Sunday ... 7 = Saturday (Foundation's numbering).
    public var weekly: [Int: [Interval]]
    public var holidays: Set<Day>

    public init(timeZone: TimeZone, weekly: [Int: [Interval]], holidays: Set<Day> = []) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.holidays = holidays
    }

    /// Every hour of every day, in UTC.
    public static let always = BusinessCalendar(
        timeZone: TimeZone(identifier: "UTC")!, weekly: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [Interval(start: 0, end: 1_440)]) }))

    public var isAlways: Bool { self == .always }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Business time between two instants (0 when `to` is not after `from`).
    public func businessMilliseconds(from: Timestamp, to: Timestamp) -> Int64 {
        guard to > from else { return 0 }
        if isAlways { return to.milliseconds(since: from) }
        var total: Int64 = 0
        for window in windows(startingDayOf: from, through: to) {
            let start = max(window.start, from)
            let end = min(window.end, to)
            if end > start { total += end.milliseconds(since: start) }
        }
        return total
    }

    /// The instant when `milliseconds` of business time have passed after `start`; nil if the
    /// calendar has no working time in the next two years (nothing would ever be due).
    public func adding(milliseconds: Int64, to start: Timestamp) -> Timestamp? {
        if isAlways { return start.adding(milliseconds: milliseconds) }
        var remaining = milliseconds
        var day = localDay(of: start, offsetDays: -1)
        for _ in 0..<(366 * 2) {
            for window in windows(on: day) where window.end > start {
                let from = max(window.start, start)
                let length = window.end.milliseconds(since: from)
                if length >= remaining { return from.adding(milliseconds: remaining) }
                remaining -= length
            }
            day = next(day)
        }
        return nil
    }

    /// Working windows (absolute instants) for the days that can overlap [from, to].
    func windows(startingDayOf from: Timestamp, through to: Timestamp) -> [(start: Timestamp, end: Timestamp)] {
        var result: [(start: Timestamp, end: Timestamp)] = []
        var day = localDay(of: from, offsetDays: -1)
        let last = localDay(of: to, offsetDays: 0)
        while day <= last {
            result += windows(on: day)
            day = next(day)
        }
        return result
    }

    /// The intervals that start on `day`, as instants (daylight-saving changes included).
    func windows(on day: Day) -> [(start: Timestamp, end: Timestamp)] {
        guard !holidays.contains(day), let midnight = instant(day, minutes: 0) else { return [] }
        let weekday = calendar.component(.weekday, from: midnight.date)
        return (weekly[weekday] ?? []).compactMap { interval in
            guard let start = instant(day, minutes: interval.start), let end = instant(day, minutes: interval.end) else { return nil }
            return end > start ? (start, end) : nil
        }
    }

    /// Local wall-clock time `minutes` after midnight of `day` (may run into the next days).
    func instant(_ day: Day, minutes: Int) -> Timestamp? {
        var components = DateComponents()
        components.year = day.year
        components.month = day.month
        components.day = day.day + minutes / 1_440
        components.hour = (minutes % 1_440) / 60
        components.minute = minutes % 60
        return calendar.date(from: components).map(Timestamp.init)
    }

    func localDay(of time: Timestamp, offsetDays: Int) -> Day {
        let date = calendar.date(byAdding: .day, value: offsetDays, to: time.date) ?? time.date
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    func next(_ day: Day) -> Day {
        guard let noon = instant(day, minutes: 720) else { return day }
        return localDay(of: noon, offsetDays: 1)
    }
}
