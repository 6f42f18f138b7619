/// A terminal in memory, for tests: feed it events, let the app present frames, read the screen.
/// It applies frames the way a real terminal does (only the changed runs), so a test can check
/// what a frame cost as well as what it shows.
public final class MemoryTerminal: Terminal {
    public private(set) var size: (width: Int, height: Int)
    /// What the screen shows now.
    public private(set) var screen: CellBuffer
    /// The most recent frames presented, oldest first (at most ``historyLimit``).
    public private(set) var presented: [CellBuffer] = []
    /// How many frames `presented` keeps, so a long test does not hoard memory.
    public var historyLimit = 64
    /// Number of `present` calls so far.
    public private(set) var presentCount = 0
    /// Cells the last `present` wrote: only the changed runs, or the whole screen after a
    /// resize or ``forceRedraw()``.
    public private(set) var cellsWrittenInLastPresent = 0
    /// Where the cursor is shown, `nil` when hidden.
    public private(set) var cursor: Position?
    /// Times ``bell()`` was called.
    public private(set) var bellCount = 0
    /// Times ``suspend(_:)`` ran its body.
    public private(set) var suspendCount = 0
    /// Times ``forceRedraw()`` was called (suspending also redraws).
    public private(set) var redrawCount = 0
    /// ``shutdown()`` was called.
    public private(set) var isShutDown = false
    /// Set by a test to play a terminal that went away (see ``Terminal/isClosed``).
    public var isClosed = false
    /// When false the screen keeps attributes but drops colours, as under `NO_COLOR` or on
    /// `TERM=vt100`: a test renders this way to prove no state is carried by colour alone.
    public let colorsEnabled: Bool

    private var events: [TerminalEvent] = []
    private var nextEventIndex = 0
    private var needsFullRedraw = true
    private var lastFrame: CellBuffer?

    /// A blank screen of the given size.
    public init(width: Int = 80, height: Int = 24, colorsEnabled: Bool = true) {
        size = (width, height)
        screen = CellBuffer(width: width, height: height)
        self.colorsEnabled = colorsEnabled
    }

    /// The screen as text lines (see ``CellBuffer/lines()``).
    public var lines: [String] { screen.lines() }

    /// Events not yet read.
    public var pendingEvents: ArraySlice<TerminalEvent> { events[nextEventIndex...] }

    // MARK: - Feeding input

    /// Queues events for ``nextEvent(timeout:)``, in order.
    public func feed(_ events: TerminalEvent...) { feed(events) }

    /// Queues events for ``nextEvent(timeout:)``, in order.
    public func feed(_ events: [TerminalEvent]) { self.events.append(contentsOf: events) }

    /// Queues key presses.
    public func feed(keys: Key...) { feed(keys.map { .key($0) }) }

    /// Queues each character of `text` as a `.character` key, as if typed.
    public func type(_ text: String) { feed(text.map { .key(.character($0)) }) }

    /// Changes the size and queues the `.resize` event a real terminal would send.
    public func resize(width: Int, height: Int) {
        size = (width, height)
        needsFullRedraw = true
        feed(.resize(width: width, height: height))
    }

    // MARK: - Terminal

    /// The next queued event, or `nil` at once when none is left (the timeout is ignored).
    public func nextEvent(timeout milliseconds: Int) -> TerminalEvent? {
        // Never waits: a test that runs out of events is finished, not slow.
        guard nextEventIndex < events.count else { return nil }
        defer {
            nextEventIndex += 1
            if nextEventIndex == events.count {
                events.removeAll(keepingCapacity: true)
                nextEventIndex = 0
            }
        }
        return events[nextEventIndex]
    }

    public func present(_ buffer: CellBuffer) {
        precondition(!isShutDown, "present after shutdown")
        let frame = colorsEnabled ? buffer : Self.withoutColor(buffer)
        let previous: CellBuffer? = needsFullRedraw ? nil : lastFrame
        let runs = BufferDiff.changes(from: previous, to: frame)
        if screen.width != frame.width || screen.height != frame.height {
            screen = CellBuffer(width: frame.width, height: frame.height)
        }
        var written = 0
        for run in runs {
            var x = run.x
            for cell in run.cells {
                screen.setCell(cell, x: x, y: run.y)
                x += 1
            }
            written += run.cells.count
        }
        cellsWrittenInLastPresent = written
        cursor = buffer.cursor.flatMap { screen.bounds.contains(x: $0.x, y: $0.y) ? $0 : nil }
        screen.cursor = cursor
        lastFrame = frame
        presented.append(buffer)
        if presented.count > historyLimit { presented.removeFirst(presented.count - max(0, historyLimit)) }
        presentCount += 1
        needsFullRedraw = false
    }

    public func forceRedraw() {
        redrawCount += 1
        needsFullRedraw = true
        if let lastFrame { present(lastFrame) }
    }

    public func bell() { bellCount += 1 }

    public func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        suspendCount += 1
        defer { forceRedraw() }
        return try body()
    }

    public func shutdown() { isShutDown = true }

    private static func withoutColor(_ buffer: CellBuffer) -> CellBuffer {
        var copy = buffer
        for y in 0..<copy.height {
            for x in 0..<copy.width {
                var cell = copy[x, y]
                cell.style = cell.style.withoutColor
                copy.setCell(cell, x: x, y: y)
            }
        }
        return copy
    }
}
