/// Bordered boxes with a title, the frame around every pane.
extension Canvas {
    /// The line-drawing characters of a box.
    public struct BoxStyle: Hashable, Sendable {
        public var horizontal: Character, vertical: Character
        public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character

        public init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character) {
            self.horizontal = horizontal
            self.vertical = vertical
            self.topLeft = topLeft
            self.topRight = topRight
            self.bottomLeft = bottomLeft
            self.bottomRight = bottomRight
        }

        /// ┌─┐ │ └─┘
        public static let light = BoxStyle(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘")
        /// ┏━┓ ┃ ┗━┛: the focused pane, so focus does not rely on colour.
        public static let heavy = BoxStyle(horizontal: "━", vertical: "┃", topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛")
        /// +-+ | +-+ for terminals without line drawing.
        public static let ascii = BoxStyle(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+")
    }

    /// Draws a border around `rect` (local; default the whole pane) with an optional title in
    /// the top edge, truncated to fit. Returns the inside of the box, in local coordinates.
    @discardableResult
    public mutating func box(_ rect: Rect? = nil, title: String? = nil, lines: BoxStyle = .light, style: Style = .plain, titleStyle: Style? = nil) -> Rect {
        let frame = rect ?? bounds
        guard frame.width >= 2, frame.height >= 2 else {
            fill(frame, with: lines.horizontal, style: style)
            return Rect(x: frame.x, y: frame.y, width: 0, height: 0)
        }
        let right = frame.maxX - 1
        let bottom = frame.maxY - 1
        horizontalLine(y: frame.y, x: frame.x + 1, length: frame.width - 2, character: lines.horizontal, style: style)
        horizontalLine(y: bottom, x: frame.x + 1, length: frame.width - 2, character: lines.horizontal, style: style)
        verticalLine(x: frame.x, y: frame.y + 1, length: frame.height - 2, character: lines.vertical, style: style)
        verticalLine(x: right, y: frame.y + 1, length: frame.height - 2, character: lines.vertical, style: style)
        fill(Rect(x: frame.x, y: frame.y, width: 1, height: 1), with: lines.topLeft, style: style)
        fill(Rect(x: right, y: frame.y, width: 1, height: 1), with: lines.topRight, style: style)
        fill(Rect(x: frame.x, y: bottom, width: 1, height: 1), with: lines.bottomLeft, style: style)
        fill(Rect(x: right, y: bottom, width: 1, height: 1), with: lines.bottomRight, style: style)
        if let title, frame.width > 4 {
            // " Title " after the corner and one line; the title never touches the far corner.
            let room = frame.width - 4
            let text = SafeText(" " + title + " ").truncated(toWidth: room)
            draw(in: Rect(x: frame.x + 2, y: frame.y, width: room, height: 1)) { edge in
                edge.put(text, x: 0, y: 0, style: titleStyle ?? style)
            }
        }
        return frame.inset(by: 1)
    }
}
