/// When a snoozed conversation comes back, as typed after `:snooze`: a duration from now or a
/// local date and time. The app turns it into a timestamp with its clock and time zone.
public enum SnoozeTime: Sendable, Hashable, CustomStringConvertible {
    /// `90m`, `2h`, `1d`, `1w`, `1h30m`: seconds from now.
    case duration(seconds: Int)
    /// `2026-12-01T09:00` (or a date alone: 09:00 that day, the start of a working day).
    case until(year: Int, month: Int, day: Int, hour: Int, minute: Int)

    static let unitSeconds: [Character: Int] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]

    /// Parses a duration or a date and time; nil if it is neither (or an impossible date).
    public init?(_ text: String) {
        if let seconds = Self.duration(text) {
            self = .duration(seconds: seconds)
            return
        }
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]),
              (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day) else { return nil }
        var hour = 9, minute = 0
        if parts.count == 2 {
            let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard time.count == 2 || time.count == 3, time.allSatisfy({ $0.count == 2 }),
                  let h = Int(time[0]), let m = Int(time[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
            // Seconds are accepted and dropped: snoozing is to the minute.
            if time.count == 3 { guard let s = Int(time[2]), (0...59).contains(s) else { return nil } }
            (hour, minute) = (h, m)
        }
        self = .until(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// The normal spelling: `5400s` is written back as `1h30m`, a date as `2026-12-01T09:00`.
    public var description: String {
        switch self {
        case .duration(var seconds):
            var text = ""
            for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds >= size {
                text += "\(seconds / size)\(unit)"
                seconds %= size
            }
            return text
        case let .until(year, month, day, hour, minute):
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return "\(year)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute))"
        }
    }

    /// `1h30m` in seconds; at least a minute, at most a year (a typo like `2000d` is refused).
    private static func duration(_ text: String) -> Int? {
        var total = 0, number = ""
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                number.append(character)
            } else if let size = unitSeconds[character], let value = Int(number), number.count <= 6 {
                total += value * size
                number = ""
            } else {
                return nil
            }
        }
        guard number.isEmpty, total >= 60, total <= 366 * 86_400 else { return nil }
        return total
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
