import EarshotCore

/// The last line: who I am and my availability, my counts, the oldest wait, the connection,
/// and the latest message. A prompt takes the line over while it is open.
enum StatusBar {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        canvas.fill(style: .reverse)
        if let prompt = state.prompt {
            let labelWidth = canvas.put(prompt.label, x: 0, y: 0, style: Style(.bold))
            _ = canvas.put(prompt.editor.text, x: labelWidth, y: 0, style: .plain)
            canvas.setCursor(x: labelWidth + prompt.editor.cursorPosition(width: 10_000).column, y: 0)
            return
        }
        var parts: [String] = []
        if let summary = state.summary {
            parts.append("\(summary.me.login) (\(summary.me.availability.rawValue))")
            parts.append("mine \(summary.mine)")
            parts.append("unassigned \(summary.unassigned)")
            parts.append("breached \(summary.breached)")
            if let oldest = summary.oldestWaitSince {
                parts.append("oldest " + TimeText.wait(milliseconds: state.screenClock.wait(from: oldest, to: state.now)))
            }
        } else {
            parts.append(state.login)
        }
        switch state.connection {
        case .local: parts.append("single-user")
        case .daemon: parts.append("connected")
        case .reconnecting: parts.append("RECONNECTING…")
        }
        let left = " " + parts.joined(separator: " │ ") + " "
        let x = canvas.put(left, x: 0, y: 0, style: .reverse)
        if let message = state.message {
            let style = message.isError ? Style([.bold]) : .plain
            _ = canvas.put(" " + message.text + " ", x: x + 1, y: 0, style: style)
        } else {
            _ = canvas.put(" ? keys ", x: max(x, canvas.width - 8), y: 0, style: .reverse)
        }
    }
}
