import Foundation

/// Parses the time formats the platforms use, without `DateFormatter` (slow, and
/// locale-dependent). Results are UTC milliseconds.
public enum TimestampParsing {
    /// What a parse found besides the time, so callers can warn about guesses.
    public enum Zone: Equatable, Sendable {
        /// `Z` or an explicit offset.
        case explicit
        /// No zone was written; the time was read as UTC.
        case assumedUTC
    }

    /// ISO 8601 / RFC 3339: `2024-01-15T12:05:00.000Z`, `2017-10-31T22:10:47+01:00`,
    /// `2017-10-31 22:10:47` (no zone: read as UTC), fractional seconds of any length.
    /// Nil for text of another shape and for impossible times (see `impossibility(iso8601:)`).
    public static func iso8601(_ text: some StringProtocol) -> (Timestamp, Zone)? {
        if case let .time(time, zone) = parseISO8601(text) { return (time, zone) }
        return nil
    }

    /// Why text shaped like an ISO 8601 time is still not a time ("has second 60; seconds run
    /// 00 to 59"), or nil when it parses or has another shape. For reject messages.
    public static func impossibility(iso8601 text: some StringProtocol) -> String? {
        if case let .impossible(reason) = parseISO8601(text) { return reason }
        return nil
    }

    enum Outcome {
        case time(Timestamp, Zone)
        /// The right shape, but a field is out of range; the reason says which.
        case impossible(String)
        case malformed
    }

    static func parseISO8601(_ text: some StringProtocol) -> Outcome {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2)
        else { return .malformed }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
                || bytes[index] == UInt8(ascii: " ")
        else { return .malformed }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2) else { return .malformed }
        var second = 0
        var millisecond = 0
        if expect(UInt8(ascii: ":")) {
            guard let parsed = number(2) else { return .malformed }
            second = parsed
            if expect(UInt8(ascii: ".")) || expect(UInt8(ascii: ",")) {
                var scale = 100
                var sawDigit = false
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    millisecond += Int(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    sawDigit = true
                }
                guard sawDigit else { return .malformed }
            }
        }
        var offset = (hours: 0, minutes: 0, negative: false)
        var zone = Zone.assumedUTC
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
                zone = .explicit
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
                guard let hours = number(2) else { return .malformed }
                _ = expect(UInt8(ascii: ":"))
                offset = (hours, number(2) ?? 0, sign == UInt8(ascii: "-"))
                zone = .explicit
            }
        }
        guard index == bytes.count else { return .malformed }
        let fields = Fields(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            offsetHours: offset.hours, offsetMinutes: offset.minutes, offsetNegative: offset.negative)
        if let reason = fields.impossibility { return .impossible(reason) }
        let milliseconds = Int64(fields.epochSeconds) * 1000 + Int64(millisecond)
        return .time(Timestamp(millisecondsSinceEpoch: milliseconds), zone)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Twitter's classic form: `Tue Oct 31 22:10:47 +0000 2017`. Nil for another shape and
    /// for impossible times (see `impossibility(twitterClassic:)`).
    public static func twitterClassic(_ text: some StringProtocol) -> Timestamp? {
        if case let .time(time, _) = parseTwitterClassic(text) { return time }
        return nil
    }

    /// Why text shaped like a Twitter time is still not a time, or nil.
    public static func impossibility(twitterClassic text: some StringProtocol) -> String? {
        if case let .impossible(reason) = parseTwitterClassic(text) { return reason }
        return nil
    }

    static func parseTwitterClassic(_ text: some StringProtocol) -> Outcome {
        func digits(_ part: some StringProtocol, count: ClosedRange<Int>) -> Int? {
            guard count.contains(part.utf8.count), part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Int(part)
        }
        let parts = String(text).split(separator: " ")
        guard parts.count == 6, let monthIndex = months.firstIndex(of: String(parts[1])),
              let day = digits(parts[2], count: 1...2), let year = digits(parts[5], count: 4...4)
        else { return .malformed }
        let clock = parts[3].split(separator: ":")
        let offset = parts[4]
        guard clock.count == 3, let hour = digits(clock[0], count: 2...2), let minute = digits(clock[1], count: 2...2),
              let second = digits(clock[2], count: 2...2),
              offset.count == 5, let offsetValue = digits(offset.dropFirst(), count: 4...4),
              offset.first == "+" || offset.first == "-"
        else { return .malformed }
        let fields = Fields(
            year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second,
            offsetHours: offsetValue / 100, offsetMinutes: offsetValue % 100, offsetNegative: offset.first == "-")
        if let reason = fields.impossibility { return .impossible(reason) }
        return .time(Timestamp(secondsSinceEpoch: Int64(fields.epochSeconds)), .explicit)
    }

    /// A written time's fields, checked before they become an instant.
    struct Fields {
        var year, month, day, hour, minute, second: Int
        var offsetHours, offsetMinutes: Int
        var offsetNegative: Bool

        /// No post predates the Unix epoch, and no zone is more than 14 hours from UTC; a
        /// leap second (60) has no Unix time, so it is refused rather than silently moved.
        var impossibility: String? {
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            if !(1970...9999).contains(year) {
                let written = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
                return "has year \(written); years run from 1970 to 9999"
            }
            if !(1...12).contains(month) { return "has month \(two(month)); months run 01 to 12" }
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            let monthLengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            if !(1...monthLengths[month - 1]).contains(day) {
                return "has day \(two(day)); that month has \(monthLengths[month - 1]) days"
            }
            if hour > 23 { return "has hour \(two(hour)); hours run 00 to 23" }
            if minute > 59 { return "has minute \(two(minute)); minutes run 00 to 59" }
            if second > 59 { return "has second \(two(second)); seconds run 00 to 59" }
            if offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60 {
                let sign = offsetNegative ? "-" : "+"
                return "has offset \(sign)\(two(offsetHours)):\(two(offsetMinutes)); offsets run from -14:00 to +14:00"
            }
            return nil
        }

        /// Seconds since the epoch in UTC; only meaningful when `impossibility` is nil.
        var epochSeconds: Int {
            let local = TimestampParsing.epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second) ?? 0
            let offset = (offsetHours * 3600 + offsetMinutes * 60) * (offsetNegative ? -1 : 1)
            return local - offset
        }
    }

    /// Seconds since the epoch for a proleptic Gregorian UTC date, or nil when a field is out of range.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...59).contains(second)
        else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthLengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthLengths[month - 1] else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthShifted = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthShifted + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 + hour * 3600 + minute * 60 + second
    }
}
