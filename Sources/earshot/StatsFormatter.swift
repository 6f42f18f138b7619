import EarshotCore
import EarshotService
import Foundation

/// Renders a stats report: an aligned table for people, CSV and JSON (milliseconds) for scripts.
enum StatsFormatter {
    static let columns = [
        "n", "frt_p50", "frt_p90", "frt_p99", "frt_max", "reply_n", "reply_p50", "reply_p90", "reply_p99", "reply_max",
        "resolution_n", "resolution_p50", "sla_pct", "replies", "resolved",
    ]

    static func table(_ report: StatsReport, now: Timestamp) -> String {
        let header = [report.grouping.rawValue.uppercased(), "FRT n", "p50", "p90", "p99", "max", "REPLY n", "p50", "p90", "p99", "max",
                      "SLA", "REPLIES", "RESOLVED"]
        func cells(_ row: StatsRow) -> [String] {
            [SafeOutput.field(row.key), "\(row.firstResponse.count)", duration(row.firstResponse.p50), duration(row.firstResponse.p90),
             duration(row.firstResponse.p99), duration(row.firstResponse.max), "\(row.replyTime.count)",
             duration(row.replyTime.p50), duration(row.replyTime.p90), duration(row.replyTime.p99), duration(row.replyTime.max),
             row.slaAttainment.map { String(format: "%.1f%%", $0 * 100) } ?? "-", "\(row.repliesSent)", "\(row.resolved)"]
        }
        var out = TextTable.render([header] + report.rows.map(cells) + [cells(report.total)], totalRule: true)
        out += "\nnow: \(report.live.unassigned) unassigned, \(report.live.waiting) waiting"
        if let oldest = report.live.oldestWaitSince {
            out += ", oldest wait \(duration(now.milliseconds(since: oldest))) (since \(oldest.iso8601))"
        }
        out += "\n"
        for responder in report.live.responders {
            out += "  \(SafeOutput.field(responder.login)) \(responder.load)/\(responder.capacity) \(responder.availability.rawValue)\n"
        }
        return out
    }

    static func csv(_ report: StatsReport) -> String {
        var out = ([report.grouping.rawValue] + columns).joined(separator: ",") + "\n"
        for row in report.rows + [report.total] {
            out += ([CSVField.quote(row.key)] + values(row).map { $0.map(String.init) ?? "" }).joined(separator: ",") + "\n"
        }
        return out
    }

    static func json(_ report: StatsReport) -> String {
        func object(_ row: StatsRow) -> [String: Any] {
            var object: [String: Any] = ["key": row.key]
            for (name, value) in zip(columns, values(row)) { object[name] = value.map { $0 as Any } ?? NSNull() }
            return object
        }
        var root: [String: Any] = [
            "grouping": report.grouping.rawValue,
            "rows": report.rows.map(object),
            "total": object(report.total),
            "live": [
                "unassigned": report.live.unassigned, "waiting": report.live.waiting,
                "oldest_wait_since": report.live.oldestWaitSince.map { $0.iso8601 as Any } ?? NSNull(),
                "responders": report.live.responders.map {
                    ["login": $0.login, "load": $0.load, "capacity": $0.capacity, "availability": $0.availability.rawValue]
                },
            ],
        ]
        root["since"] = report.since.map { $0.iso8601 as Any } ?? NSNull()
        root["until"] = report.until.map { $0.iso8601 as Any } ?? NSNull()
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Durations in milliseconds, in `columns` order; SLA as a percentage with one decimal.
    static func values(_ row: StatsRow) -> [Int64?] {
        [Int64(row.firstResponse.count), row.firstResponse.p50, row.firstResponse.p90, row.firstResponse.p99, row.firstResponse.max,
         Int64(row.replyTime.count), row.replyTime.p50, row.replyTime.p90, row.replyTime.p99, row.replyTime.max,
         Int64(row.resolution.count), row.resolution.p50,
         row.slaAttainment.map { Int64(($0 * 1000).rounded()) / 10 }, Int64(row.repliesSent), Int64(row.resolved)]
    }

    /// `45s`, `12m30s`, `3h05m`, `2d04h`: readable at a glance, exact to the second.
    static func duration(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "-" }
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return String(format: "%dm%02ds", seconds / 60, seconds % 60) }
        if seconds < 86_400 { return String(format: "%dh%02dm", seconds / 3600, (seconds % 3600) / 60) }
        return String(format: "%dd%02dh", seconds / 86_400, (seconds % 86_400) / 3600)
    }
}

enum CSVField {
    /// One field: made safe as a line field is (controls as `␛`, line breaks as `⏎`; the
    /// shown text, not the stored one), then quoted if it holds a comma or a quote.
    static func quote(_ raw: String) -> String {
        let text = SafeOutput.field(raw)
        return text.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
