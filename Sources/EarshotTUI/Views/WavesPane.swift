import EarshotCore
import EarshotService

/// In place of the queue: one row per wave (its name, state, size, channels, languages and
/// oldest wait); after Enter, the wave's conversations (docs/waves.md).
enum WavesPane {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        let focused = state.focus == .queue && state.prompt == nil
        let detail = state.waves?.detail
        let title = detail.map { "Wave \($0.summary.wave.id): Enter opens, :wave answer TEXT answers each, q back" }
            ?? "Waves: Enter lists one, :wave open NAME marks it, W hides"
        let inner = canvas.box(title: title, lines: focused ? .heavy : .light, titleStyle: focused ? .bold : .plain)
        guard let waves = state.waves, waves.loaded else {
            canvas.draw(in: inner) { _ = $0.put("reading the waves…", x: 1, y: 0, style: .dim) }
            return
        }
        canvas.draw(in: inner) { pane in
            if let detail {
                members(&pane, detail, selected: waves.memberSelected, state: state)
            } else {
                list(&pane, waves, state: state)
            }
        }
    }

    /// `▶ 3 "503 error" detected · 8 waiting · acme@mastodon.social · en es · oldest 12m`
    static func describe(_ summary: WaveSummary, now: Timestamp, clock: ScreenClock) -> String {
        var parts = ["\(summary.wave.id) \"\(SafeText(summary.wave.name).string)\" \(summary.wave.state.rawValue)",
                     "\(summary.size) conversation\(summary.size == 1 ? "" : "s")" + (summary.answered > 0 ? " (\(summary.answered) answered)" : ""),
                     summary.channels.map { SafeText($0).string }.joined(separator: ", "),
                     summary.languages.map(\.rawValue).joined(separator: " ")]
        if let oldest = summary.oldestWaitSince { parts.append("oldest " + TimeText.wait(milliseconds: clock.wait(from: oldest, to: now))) }
        return parts.joined(separator: " · ")
    }

    private static func list(_ canvas: inout Canvas, _ waves: WavesState, state: AppState) {
        guard !waves.list.isEmpty else {
            _ = canvas.put("no waves: they form when five or more customers write about the same thing within half an hour", x: 1, y: 0, style: .dim)
            return
        }
        let first = max(0, waves.selected - (canvas.height - 1))
        for (line, index) in (first..<waves.list.count).prefix(canvas.height).enumerated() {
            let style: Style = index == waves.selected ? .reverse : .plain
            canvas.fill(Rect(x: 0, y: line, width: canvas.width, height: 1), style: style)
            _ = canvas.put((index == waves.selected ? "▶ " : "  ") + describe(waves.list[index], now: state.now, clock: state.screenClock),
                           x: 0, y: line, style: style)
        }
    }

    private static func members(_ canvas: inout Canvas, _ detail: WaveDetail, selected: Int, state: AppState) {
        _ = canvas.put(describe(detail.summary, now: state.now, clock: state.screenClock), x: 0, y: 0, style: .bold)
        let first = max(0, selected - (canvas.height - 2))
        for (line, index) in (first..<detail.members.count).prefix(max(0, canvas.height - 1)).enumerated() {
            let entry = detail.members[index]
            let row = entry.row
            let style: Style = index == selected ? .reverse : .plain
            let wait = row.conversation.waitingSince.map { TimeText.wait(milliseconds: state.screenClock.wait(from: $0, to: state.now)) } ?? "-"
            let text = (index == selected ? "▶" : " ") + QueuePane.mark(row.sla) + " " + DisplayWidth.fit(wait, toWidth: 5, alignRight: true)
                + " #\(row.conversation.id) " + DisplayWidth.fit("@" + row.customer, toWidth: 16) + " " + entry.member.language.rawValue
                + " " + DisplayWidth.fit(row.assignee ?? "-", toWidth: 10) + " " + (entry.member.replyID == nil ? "        " : "answered")
                + " " + SafeText(row.conversation.preview).string
            canvas.fill(Rect(x: 0, y: line + 1, width: canvas.width, height: 1), style: style)
            _ = canvas.put(text, x: 0, y: line + 1, style: style)
        }
    }
}
