import EarshotCore
import EarshotService

/// The supervisor pane's staffing strip (docs/forecast.md): for each of the next 12 hours,
/// the conversations expected and the responders Erlang C says the SLA target needs, with a
/// `!` where the responders available now are fewer.
enum SupervisorStaffing {
    static let height = 4
    static let columnWidth = 4

    static func draw(_ canvas: inout Canvas, _ snapshot: SupervisorSnapshot, clock: ScreenClock) {
        let short = snapshot.staffing.filter { $0.short > 0 }
        var title = "STAFFING, next \(snapshot.staffing.count) hours: \(snapshot.availableNow) available now"
        if let worst = short.map(\.short).max() { title += " · \(short.count) hours short (up to \(worst)) !" }
        _ = canvas.put(title, x: 0, y: 0, style: short.isEmpty ? .dim : .bold)
        guard !snapshot.staffing.isEmpty, snapshot.staffing.contains(where: { $0.needed != nil }) else {
            _ = canvas.put(snapshot.staffingNote ?? "no forecast yet", x: 2, y: 1, style: .dim)
            return
        }
        let labels = ["hour", "expect", "need"]
        for (row, label) in labels.enumerated() { _ = canvas.put(label, x: 0, y: row + 1, style: .dim) }
        for (index, hour) in snapshot.staffing.enumerated() {
            let x = 7 + index * columnWidth
            guard x + columnWidth <= canvas.width else { break }
            _ = canvas.put(String(ThreadPane.clock(clock.shown(hour.start)).prefix(2)), x: x, y: 1, style: .dim)
            _ = canvas.put(hour.open ? count(hour.arrivals) : "-", x: x, y: 2, style: .plain)
            let need = hour.open ? (hour.needed.map(String.init) ?? "?") + (hour.short > 0 ? "!" : "") : "-"
            _ = canvas.put(need, x: x, y: 3, style: hour.short > 0 ? .bold : .plain)
        }
    }

    /// Expected arrivals in at most three characters.
    static func count(_ value: Double) -> String {
        value >= 999.5 ? "1k+" : String(Int(value.rounded()))
    }
}
