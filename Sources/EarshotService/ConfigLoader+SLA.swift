import EarshotCore
import Foundation
import TOMLKit

/// The `[sla]`, `[sla.PRIORITY]` and `[business_hours]` sections (docs/config.md).
extension ConfigLoader {
    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func applySLA(_ table: TOMLTable, file: String, text: String, to config: inout EarshotConfig) throws {
        for key in table.keys.sorted() {
            let line = lineOf(section: "sla", key: key, in: text)
            if key == "warning" {
                guard let fraction = table[key]?.double ?? table[key]?.int.map(Double.init), fraction > 0, fraction < 1 else {
                    throw ConfigError(file: file, line: line, message: "sla.warning must be a fraction between 0 and 1, like 0.75")
                }
                config.sla.warningFraction = fraction
                continue
            }
            guard let priority = Priority(name: key), let targets = table[key]?.table else {
                throw ConfigError(
                    file: file, line: line,
                    message: "unknown key \(key) in [sla]; known: warning, and the tables [sla.low], [sla.normal], [sla.high], [sla.urgent]")
            }
            var target = config.sla.targets[priority] ?? SLATarget(firstResponse: nil, reply: nil)
            for name in targets.keys.sorted() {
                let keyLine = lineOf(section: "sla.\(key)", key: name, in: text)
                switch name {
                case "first_response", "reply":
                    guard let value = targets[name]?.string, case let .some(duration) = duration(value) else {
                        throw ConfigError(
                            file: file, line: keyLine,
                            message: "sla.\(key).\(name) must be a duration like \"15m\", \"4h\", \"1d\" or \"none\"")
                    }
                    if name == "first_response" { target.firstResponse = duration } else { target.reply = duration }
                case "business_hours":
                    guard let flag = targets[name]?.bool else {
                        throw ConfigError(file: file, line: keyLine, message: "sla.\(key).business_hours must be true or false")
                    }
                    target.businessHoursOnly = flag
                default:
                    throw ConfigError(
                        file: file, line: keyLine,
                        message: "unknown key \(name) in [sla.\(key)]; known: business_hours, first_response, reply")
                }
            }
            config.sla.targets[priority] = target
        }
    }

    static func applyBusinessHours(_ table: TOMLTable, file: String, text: String, to config: inout EarshotConfig) throws {
        var calendar = config.sla.calendar.isAlways
            ? BusinessCalendar(timeZone: TimeZone(identifier: "UTC")!, weekly: [:]) : config.sla.calendar
        for key in table.keys.sorted() {
            let line = lineOf(section: "business_hours", key: key, in: text)
            if key == "time_zone" {
                guard let name = table[key]?.string, let zone = TimeZone(identifier: name) else {
                    throw ConfigError(file: file, line: line, message: "business_hours.time_zone must be a zone name like \"Europe/Berlin\"")
                }
                calendar.timeZone = zone
            } else if key == "holidays" {
                guard let list = table[key]?.array else {
                    throw ConfigError(file: file, line: line, message: "business_hours.holidays must be a list of dates like [\"2026-12-25\"]")
                }
                for item in list {
                    guard let text = item.string, let day = BusinessCalendar.Day(text) else {
                        throw ConfigError(file: file, line: line, message: "business_hours.holidays: \"\(item)\" is not a date like 2026-12-25")
                    }
                    calendar.holidays.insert(day)
                }
            } else if let weekday = weekdays.firstIndex(of: key) {
                guard let list = table[key]?.array else {
                    throw ConfigError(file: file, line: line, message: "business_hours.\(key) must be a list like [\"09:00-17:00\"] ([] for closed)")
                }
                var intervals: [BusinessCalendar.Interval] = []
                for item in list {
                    guard let text = item.string, let interval = BusinessCalendar.Interval(text) else {
                        throw ConfigError(
                            file: file, line: line,
                            message: "business_hours.\(key): \"\(item)\" is not an interval like 09:00-17:00 (22:00-06:00 runs past midnight)")
                    }
                    if intervals.contains(where: { $0.start < interval.end && interval.start < $0.end }) {
                        throw ConfigError(file: file, line: line, message: "business_hours.\(key): \(text) overlaps another interval")
                    }
                    intervals.append(interval)
                }
                calendar.weekly[weekday + 1] = intervals.sorted { $0.start < $1.start }
            } else {
                throw ConfigError(
                    file: file, line: line,
                    message: "unknown key \(key) in [business_hours]; known: time_zone, holidays, \(weekdays.joined(separator: ", "))")
            }
        }
        config.sla.calendar = calendar
    }

    /// `15m`, `4h`, `1d`, `90s` in milliseconds, `.some(nil)` for `none` (no target), nil if unreadable.
    static func duration(_ text: String) -> Int64?? {
        if text == "none" { return .some(nil) }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount * 1000
        case "m": return amount * 60_000
        case "h": return amount * 3_600_000
        case "d": return amount * 86_400_000
        default: return nil
        }
    }
}
