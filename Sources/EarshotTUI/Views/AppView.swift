/// Draws the whole screen for a state into a fresh cell buffer.
public enum AppView {
    public static func render(_ state: AppState, keymap: Keymap) -> CellBuffer {
        var buffer = CellBuffer(width: max(1, state.width), height: max(1, state.height))
        let screen = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
        guard !state.isTooSmall else {
            buffer.draw(in: screen) { canvas in
                let lines = ["earshot needs at least 80x24;", "this window is \(state.width)x\(state.height).", "Enlarge it, or q to quit."]
                for (index, line) in lines.enumerated() where index < canvas.height {
                    _ = canvas.put(line, x: 0, y: index, style: index == 0 ? .bold : .plain)
                }
            }
            return buffer
        }
        let layout = Layout(state)
        if state.waves != nil {
            buffer.draw(in: layout.queue) { WavesPane.draw(state, in: &$0) }
        } else if state.supervisor != nil {
            buffer.draw(in: layout.queue) { SupervisorPane.draw(state, in: &$0) }
        } else {
            buffer.draw(in: layout.queue) { QueuePane.draw(state, in: &$0) }
        }
        if let thread = layout.thread { buffer.draw(in: thread) { ThreadPane.draw(state, in: &$0) } }
        if let composer = layout.composer { buffer.draw(in: composer) { ComposerPane.draw(state, in: &$0) } }
        buffer.draw(in: layout.status) { StatusBar.draw(state, in: &$0) }
        if let offset = state.helpOffset {
            buffer.draw(in: screen) { _ = HelpOverlay.draw(HelpContent(keymap: keymap), offset: offset, in: &$0) }
        }
        return buffer
    }
}
