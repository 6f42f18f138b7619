/// One terminal cell of a ``CellBuffer``: a grapheme cluster and its style.
///
/// A grapheme wider than one cell (CJK, emoji) sits in its leading cell with `width` 2 (or
/// more); the cells to its right that it covers are continuation cells (`width` 0) that hold
/// nothing of their own. Cells are only made inside this module, from sanitized text, so a cell
/// never holds a control character.
public struct Cell: Hashable, Sendable {
    /// What is shown; a space for a blank cell, and for continuation cells.
    public private(set) var grapheme: Character
    /// How the cell is drawn.
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

    /// True for the cells covered by the wide grapheme on their left.
    public var isContinuation: Bool { width == 0 }
}

/// How a buffer stores a cell: 8 plain bytes, so filling, copying and comparing a 200×60 screen
/// is a few microseconds. A grapheme of one code point is stored as that code point; a longer
/// cluster (`é` as e + U+0301, `👩‍👩‍👧`) as an index into the buffer's cluster table.
struct PackedCell: Equatable {
    /// A Unicode scalar value, or ``clusterFlag`` | an index into `CellBuffer.clusters`.
    var content: UInt32
    var style: Style
    /// As ``Cell/width``: 0 marks a continuation cell.
    var width: UInt8

    static let clusterFlag: UInt32 = 0x8000_0000

    /// The eight bytes as one integer: equal bits are equal cells (no padding, and `nil`
    /// colours have one fixed representation), which makes comparing frames a word compare.
    @inline(__always)
    var bits: UInt64 { unsafeBitCast(self, to: UInt64.self) }

    var isCluster: Bool { content & Self.clusterFlag != 0 }
    var clusterIndex: Int { Int(content & ~Self.clusterFlag) }
    var isContinuation: Bool { width == 0 }

    static let blank = PackedCell(content: 0x20, style: .plain, width: 1)
    static func space(_ style: Style) -> PackedCell { PackedCell(content: 0x20, style: style, width: 1) }
    static func continuation(_ style: Style) -> PackedCell { PackedCell(content: 0x20, style: style, width: 0) }
}
