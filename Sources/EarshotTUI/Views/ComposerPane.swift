import EarshotCore

/// The reply (or note) being written, with what is left of 140 counted as twitter-text v1
/// counts, signature included. The counter turns bold at 20 left and shows the overrun in
/// reverse video.
enum ComposerPane {
    static func draw(_ state: AppState, in canvas: inout Canvas) {
        guard let composer = state.composer else { return }
        let focused = state.focus == .composer && state.prompt == nil
        let title = composer.kind == .reply
            ? "Reply to #\(composer.conversation): C-s sends, Esc keeps the draft"
            : "Internal note on #\(composer.conversation): C-s saves, Esc closes"
        let inner = canvas.box(title: title, lines: focused ? .heavy : .light, titleStyle: focused ? .bold : .plain)
        if composer.kind == .reply {
            let (text, style) = counter(composer.editor.text, signature: state.summary?.me.signature ?? "")
            let width = DisplayWidth.width(of: text)
            _ = canvas.put(text, x: canvas.width - width - 2, y: 0, style: style)
        }
        canvas.draw(in: inner) { pane in
            let lines = composer.editor.visualLines(width: pane.width)
            let cursor = composer.editor.cursorPosition(width: pane.width)
            let top = max(0, cursor.row - pane.height + 1)
            for (y, line) in lines.dropFirst(top).prefix(pane.height).enumerated() {
                _ = pane.put(line.text, x: 0, y: y)
            }
            if focused { pane.setCursor(x: cursor.column, y: cursor.row - top) }
        }
    }

    /// The counter's text and style: plain, bold at 20 or fewer left, reverse when over.
    static func counter(_ text: String, signature: String) -> (String, Style) {
        let remaining = ReplyLength.measure(text + signature).remaining
        if remaining < 0 { return (" \(remaining) ", Style(.reverse).colored(.red)) }
        if remaining <= 20 { return (" \(remaining) left ", Style(.bold).colored(.yellow)) }
        return (" \(remaining) left ", .plain)
    }
}
