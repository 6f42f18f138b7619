import EarshotCore
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
    public static func iso8601(_ text: some StringProtocol) -> (Timestamp, Zone)? {
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
        else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
                || bytes[index] == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2) else { return nil }
        var second = 0
        var millisecond = 0
        if expect(UInt8(ascii: ":")) {
            guard let parsed = number(2) else { return nil }
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
                guard sawDigit else { return nil }
            }
        }
        var offsetSeconds = 0
        var zone = Zone.assumedUTC
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
                zone = .explicit
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                index += 1
                guard let hours = number(2) else { return nil }
                _ = expect(UInt8(ascii: ":"))
                let minutes = number(2) ?? 0
                offsetSeconds = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
                zone = .explicit
            }
        }
        guard index == bytes.count,
              let epoch = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        let milliseconds = Int64(epoch - offsetSeconds) * 1000 + Int64(millisecond)
        return (Timestamp(millisecondsSinceEpoch: milliseconds), zone)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Twitter's classic form: `Tue Oct 31 22:10:47 +0000 2017`.
    public static func twitterClassic(_ text: some StringProtocol) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let monthIndex = months.firstIndex(of: String(parts[1])),
              let day = Int(parts[2]), let year = Int(parts[5])
        else { return nil }
        let clock = parts[3].split(separator: ":")
        let offset = parts[4]
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              offset.count == 5, let offsetValue = Int(offset.dropFirst()),
              offset.first == "+" || offset.first == "-",
              let epoch = epochSeconds(year: year, month: monthIndex + 1, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        let offsetSeconds = ((offsetValue / 100) * 3600 + (offsetValue % 100) * 60) * (offset.first == "-" ? -1 : 1)
        return Timestamp(secondsSinceEpoch: Int64(epoch - offsetSeconds))
    }

    /// Seconds since the epoch for a proleptic Gregorian UTC date, or nil when a field is out of range.
    static func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second)
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
