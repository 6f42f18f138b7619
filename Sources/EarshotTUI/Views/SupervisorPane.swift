import EarshotCore
import EarshotService

/// For supervisors, in place of the queue: the backlog and today's figures, the team with
/// load against capacity, arrivals against replies per hour as block bars, the staffing
/// forecast for the next hours, and the conversations past or near their SLA (j/k select,
/// a reassigns, Enter opens).
enum SupervisorPane {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        let focused = state.focus == .queue && state.prompt == nil
        let inner = canvas.box(title: "Supervisor: S hides, a reassigns the selected", lines: focused ? .heavy : .light,
                               titleStyle: focused ? .bold : .plain)
        guard let snapshot = state.supervisor?.snapshot else {
            canvas.draw(in: inner) { _ = $0.put("reading the team and the backlog…", x: 1, y: 0, style: .dim) }
            return
        }
        canvas.draw(in: inner) { pane in
            var y = 0
            _ = pane.put(headline(snapshot, clock: state.screenClock), x: 0, y: y, style: .bold)
            _ = pane.put(overrides(snapshot), x: 0, y: y + 1, style: .dim)
            y += 2
            // An account in trouble means mentions are not coming in: said first, in bold.
            for account in snapshot.accounts.prefix(3) {
                _ = pane.put(accountLine(account), x: 0, y: y, style: .bold)
                y += 1
            }
            if snapshot.accounts.count > 3 {
                _ = pane.put("and \(snapshot.accounts.count - 3) more accounts not reading: earshot account list", x: 0, y: y, style: .bold)
                y += 1
            }
            let chartWidth = 12 * 3 + 2
            let teamWidth = max(20, pane.width - chartWidth - 2)
            let teamHeight = min(max(3, snapshot.team.count + 1), 8)
            pane.draw(in: Rect(x: 0, y: y, width: teamWidth, height: teamHeight)) { team(&$0, snapshot, clock: state.screenClock) }
            if pane.width >= 60 {
                pane.draw(in: Rect(x: pane.width - chartWidth, y: y, width: chartWidth, height: 8)) { chart(&$0, snapshot.hours, clock: state.screenClock) }
            }
            y += max(teamHeight, 8) + 1
            pane.draw(in: Rect(x: 0, y: y, width: pane.width, height: SupervisorStaffing.height)) {
                SupervisorStaffing.draw(&$0, snapshot, clock: state.screenClock)
            }
            y += SupervisorStaffing.height + 1
            pane.draw(in: Rect(x: 0, y: y, width: pane.width, height: max(0, pane.height - y))) { trouble(&$0, state, snapshot) }
        }
    }

    static func headline(_ s: SupervisorSnapshot, clock: ScreenClock = .real) -> String {
        var parts = ["waiting \(s.waiting)"]
        if let oldest = s.oldestWaitSince { parts.append("oldest " + TimeText.wait(milliseconds: clock.wait(from: oldest, to: s.now))) }
        parts.append("unassigned \(s.unassigned)")
        parts.append("replies today \(s.repliesToday)")
        let frt = [s.firstResponseP50, s.firstResponseP90].map { $0.map { TimeText.wait(milliseconds: clock.duration(milliseconds: $0)) } ?? "-" }
        parts.append("FRT p50 \(frt[0]) p90 \(frt[1])")
        parts.append("SLA " + (s.slaAttainment.map { "\(Int(($0 * 100).rounded()))%" } ?? "-"))
        return parts.joined(separator: " · ")
    }

    /// `account acme-mastodon (@acme@mastodon.social): token rejected since … — the platform's words`.
    static func accountLine(_ account: AccountStatus) -> String {
        let channel = account.channel.map { " (@\($0))" } ?? ""
        let error = account.lastError.map { " — \($0)" } ?? ""
        return "account \(account.name)\(channel): \(account.stateText)\(error)"
    }

    /// How often people corrected the classifier today, per class.
    static func overrides(_ s: SupervisorSnapshot) -> String {
        guard !s.triageOverrides.isEmpty else { return "classifier: not corrected today" }
        let total = s.triageOverrides.reduce(0) { $0 + $1.count }
        return "classifier corrected \(total)× today: "
            + s.triageOverrides.map { "\($0.from.rawValue)→\($0.to.rawValue) \($0.count)" }.joined(separator: ", ")
    }

    static func team(_ canvas: inout Canvas, _ s: SupervisorSnapshot, clock: ScreenClock) {
        _ = canvas.put("RESPONDER    STATUS     LOAD    LAST ACTIVE", x: 0, y: 0, style: .dim)
        for (index, member) in s.team.prefix(canvas.height - 1).enumerated() {
            let full = member.load >= member.capacity && member.capacity > 0
            let active = member.lastActiveAt.map { TimeText.wait(milliseconds: clock.wait(from: $0, to: s.now)) + " ago" } ?? "-"
            let line = DisplayWidth.fit(member.login, toWidth: 12) + " " + DisplayWidth.fit(member.availability.rawValue, toWidth: 10)
                + " " + DisplayWidth.fit("\(member.load)/\(member.capacity)" + (full ? " full" : ""), toWidth: 7) + " " + active
            _ = canvas.put(line, x: 0, y: index + 1, style: member.availability == .available ? .plain : .dim)
        }
    }

    /// Twelve hours, two bars each: arrivals (█) beside replies (▒), scaled to the busiest hour.
    /// The hours are the store's (real) hours; in the demo they are labelled on its clock.
    static func chart(_ canvas: inout Canvas, _ hours: [SupervisorSnapshot.Hour], clock: ScreenClock) {
        let height = max(1, canvas.height - 2)
        let peak = max(1, hours.map { max($0.arrivals, $0.replies) }.max() ?? 1)
        _ = canvas.put("█ in ▒ out, per hour (max \(peak))", x: 0, y: 0, style: .dim)
        let levels: [Character] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for (index, hour) in hours.enumerated() {
            for (offset, value, full) in [(0, hour.arrivals, true), (1, hour.replies, false)] {
                let eighths = value * height * 8 / peak
                for row in 0..<height {
                    let filled = eighths - row * 8
                    guard filled > 0 else { break }
                    let glyph: Character = full ? (filled >= 8 ? "█" : levels[filled]) : "▒"
                    _ = canvas.put(String(glyph), x: index * 3 + offset, y: height - row, style: .plain)
                }
            }
        }
        let first = hours.first.map { ThreadPane.clock(clock.shown($0.start)) } ?? ""
        _ = canvas.put(first, x: 0, y: height + 1, style: .dim)
        _ = canvas.put("now", x: max(0, hours.count * 3 - 3), y: height + 1, style: .dim)
    }

    static func trouble(_ canvas: inout Canvas, _ state: AppState, _ s: SupervisorSnapshot) {
        let rows = state.supervisor?.trouble ?? []
        _ = canvas.put("PAST OR NEAR THEIR SLA (\(s.breached.count) breached, \(s.atRisk.count) at risk)", x: 0, y: 0, style: .dim)
        guard !rows.isEmpty else {
            _ = canvas.put("nothing is past or near its SLA", x: 2, y: 1, style: .dim)
            return
        }
        let selected = state.supervisor?.selected ?? 0
        let first = max(0, selected - (canvas.height - 2))
        for (line, index) in (first..<rows.count).prefix(max(0, canvas.height - 1)).enumerated() {
            let row = rows[index]
            let style: Style = index == selected ? .reverse : .plain
            let wait = row.conversation.waitingSince.map { TimeText.wait(milliseconds: state.screenClock.wait(from: $0, to: s.now)) } ?? "-"
            let text = (index == selected ? "▶" : " ") + QueuePane.mark(row.sla) + " " + DisplayWidth.fit(wait, toWidth: 5, alignRight: true)
                + " #\(row.conversation.id) " + DisplayWidth.fit("@" + row.customer, toWidth: 14) + " " + DisplayWidth.fit(row.assignee ?? "-", toWidth: 10)
                + " " + SafeText(row.conversation.preview).string
            canvas.fill(Rect(x: 0, y: line + 1, width: canvas.width, height: 1), style: style)
            _ = canvas.put(text, x: 0, y: line + 1, style: style)
        }
    }
}
