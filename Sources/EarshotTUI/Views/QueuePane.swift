import EarshotCore
import EarshotService

/// One line per conversation: SLA mark and wait, customer, triage class, the latest customer
/// message, the assignee. The selected line is in reverse video (and marked ▶, so it shows
/// without colour or reverse support too).
enum QueuePane {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        let focused = state.focus == .queue && state.prompt == nil
        let queue = state.queue
        var title = "Queue: \(queue.view)"
        let filter = describe(queue.filter)
        if !filter.isEmpty { title += " (\(filter))" }
        let inner = canvas.box(title: title, lines: focused ? .heavy : .light, titleStyle: focused ? .bold : .plain)
        canvas.draw(in: inner) { pane in
            let columns = Columns(width: pane.width)
            _ = pane.put(columns.header, x: 0, y: 0, style: .dim)
            guard !queue.rows.isEmpty else {
                _ = pane.put(emptyText(queue), x: 2, y: 2, style: .dim)
                return
            }
            let visible = max(1, pane.height - 1)
            for line in 0..<visible {
                let index = queue.scrollTop + line
                guard queue.rows.indices.contains(index) else { break }
                let row = queue.rows[index]
                let selected = index == queue.selected
                let y = line + 1
                var style: Style = selected ? (focused ? .reverse : Style(.underline)) : .plain
                if row.conversation.priority >= .high { style = style.adding(.bold) }
                pane.fill(Rect(x: 0, y: y, width: pane.width, height: 1), style: style)
                var x = pane.put(selected ? "▶" : " ", x: 0, y: y, style: style)
                x += pane.put(mark(row.sla), x: x, y: y, style: markStyle(row.sla, base: style))
                x += 1
                let wait = row.conversation.waitingSince.map { TimeText.wait(milliseconds: state.screenClock.wait(from: $0, to: state.now)) } ?? "-"
                x += pane.put(DisplayWidth.fit(wait, toWidth: 5, alignRight: true), x: x, y: y, style: style) + 1
                x += pane.put(DisplayWidth.fit("@" + row.customer, toWidth: columns.handle), x: x, y: y, style: style) + 1
                x += pane.put(DisplayWidth.fit(row.conversation.triageClass.rawValue, toWidth: 9), x: x, y: y, style: style) + 1
                x += pane.put(DisplayWidth.fit(SafeText(row.conversation.preview).string, toWidth: columns.preview), x: x, y: y, style: style) + 1
                _ = pane.put(DisplayWidth.fit(row.assignee ?? "-", toWidth: columns.assignee), x: x, y: y, style: style)
            }
            if queue.moreAfter || queue.moreBefore {
                let more = (queue.moreBefore ? "↑" : " ") + (queue.moreAfter ? "↓ more" : "")
                _ = pane.put(more, x: max(0, pane.width - 8), y: 0, style: .dim)
            }
        }
    }

    struct Columns {
        let handle: Int
        let assignee: Int
        let preview: Int
        init(width: Int) {
            handle = width >= 110 ? 18 : 14
            assignee = width >= 110 ? 12 : 9
            // ▶ + mark(2) + space + wait(4) + space + handle + space + class(9) + space + preview + space + assignee
            preview = max(8, width - (1 + 2 + 1 + 5 + 1 + handle + 1 + 9 + 1 + 1 + assignee))
        }
        var header: String {
            " SLA" + " " + DisplayWidth.fit("WAIT", toWidth: 5, alignRight: true) + " " + DisplayWidth.fit("CUSTOMER", toWidth: handle)
                + " " + DisplayWidth.fit("CLASS", toWidth: 9) + " " + DisplayWidth.fit("LATEST MESSAGE", toWidth: preview)
                + " " + "ASSIGNEE"
        }
    }

    /// Glyphs, not colours, carry the SLA state: !! breached, ! warning, · within target.
    static func mark(_ sla: SLAMark) -> String {
        switch sla {
        case .breached: "!!"
        case .warning: "! "
        case .ok: "· "
        case .none: "  "
        }
    }

    static func markStyle(_ sla: SLAMark, base: Style) -> Style {
        switch sla {
        case .breached: base.adding([.bold, .underline]).colored(.red)
        case .warning: base.adding(.bold).colored(.yellow)
        default: base
        }
    }

    static func describe(_ filter: QueueFilter) -> String {
        var parts: [String] = []
        if let search = filter.search { parts.append("search \"\(search)\"") }
        if let label = filter.label { parts.append("label:\(label)") }
        if let triage = filter.triageClass { parts.append("class:\(triage.rawValue)") }
        if let channel = filter.channel { parts.append("channel:\(channel)") }
        if let priority = filter.priority { parts.append("priority:\(priority.name)") }
        return parts.joined(separator: " ")
    }

    static func emptyText(_ queue: QueueState) -> String {
        if queue.reading { return "reading \(queue.view)…" }
        if let error = queue.loadError { return "could not read \(queue.view): \(error); the next change reads it again (v switches view)" }
        if !describe(queue.filter).isEmpty { return "nothing matches; \\ or / with an empty line clears" }
        return queue.view == .mine ? "nothing assigned to you: v switches view, c claims" : "nothing in \(queue.view)"
    }
}
