import Testing
@testable import EarshotTUI

@Suite("Diff and the memory terminal")
struct DiffTests {
    @Test("Identical frames produce no runs; a change produces a run of exactly the changed cells")
    func runs() {
        var old = CellBuffer(width: 20, height: 3)
        old.put("hello world", x: 0, y: 1, clippedTo: old.bounds)
        var new = old
        #expect(BufferDiff.changes(from: old, to: new).isEmpty)
        new.put("w0rld", x: 6, y: 1, clippedTo: new.bounds)
        let runs = BufferDiff.changes(from: old, to: new)
        #expect(runs.count == 1)
        #expect(runs.first?.x == 7 && runs.first?.y == 1 && runs.first?.cells.count == 1)
        #expect(BufferDiff.changes(from: nil, to: new).count == 3)
        #expect(BufferDiff.changes(from: CellBuffer(width: 5, height: 3), to: new).map(\.cells.count) == [20, 20, 20])
    }

    @Test("A run covers whole wide graphemes")
    func wideRuns() {
        var old = CellBuffer(width: 10, height: 1)
        old.put("漢字", x: 0, y: 0, clippedTo: old.bounds)
        var new = old
        new.put("字", x: 2, y: 0, clippedTo: new.bounds)  // 字 was there: no change
        #expect(BufferDiff.changes(from: old, to: new).isEmpty)
        new.put("漢", x: 2, y: 0, clippedTo: new.bounds)
        let runs = BufferDiff.changes(from: old, to: new)
        #expect(runs.map(\.x) == [2])
        #expect(runs.first?.cells.count == 2)
        // Only the continuation's style changed: the run starts at the leading cell.
        var restyled = old
        restyled.setStyle(.bold, in: Rect(x: 1, y: 0, width: 1, height: 1))
        #expect(BufferDiff.changes(from: old, to: restyled).map(\.x) == [0])
    }

    @Test("Only changed cells reach the terminal")
    func memoryTerminalCounts() {
        let terminal = MemoryTerminal(width: 80, height: 24)
        var frame = SampleLayout.render(width: 80, height: 24)
        terminal.present(frame)
        #expect(terminal.cellsWrittenInLastPresent == 80 * 24)
        terminal.present(frame)
        #expect(terminal.cellsWrittenInLastPresent == 0)

        frame.put("12", x: 17, y: 0, style: .reverse.adding(.bold), clippedTo: frame.bounds)  // "11" → "12"
        terminal.present(frame)
        #expect(terminal.cellsWrittenInLastPresent == 1)
        #expect(terminal.lines == frame.lines())

        let moved = SampleLayout.render(width: 80, height: 24, selected: 3)
        terminal.present(moved)
        #expect(terminal.cellsWrittenInLastPresent > 0 && terminal.cellsWrittenInLastPresent <= 2 * 80)
        #expect(terminal.lines == moved.lines())
        #expect(terminal.screen == moved)

        terminal.forceRedraw()
        #expect(terminal.cellsWrittenInLastPresent == 80 * 24)
        #expect(terminal.screen == moved)
    }

    @Test("A resize makes the next frame a full redraw at the new size")
    func resize() {
        let terminal = MemoryTerminal(width: 80, height: 24)
        terminal.present(SampleLayout.render(width: 80, height: 24))
        terminal.resize(width: 40, height: 10)
        #expect(terminal.nextEvent(timeout: 0) == .resize(width: 40, height: 10))
        #expect(terminal.size == (40, 10))
        let small = SampleLayout.render(width: 40, height: 10)
        terminal.present(small)
        #expect(terminal.cellsWrittenInLastPresent == 400)
        #expect(terminal.lines == small.lines())
    }

    @Test("Events come out in order, then nil; bell, suspend and shutdown are recorded")
    func events() {
        let terminal = MemoryTerminal()
        terminal.feed(keys: .down, .enter)
        terminal.type("hé")
        terminal.feed(.key(.control("l")))
        var seen: [TerminalEvent] = []
        while let event = terminal.nextEvent(timeout: 100) { seen.append(event) }
        #expect(seen == [.key(.down), .key(.enter), .key(.character("h")), .key(.character("é")), .key(.control("l"))])
        #expect(terminal.nextEvent(timeout: -1) == nil)
        terminal.bell()
        let edited = terminal.suspend { "edited" }
        #expect(edited == "edited")
        terminal.shutdown()
        #expect(terminal.bellCount == 1 && terminal.suspendCount == 1 && terminal.isShutDown)
    }

    @Test("The cursor follows the frame")
    func cursor() {
        let terminal = MemoryTerminal(width: 10, height: 2)
        var frame = CellBuffer(width: 10, height: 2)
        frame.cursor = Position(x: 3, y: 1)
        terminal.present(frame)
        #expect(terminal.cursor == Position(x: 3, y: 1))
        frame.cursor = nil
        terminal.present(frame)
        #expect(terminal.cursor == nil)
    }

    @Test("Without colours the screen keeps every attribute")
    func noColor() {
        let terminal = MemoryTerminal(width: 80, height: 24, colorsEnabled: false)
        let frame = SampleLayout.render(width: 80, height: 24)
        terminal.present(frame)
        #expect(terminal.lines == frame.lines())
        #expect(terminal.screen.styleRuns().allSatisfy { !$0.contains("fg=") && !$0.contains("bg=") })
        #expect(terminal.screen.styleRuns().contains { $0.contains("underline") })  // "overdue" stays marked
        #expect(!ColorPolicy.colorsEnabled(environment: ["NO_COLOR": "1"], terminalHasColors: true))
        #expect(ColorPolicy.colorsEnabled(environment: ["NO_COLOR": ""], terminalHasColors: true))
        #expect(!ColorPolicy.colorsEnabled(environment: [:], terminalHasColors: false))
    }
}
