import EarshotCore
import EarshotService
import Foundation

/// Renders a staffing forecast: a summary and a row per hour for people, CSV and JSON for scripts.
enum ForecastFormatter {
    static func table(_ forecast: StaffingForecast, zone: TimeZone) -> String {
        var out = summary(forecast).map { $0 + "\n" }.joined()
        out += "\n"
        let header = ["HOUR", "ARRIVALS", "ERLANGS", "NEED", "SIMULATED", "SHORT"]
        var lines = [header]
        let hourLabel = hourLabeller(zone)
        for hour in forecast.hours {
            lines.append([
                hourLabel(hour.start) + (hour.open ? "" : " closed"),
                String(format: "%.1f", hour.arrivals), hour.open ? String(format: "%.2f", hour.traffic) : "-",
                hour.needed.map(String.init) ?? "-", hour.simulated.map(String.init) ?? "-",
                hour.short > 0 ? "\(hour.short) short" : "",
            ])
        }
        out += TextTable.render(lines)
        for hour in forecast.hours where hour.disagreement != nil {
            out += "\(hourLabel(hour.start)): Erlang C says \(hour.needed ?? 0), \(hour.disagreement ?? "")\n"
        }
        return out
    }

    /// The lines above the table: what the forecast learned, the target, the team, the backtest, the warnings.
    static func summary(_ forecast: StaffingForecast) -> [String] {
        var lines = ["history: \(forecast.historyWeeks) week\(forecast.historyWeeks == 1 ? "" : "s"), trend "
            + String(format: "%+.1f%% a week", forecast.trendPerWeek * 100)]
        if let handling = forecast.handlingSeconds, let claim = forecast.claimToReplySeconds {
            lines.append("handling: \(minutes(handling)) a conversation (median claim to reply \(minutes(claim)) × "
                + String(format: "%.2f replies)", forecast.repliesPerConversation ?? 1))
        }
        lines.append("target: \(Int((forecast.serviceLevel * 100).rounded()))% answered within \(minutes(forecast.targetSeconds))")
        lines.append("team: \(forecast.availableNow) available now of \(forecast.teamSize)")
        if let backtest = forecast.backtest {
            var line = "backtest (last week from the \(backtest.weeksUsed) before it): arrivals off by "
                + String(format: "%.1f an hour (%.0f%%), week total %+.1f%%", backtest.meanAbsoluteError,
                         backtest.relativeError * 100, backtest.totalError * 100)
            if let within = backtest.staffingWithinOne { line += String(format: "; staffing within one in %.0f%% of hours", within * 100) }
            lines.append(line)
        } else {
            lines.append("backtest: needs two weeks of history")
        }
        let short = forecast.shortHours
        if !short.isEmpty {
            lines.append("warning: \(short.count) hour\(short.count == 1 ? "" : "s") need more than the \(forecast.availableNow) "
                + "available now (up to \(short.map(\.short).max() ?? 0) short)")
        }
        lines += forecast.notes.map { "note: " + $0 }
        return lines
    }

    static func csv(_ forecast: StaffingForecast) -> String {
        var out = "hour_start,open,arrivals,erlangs,needed,simulated,short\n"
        for hour in forecast.hours {
            out += [hour.start.iso8601, hour.open ? "1" : "0", String(format: "%.2f", hour.arrivals), String(format: "%.3f", hour.traffic),
                    hour.needed.map(String.init) ?? "", hour.simulated.map(String.init) ?? "", "\(hour.short)"].joined(separator: ",") + "\n"
        }
        return out
    }

    static func json(_ forecast: StaffingForecast) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(forecast)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `Mon 07 Dec 09:00` in `zone`, one formatter for the whole table.
    static func hourLabeller(_ zone: TimeZone) -> (Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE dd MMM HH:mm"
        return { formatter.string(from: Date(timeIntervalSince1970: Double($0.millisecondsSinceEpoch) / 1_000)) }
    }

    static func minutes(_ seconds: Double) -> String {
        seconds >= 3_600 && seconds.truncatingRemainder(dividingBy: 3_600) == 0 ? "\(Int(seconds / 3_600))h"
            : seconds >= 60 ? String(format: "%.1f min", seconds / 60) : String(format: "%.0f s", seconds)
    }
}
