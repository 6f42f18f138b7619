/// A cell position: column `x`, row `y`, from the top-left corner at (0, 0).
public struct Position: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}

/// A rectangle of cells: the area of a pane. Layout is done by splitting rectangles; a rectangle
/// with no width or height is empty and everything drawn into it is clipped away.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Negative sizes are stored as zero, so arithmetic on a too-small terminal yields empty
    /// rectangles instead of nonsense.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The empty rectangle at the origin.
    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    /// First column inside.
    public var minX: Int { x }
    /// First row inside.
    public var minY: Int { y }
    /// First column past the right edge.
    public var maxX: Int { x + width }
    /// First row past the bottom edge.
    public var maxY: Int { y + height }
    /// No cell inside.
    public var isEmpty: Bool { width == 0 || height == 0 }
    /// Number of cells inside.
    public var area: Int { width * height }
    public var description: String { "\(width)x\(height)@\(x),\(y)" }

    /// Whether the cell (x, y) is inside.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= minX && px < maxX && py >= minY && py < maxY
    }

    /// Whether `other` lies wholly inside (an empty rectangle is inside anything).
    public func contains(_ other: Rect) -> Bool {
        other.isEmpty || (other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY)
    }

    /// The overlap of two rectangles (empty, at this one's origin, if they do not meet).
    public func intersection(_ other: Rect) -> Rect {
        let left = max(minX, other.minX)
        let top = max(minY, other.minY)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// Shrunk by `cells` on every side (a border is `inset(by: 1)`).
    public func inset(by cells: Int) -> Rect {
        inset(top: cells, left: cells, bottom: cells, right: cells)
    }

    /// Shrunk by the given amounts; never negative.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let newWidth = max(0, width - left - right)
        let newHeight = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: newWidth, height: newHeight)
    }

    /// One row of this rectangle (`row` counts from its top), empty if outside.
    public func row(_ row: Int) -> Rect {
        guard row >= 0, row < height else { return Rect(x: x, y: y, width: 0, height: 0) }
        return Rect(x: x, y: y + row, width: width, height: 1)
    }

    // MARK: - Splitting

    /// How much of a split one part takes.
    public enum Size: Hashable, Sendable {
        /// Exactly this many cells (less if the space runs out).
        case fixed(Int)
        /// This fraction (0...1) of the whole, rounded down.
        case ratio(Double)
        /// An equal share of what the fixed and ratio parts leave.
        case fill
    }

    /// Splits into side-by-side columns, left to right. Parts are laid out in order; when space
    /// runs out the later parts shrink to zero. Fill parts share the rest, the first ones taking
    /// the odd cells.
    public func columns(_ sizes: [Size]) -> [Rect] {
        Self.lengths(sizes, total: width).reduce(into: (rects: [Rect](), offset: x)) { acc, length in
            acc.rects.append(Rect(x: acc.offset, y: y, width: length, height: height))
            acc.offset += length
        }.rects
    }

    /// Splits into stacked rows, top to bottom; same rules as ``columns(_:)``.
    public func rows(_ sizes: [Size]) -> [Rect] {
        Self.lengths(sizes, total: height).reduce(into: (rects: [Rect](), offset: y)) { acc, length in
            acc.rects.append(Rect(x: x, y: acc.offset, width: width, height: length))
            acc.offset += length
        }.rects
    }

    /// Left part `width` cells wide, right part the rest.
    public func splitLeft(_ leftWidth: Int) -> (left: Rect, right: Rect) {
        let parts = columns([.fixed(leftWidth), .fill])
        return (parts[0], parts[1])
    }

    /// Top part `height` rows high, bottom part the rest.
    public func splitTop(_ topHeight: Int) -> (top: Rect, bottom: Rect) {
        let parts = rows([.fixed(topHeight), .fill])
        return (parts[0], parts[1])
    }

    /// Bottom part `height` rows high (a status line), top part the rest.
    public func splitBottom(_ bottomHeight: Int) -> (top: Rect, bottom: Rect) {
        let parts = rows([.fill, .fixed(min(max(0, bottomHeight), height))])
        return (parts[0], parts[1])
    }

    static func lengths(_ sizes: [Size], total: Int) -> [Int] {
        var remaining = total
        var lengths = [Int](repeating: 0, count: sizes.count)
        var fills: [Int] = []
        for (index, size) in sizes.enumerated() {
            switch size {
            case .fixed(let cells):
                lengths[index] = min(max(0, cells), remaining)
            case .ratio(let fraction):
                let cells = Int((Double(total) * min(max(fraction, 0), 1)).rounded(.down))
                lengths[index] = min(cells, remaining)
            case .fill:
                fills.append(index)
                continue
            }
            remaining -= lengths[index]
        }
        if !fills.isEmpty {
            let share = remaining / fills.count
            var odd = remaining % fills.count
            for index in fills {
                lengths[index] = share + (odd > 0 ? 1 : 0)
                odd -= 1
            }
        }
        return lengths
    }
}
