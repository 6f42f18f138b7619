/// A screen's worth of cells that views draw into; the terminal then shows only what changed
/// since the last frame (``BufferDiff``).
///
/// Every piece of text goes through ``SafeText`` on its way in (`put` sanitizes a `String`
/// itself), and every drawing call takes the rectangle it is clipped to, so a pane cannot write
/// outside itself or smuggle a control sequence to the terminal. A wide grapheme is never cut:
/// one that would straddle the clip's edge is replaced by spaces.
///
/// A value type: copying a buffer to keep the previous frame costs nothing until one is written.
public struct CellBuffer: Equatable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Where the terminal should show its cursor after presenting this frame (a text field), or
    /// `nil` to hide it.
    public var cursor: Position?

    /// Row-major: the cell at (x, y) is `storage[y * width + x]`.
    var storage: [PackedCell]
    /// Graphemes of more than one code point, referenced from `storage` by index.
    var clusters: [Character] = []
    /// The display width of each cluster, measured once when it is first stored.
    private var clusterWidths: [UInt8] = []
    private var clusterIndex: [Character: UInt32] = [:]

    /// Graphemes wider than this (a hostile cluster of hundreds of spacing marks) are drawn as
    /// U+FFFD instead: no pane is that narrow on purpose.
    static let maxGraphemeWidth = 8

    /// A blank buffer (negative sizes count as zero).
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        storage = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle at (0, 0).
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the buffer.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, x < width, y >= 0, y < height else { return .blank }
        return unpack(storage[y * width + x])
    }

    /// One row's cells, left to right.
    public func row(_ y: Int) -> [Cell] {
        guard y >= 0, y < height else { return [] }
        return storage[(y * width)..<(y * width + width)].map(unpack)
    }

    /// Same size, same cells, same cursor.
    public static func == (lhs: CellBuffer, rhs: CellBuffer) -> Bool {
        guard lhs.width == rhs.width, lhs.height == rhs.height, lhs.cursor == rhs.cursor else { return false }
        for index in lhs.storage.indices where !lhs.sameCell(at: index, as: rhs) { return false }
        return true
    }

    // MARK: - Text

    /// Sanitizes `text` (one line: see ``SafeText``) and draws it from (x, y), clipped to `clip`.
    /// - Returns: the columns advanced from `x`, stopping at the clip's right edge, so that
    ///   `x += buffer.put(...)` continues after the text.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clippedTo clip: Rect) -> Int {
        put(SafeText(text), x: x, y: y, style: style, clippedTo: clip)
    }

    /// Draws already sanitized text from (x, y), clipped to `clip`; returns the columns advanced.
    @discardableResult
    public mutating func put(_ text: SafeText, x: Int, y: Int, style: Style = .plain, clippedTo clip: Rect) -> Int {
        let area = clip.intersection(bounds)
        guard !area.isEmpty, y >= area.minY, y < area.maxY, x < area.maxX else { return 0 }
        let string = text.string
        var column = x
        if SafeText.isPlainASCII(string) {
            // One cell per byte: the common case, written in one pass without grapheme breaking.
            let first = max(x, area.minX)
            let end = min(x + string.utf8.count, area.maxX)
            guard first < end else { return max(0, end - x) }
            releaseWideGrapheme(x: first, y: y, span: end - first)
            let rowStart = y * width
            storage.withUnsafeMutableBufferPointer { cells in
                var column = x
                for byte in string.utf8 {
                    if column >= end { break }
                    if column >= first { cells[rowStart + column] = PackedCell(content: UInt32(byte), style: style, width: 1) }
                    column += 1
                }
            }
            return end - x
        }
        for character in string {
            var cell: PackedCell
            let scalars = character.unicodeScalars
            if scalars.index(after: scalars.startIndex) == scalars.endIndex {
                let scalar = scalars.first!
                cell = PackedCell(content: scalar.value, style: style, width: UInt8(clamping: DisplayWidth.width(of: scalar)))
            } else {
                // Clusters are measured once per buffer: the width lookups cost more than the rest.
                let (index, span) = intern(character)
                cell = PackedCell(content: PackedCell.clusterFlag | index, style: style, width: span)
            }
            if cell.width == 0 { continue }  // SafeText leaves none; nothing to place if one slips by
            if Int(cell.width) > Self.maxGraphemeWidth { cell = PackedCell(content: 0xFFFD, style: style, width: 1) }
            let span = Int(cell.width)
            if column >= area.maxX { break }
            if column + span > area.maxX || column < area.minX {
                // Straddles an edge of the clip: the visible part becomes spaces, never half a glyph.
                for padding in max(column, area.minX)..<min(column + span, area.maxX) {
                    write(.space(style), x: padding, y: y)
                }
                column = min(column + span, area.maxX)
                continue
            }
            write(cell, x: column, y: y)
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
        if area == bounds && character == " " && style == .plain {
            // A full clear also forgets the clusters, so a buffer reused frame after frame
            // does not collect every grapheme it ever showed.
            storage.withUnsafeMutableBufferPointer { $0.update(repeating: .blank) }
            clusters.removeAll(keepingCapacity: true)
            clusterWidths.removeAll(keepingCapacity: true)
            clusterIndex.removeAll(keepingCapacity: true)
            return
        }
        let safe = SafeText(String(character)).string
        var grapheme: Character = safe.count == 1 ? safe.first! : "\u{FFFD}"
        var span = DisplayWidth.width(of: grapheme)
        if span < 1 || span > 2 {
            grapheme = "\u{FFFD}"
            span = 1
        }
        let cell = pack(grapheme, style: style, width: span)
        if span == 1 {
            for y in area.minY..<area.maxY {
                // Only the edges can cut a wide grapheme that reaches in from outside.
                releaseWideGrapheme(x: area.minX, y: y, span: 1)
                releaseWideGrapheme(x: area.maxX - 1, y: y, span: 1)
                let start = y * width
                storage.withUnsafeMutableBufferPointer { cells in
                    for x in area.minX..<area.maxX { cells[start + x] = cell }
                }
            }
            return
        }
        for y in area.minY..<area.maxY {
            var x = area.minX
            while x + 2 <= area.maxX {
                write(cell, x: x, y: y)
                x += 2
            }
            if x < area.maxX { write(.space(style), x: x, y: y) }
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
            for x in area.minX..<area.maxX { storage[y * width + x].style = style }
        }
    }

    /// Adds attributes to every cell of `rect`, keeping text and colours.
    public mutating func addAttributes(_ attributes: Attributes, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.minY..<area.maxY {
            for x in area.minX..<area.maxX { storage[y * width + x].style.attributes.formUnion(attributes) }
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

    // MARK: - Cells

    /// Writes a grapheme's leading cell at (x, y) and its continuations. Whatever wide grapheme
    /// it partly covers is replaced by spaces, so the buffer never holds half a glyph.
    private mutating func write(_ cell: PackedCell, x: Int, y: Int) {
        let span = max(1, Int(cell.width))
        releaseWideGrapheme(x: x, y: y, span: span)
        let start = y * width + x
        storage[start] = cell
        if span > 1 {
            for offset in 1..<span { storage[start + offset] = .continuation(cell.style) }
        }
    }

    /// Before cells x..<x+span of row y are overwritten: blanks the rest of any wide grapheme
    /// that starts left of x or runs on past the span.
    private mutating func releaseWideGrapheme(x: Int, y: Int, span: Int) {
        let rowStart = y * width
        if storage[rowStart + x].isContinuation {
            var lead = x - 1
            while lead > 0 && storage[rowStart + lead].isContinuation { lead -= 1 }
            for column in lead..<x { storage[rowStart + column] = .space(storage[rowStart + column].style) }
        }
        var column = x + span
        while column < width && storage[rowStart + column].isContinuation {
            storage[rowStart + column] = .space(storage[rowStart + column].style)
            column += 1
        }
    }

    /// The stored form of a grapheme: its code point, or an entry in the cluster table.
    private mutating func pack(_ grapheme: Character, style: Style, width: Int) -> PackedCell {
        let scalars = grapheme.unicodeScalars
        if scalars.index(after: scalars.startIndex) == scalars.endIndex {
            return PackedCell(content: scalars.first!.value, style: style, width: UInt8(width))
        }
        return PackedCell(content: PackedCell.clusterFlag | intern(grapheme).index, style: style, width: UInt8(width))
    }

    /// The cluster table entry for a grapheme of several code points, and its width.
    private mutating func intern(_ grapheme: Character) -> (index: UInt32, width: UInt8) {
        // The same few clusters recur on a screen (an emoji, an accented letter): look at the
        // latest ones before hashing, which normalizes the text and costs more.
        for index in clusters.indices.suffix(8).reversed() where clusters[index] == grapheme {
            return (UInt32(index), clusterWidths[index])
        }
        if let index = clusterIndex[grapheme] { return (index, clusterWidths[Int(index)]) }
        if clusters.count >= max(1024, 2 * storage.count) { compactClusters() }
        let index = UInt32(clusters.count)
        let width = UInt8(clamping: DisplayWidth.width(of: grapheme))
        clusters.append(grapheme)
        clusterWidths.append(width)
        clusterIndex[grapheme] = index
        return (index, width)
    }

    /// Drops clusters no cell shows any more (a buffer drawn over many times without a clear).
    private mutating func compactClusters() {
        var renumbered: [Int: UInt32] = [:]
        var kept: [Character] = []
        var keptWidths: [UInt8] = []
        for index in storage.indices where storage[index].isCluster {
            let old = storage[index].clusterIndex
            let new = renumbered[old] ?? {
                kept.append(clusters[old])
                keptWidths.append(clusterWidths[old])
                renumbered[old] = UInt32(kept.count - 1)
                return UInt32(kept.count - 1)
            }()
            storage[index].content = PackedCell.clusterFlag | new
        }
        clusters = kept
        clusterWidths = keptWidths
        clusterIndex = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, UInt32($0)) })
    }

    func unpack(_ cell: PackedCell) -> Cell {
        let grapheme = cell.isCluster ? clusters[cell.clusterIndex] : Character(Unicode.Scalar(cell.content) ?? "\u{FFFD}")
        return Cell(grapheme: grapheme, style: cell.style, width: cell.width)
    }

    /// Whether the cell at `index` shows the same as the one at `index` in `other`, whose
    /// cluster table may number things differently.
    @inline(__always)
    func sameCell(at index: Int, as other: CellBuffer) -> Bool {
        sameCell(storage[index], as: other.storage[index], in: other)
    }

    @inline(__always)
    func sameCell(_ mine: PackedCell, as theirs: PackedCell, in other: CellBuffer) -> Bool {
        if mine.bits == theirs.bits { return !mine.isCluster || clusters[mine.clusterIndex] == other.clusters[theirs.clusterIndex] }
        guard mine.isCluster && theirs.isCluster && mine.style == theirs.style && mine.width == theirs.width else { return false }
        return clusters[mine.clusterIndex] == other.clusters[theirs.clusterIndex]
    }

    /// Copies a cell as it is (the terminal side applying a diff run).
    mutating func setCell(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        storage[y * width + x] = pack(cell.grapheme, style: cell.style, width: Int(cell.width))
    }

    /// An empty buffer, used as a placeholder while a canvas borrows the real one.
    static let empty = CellBuffer(width: 0, height: 0)
}
