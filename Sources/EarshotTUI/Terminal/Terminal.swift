/// The screen and keyboard, as the app loop sees them. `NcursesTerminal` drives a real terminal;
/// `MemoryTerminal` lets tests feed keys and read the screen. Views never talk to a terminal:
/// they draw into a ``CellBuffer`` that the loop presents.
///
/// A terminal is used from one thread (the app loop); implementations are not `Sendable`.
public protocol Terminal: AnyObject {
    /// Columns and rows right now; after a `.resize` event, the new size.
    var size: (width: Int, height: Int) { get }

    /// Waits up to `milliseconds` (0 polls, a negative value waits for ever) for a key or a
    /// resize. `nil` when the time ran out, or when what arrived means nothing (an unknown
    /// escape sequence).
    func nextEvent(timeout milliseconds: Int) -> TerminalEvent?

    /// Shows `buffer`: writes only the cells that differ from the previously presented frame
    /// (everything after a resize or ``forceRedraw()``), then places or hides the cursor as
    /// `buffer.cursor` says.
    func present(_ buffer: CellBuffer)

    /// Clears the real screen and repaints the last frame in full (Ctrl-L, after another
    /// program scribbled on the terminal).
    func forceRedraw()

    /// Rings the bell (a refused key).
    func bell()

    /// Gives the terminal back for the duration of `body` (running `$EDITOR`), then takes it
    /// again and repaints.
    func suspend<Result>(_ body: () throws -> Result) rethrows -> Result

    /// Restores the terminal as it was. Safe to call twice; nothing may be presented after.
    func shutdown()

    /// The terminal is gone for good: its input ended or failed, or it hung up (the SSH session
    /// or tmux window closed). Nothing more will be typed; the app saves the draft and ends.
    var isClosed: Bool { get }
}
