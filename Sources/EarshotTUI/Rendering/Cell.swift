/// One terminal cell of a ``CellBuffer``: a grapheme cluster and its style.
///
/// A grapheme wider than one cell (CJK, emoji) sits in its leading cell with `width` 2 (or
/// more); the cells to its right that it covers are continuation cells (`width` 0) that hold
/// nothing of their own. Cells are only made inside this module, from sanitized text, so a cell
/// never holds a control character.
public struct Cell: Hashable, Sendable {
    /// What is shown; a space for a blank cell, and for continuation cells.
    public private(set) var grapheme: Character
    public internal(set) var style: Style
    /// Cells the grapheme covers, counting this one; 0 for a continuation cell.
    public private(set) var width: UInt8

    init(grapheme: Character, style: Style, width: UInt8) {
        self.grapheme = grapheme
        self.style = style
        self.width = width
    }

    /// An empty cell in the terminal's default look.
    public static let blank = Cell(grapheme: " ", style: .plain, width: 1)

    static func space(_ style: Style) -> Cell { Cell(grapheme: " ", style: style, width: 1) }
    static func continuation(_ style: Style) -> Cell { Cell(grapheme: " ", style: style, width: 0) }

    /// True for the cells covered by the wide grapheme on their left.
    public var isContinuation: Bool { width == 0 }
}
