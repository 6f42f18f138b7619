/// A screen's worth of cells that views draw into; the terminal then shows only what changed
/// since the last frame (``BufferDiff``).
///
/// Every piece of text goes through ``SafeText`` on its way in (`put` sanitizes a `String`
/// itself), and every drawing call takes the rectangle it is clipped to, so a pane cannot write
/// outside itself or smuggle a control sequence to the terminal. A wide grapheme is never cut:
/// one that would straddle the clip's edge is replaced by spaces.
///
/// A value type: copying a buffer to keep the previous frame costs nothing until one is written.
public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major: the cell at (x, y) is `cells[y * width + x]`.
    public private(set) var cells: [Cell]
    /// Where the terminal should show its cursor after presenting this frame (a text field), or
    /// `nil` to hide it.
    public var cursor: Position?

    /// Graphemes wider than this (a hostile cluster of hundreds of spacing marks) are drawn as
    /// U+FFFD instead: no pane is that narrow on purpose.
    static let maxGraphemeWidth = 8

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle at (0, 0).
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// One row's cells.
    public func row(_ y: Int) -> ArraySlice<Cell> {
        guard y >= 0, y < height else { return [] }
        return cells[(y * width)..<(y * width + width)]
    }

    // MARK: - Text

    /// Sanitizes `text` (one line: see ``SafeText``) and draws it from (x, y), clipped to `clip`.
    /// - Returns: the columns advanced from `x`, stopping at the clip's right edge, so that
    ///   `x += buffer.put(...)` continues after the text.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clippedTo clip: Rect) -> Int {
        put(SafeText(text), x: x, y: y, style: style, clippedTo: clip)
    }

    /// Draws already sanitized text from (x, y), clipped to `clip`; see ``put(_:x:y:style:clippedTo:)-(String,_,_,_,_)``.
    @discardableResult
    public mutating func put(_ text: SafeText, x: Int, y: Int, style: Style = .plain, clippedTo clip: Rect) -> Int {
        let area = clip.intersection(bounds)
        guard !area.isEmpty, y >= area.minY, y < area.maxY, x < area.maxX else { return 0 }
        let string = text.string
        var column = x
        if SafeText.isPlainASCII(string) {
            // One cell per byte: the common case, without grapheme breaking.
            for byte in string.utf8 {
                if column >= area.maxX { break }
                if column >= area.minX {
                    write(Character(Unicode.Scalar(byte)), width: 1, style: style, x: column, y: y)
                }
                column += 1
            }
            return column - x
        }
        for character in string {
            var grapheme = character
            var span = DisplayWidth.width(of: character)
            if span == 0 { continue }  // SafeText leaves none; nothing to place if one slips by
            if span > Self.maxGraphemeWidth {
                grapheme = "\u{FFFD}"
                span = 1
            }
            if column >= area.maxX { break }
            if column + span > area.maxX || column < area.minX {
                // Straddles an edge of the clip: the visible part becomes spaces, never half a glyph.
                for padding in max(column, area.minX)..<min(column + span, area.maxX) {
                    write(" ", width: 1, style: style, x: padding, y: y)
                }
                column = min(column + span, area.maxX)
                continue
            }
            write(grapheme, width: span, style: style, x: column, y: y)
            column += span
        }
        return column - x
    }

    // MARK: - Areas

    /// Fills `rect` (clipped to the buffer) with `character` in `style`. A character that is not
    /// a single printable grapheme after sanitizing is drawn as U+FFFD; a wide one is repeated
    /// every two cells, with a space in an odd last column.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .plain) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let safe = SafeText(String(character)).string
        var grapheme: Character = safe.count == 1 ? safe.first! : "\u{FFFD}"
        var span = DisplayWidth.width(of: grapheme)
        if span < 1 || span > 2 {
            grapheme = "\u{FFFD}"
            span = 1
        }
        if span == 1 {
            let cell = Cell(grapheme: grapheme, style: style, width: 1)
            for y in area.minY..<area.maxY {
                // Only the edges can cut a wide grapheme that reaches in from outside.
                releaseWideGrapheme(x: area.minX, y: y, span: 1)
                releaseWideGrapheme(x: area.maxX - 1, y: y, span: 1)
                let start = y * width
                for x in area.minX..<area.maxX { cells[start + x] = cell }
            }
            return
        }
        for y in area.minY..<area.maxY {
            var x = area.minX
            while x + 2 <= area.maxX {
                write(grapheme, width: 2, style: style, x: x, y: y)
                x += 2
            }
            if x < area.maxX { write(" ", width: 1, style: style, x: x, y: y) }
        }
    }

    /// Blanks `rect` (default: the whole buffer) in the default style.
    public mutating func clear(_ rect: Rect? = nil) {
        fill(rect ?? bounds, with: " ", style: .plain)
    }

    /// Gives every cell of `rect` `style`, keeping the text: a selected row is reversed after
    /// it was drawn.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.minY..<area.maxY {
            for x in area.minX..<area.maxX { cells[y * width + x].style = style }
        }
    }

    /// Adds attributes to every cell of `rect`, keeping text and colours.
    public mutating func addAttributes(_ attributes: Attributes, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.minY..<area.maxY {
            for x in area.minX..<area.maxX { cells[y * width + x].style.attributes.formUnion(attributes) }
        }
    }

    /// A horizontal line of `length` cells from (x, y), clipped to `clip`.
    public mutating func horizontalLine(x: Int, y: Int, length: Int, character: Character = "─", style: Style = .plain, clippedTo clip: Rect) {
        fill(Rect(x: x, y: y, width: length, height: 1).intersection(clip), with: character, style: style)
    }

    /// A vertical line of `length` cells down from (x, y), clipped to `clip`.
    public mutating func verticalLine(x: Int, y: Int, length: Int, character: Character = "│", style: Style = .plain, clippedTo clip: Rect) {
        fill(Rect(x: x, y: y, width: 1, height: length).intersection(clip), with: character, style: style)
    }

    // MARK: - Cell writes

    /// Writes a grapheme of `cells` width at (x, y): the leading cell and its continuations.
    /// Whatever wide grapheme it partly covers is replaced by spaces, so the buffer never holds
    /// half a glyph.
    private mutating func write(_ grapheme: Character, width cellsWide: Int, style: Style, x: Int, y: Int) {
        releaseWideGrapheme(x: x, y: y, span: cellsWide)
        let start = y * width + x
        cells[start] = Cell(grapheme: grapheme, style: style, width: UInt8(cellsWide))
        if cellsWide > 1 {
            for offset in 1..<cellsWide { cells[start + offset] = .continuation(style) }
        }
    }

    /// Before cells x..<x+span of row y are overwritten: blanks the rest of any wide grapheme
    /// that starts left of x or runs on past the span.
    private mutating func releaseWideGrapheme(x: Int, y: Int, span: Int) {
        let rowStart = y * width
        if cells[rowStart + x].isContinuation {
            var lead = x - 1
            while lead > 0 && cells[rowStart + lead].isContinuation { lead -= 1 }
            for column in lead..<x { cells[rowStart + column] = .space(cells[rowStart + column].style) }
        }
        var column = x + span
        while column < width && cells[rowStart + column].isContinuation {
            cells[rowStart + column] = .space(cells[rowStart + column].style)
            column += 1
        }
    }

    /// Copies a cell as it is (the terminal side applying a diff run).
    mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        cells[y * width + x] = cell
    }

    /// An empty buffer, used as a placeholder while a canvas borrows the real one.
    static let empty = CellBuffer(width: 0, height: 0)
}
