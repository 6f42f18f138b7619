/// Wrapping the composer's text for display, placing the terminal cursor, and moving up and
/// down by lines while keeping the display column.
extension TextEditor {
    /// One row on screen: a piece of a line, where it starts in the text, and whether the line
    /// ends with it (the cursor may then sit after its last cluster).
    struct Row {
        var characters: ArraySlice<Character>
        var startOffset: Int
        var endsLine: Bool
    }

    /// The text wrapped to `width` cells: each row's text and the Character offset it starts at.
    /// Lines break after the last space that fits, or between clusters inside a word longer
    /// than the row; a wide character never straddles two rows. A line that fills its last
    /// row exactly gets an empty row after it, so the cursor after it has a cell to sit in.
    public func visualLines(width: Int) -> [(text: String, startOffset: Int)] {
        rows(width: width).map { (String($0.characters), $0.startOffset) }
    }

    /// The cursor's row and column in ``visualLines(width:)`` (column in cells).
    public func cursorPosition(width: Int) -> (row: Int, column: Int) {
        let rows = rows(width: width)
        let row = rowIndex(of: cursor, in: rows)
        let piece = rows[row]
        let column = piece.characters.prefix(cursor - piece.startOffset).reduce(0) { $0 + Self.cellWidth($1) }
        return (row, column)
    }

    /// Up one line. With `width`, one row of the wrapped text (what the responder sees);
    /// without, one line of the text. Keeps the display column where the line is long enough;
    /// on the first line it goes to the start.
    public mutating func up(width: Int? = nil) { moveVertically(by: -1, width: width) }

    /// Down one line (see ``up(width:)``); on the last line it goes to the end.
    public mutating func down(width: Int? = nil) { moveVertically(by: 1, width: width) }

    private mutating func moveVertically(by step: Int, width: Int?) {
        // Without a width, each line is one row: a width no line reaches.
        let rows = rows(width: width ?? Int.max)
        let current = rowIndex(of: cursor, in: rows)
        let goal = goalColumn ?? cursorColumn(in: rows[current])
        let target = current + step
        guard rows.indices.contains(target) else {
            cursor = step < 0 ? 0 : text.count
            goalColumn = goal
            return
        }
        let row = rows[target]
        // The last cluster of a wrapped row is followed by the next row's start, which belongs
        // to the next row; so the cursor may go after it only if the line ends there.
        let reachable = row.endsLine ? row.characters.count : max(0, row.characters.count - 1)
        var offset = 0, column = 0
        for character in row.characters.prefix(reachable) {
            let next = column + Self.cellWidth(character)
            // Inside a wide character, stay before it: the cursor never lands in a cluster.
            if next > goal { break }
            column = next
            offset += 1
        }
        cursor = row.startOffset + offset
        goalColumn = goal
    }

    private func cursorColumn(in row: Row) -> Int {
        row.characters.prefix(cursor - row.startOffset).reduce(0) { $0 + Self.cellWidth($1) }
    }

    /// The last row starting at or before `offset`: a row boundary belongs to the row it
    /// starts, and the end of a line to the line's last row.
    private func rowIndex(of offset: Int, in rows: [Row]) -> Int {
        rows.lastIndex { $0.startOffset <= offset } ?? 0
    }

    func rows(width: Int) -> [Row] {
        let width = max(1, width)
        let characters = Array(text)
        var rows: [Row] = []
        var lineStart = 0
        while true {
            var lineEnd = lineStart
            while lineEnd < characters.count && characters[lineEnd] != "\n" { lineEnd += 1 }
            wrap(characters, from: lineStart, to: lineEnd, width: width, into: &rows)
            guard lineEnd < characters.count else { break }
            lineStart = lineEnd + 1
        }
        return rows
    }

    private func wrap(_ characters: [Character], from lineStart: Int, to lineEnd: Int, width: Int, into rows: inout [Row]) {
        var start = lineStart
        while true {
            var column = 0, end = start, lastBreak: Int?
            while end < lineEnd {
                let cells = Self.cellWidth(characters[end])
                if column + cells > width { break }
                column += cells
                end += 1
                if characters[end - 1] == " " { lastBreak = end }
            }
            if end == lineEnd {
                rows.append(Row(characters: characters[start..<end], startOffset: start, endsLine: true))
                if column == width && end > start {
                    // Full to the last cell: the cursor after it needs a cell, on a row of its own.
                    rows[rows.count - 1].endsLine = false
                    rows.append(Row(characters: characters[end..<end], startOffset: end, endsLine: true))
                }
                return
            }
            var breakAt = lastBreak ?? end
            // A cluster wider than the whole row still has to go somewhere: alone on a row.
            if breakAt == start { breakAt = start + 1 }
            rows.append(Row(characters: characters[start..<breakAt], startOffset: start, endsLine: false))
            start = breakAt
        }
    }

    /// Cells a cluster takes once drawn: measured on its sanitized form, because the canvas
    /// sanitizes what it draws (a zero-width space shows as `<U+200B>`), and the cursor has to
    /// match what is on screen.
    static func cellWidth(_ character: Character) -> Int {
        if let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return 1 }
        return SafeText(String(character)).width
    }
}
