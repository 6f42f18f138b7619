/// A stretch of changed cells on one row: what a terminal has to write.
public struct CellRun: Hashable, Sendable {
    /// Column of the first cell.
    public let x: Int
    /// Row.
    public let y: Int
    /// The new cells, left to right; continuation cells included (a terminal skips them, since
    /// drawing the wide grapheme before them covers them).
    public let cells: [Cell]
}

/// Compares frames so that only changed cells reach the terminal (ratatui's habit): a keypress
/// that moves a selection rewrites two rows, not the screen.
public enum BufferDiff {
    /// The runs of cells that differ between `old` and `new`. With no previous frame, or one of
    /// another size, every row is one run (a full redraw).
    ///
    /// A run never starts on a continuation cell: it is widened to the wide grapheme's leading
    /// cell, so the terminal redraws the whole glyph.
    public static func changes(from old: CellBuffer?, to new: CellBuffer) -> [CellRun] {
        guard let old, old.width == new.width, old.height == new.height else { return fullRedraw(new) }
        var runs: [CellRun] = []
        let width = new.width
        let after = new.storage
        let before = old.storage
        // Most cells are unchanged: compare 8-byte words, and only look at cluster text or
        // build runs when something differs.
        after.withUnsafeBufferPointer { after in
            before.withUnsafeBufferPointer { before in
                for y in 0..<new.height {
                    let rowStart = y * width
                    var x = 0
                    while x < width {
                        let cell = after[rowStart + x]
                        if cell.bits == before[rowStart + x].bits && !cell.isCluster {
                            x += 1
                            continue
                        }
                        if new.sameCell(cell, as: before[rowStart + x], in: old) {
                            x += 1
                            continue
                        }
                        var start = x
                        while start > 0 && after[rowStart + start].isContinuation { start -= 1 }
                        var end = x + 1
                        while end < width && !new.sameCell(after[rowStart + end], as: before[rowStart + end], in: old) { end += 1 }
                        // A wide grapheme that starts inside the run is written whole.
                        while end < width && after[rowStart + end].isContinuation { end += 1 }
                        runs.append(CellRun(x: start, y: y, cells: after[(rowStart + start)..<(rowStart + end)].map(new.unpack)))
                        x = end
                    }
                }
            }
        }
        return runs
    }

    /// Every row of `buffer` as one run: what a full redraw (Ctrl-L, a resize) writes.
    public static func fullRedraw(_ buffer: CellBuffer) -> [CellRun] {
        (0..<buffer.height).map { y in CellRun(x: 0, y: y, cells: buffer.row(y)) }
    }
}
