/// The `?` overlay: ``HelpContent`` in a centred box over whatever is on screen, scrolled by
/// an offset the app keeps in its state (j/k, PgDn/PgUp move it; ? or q close it).
public enum HelpOverlay {
    /// The box for `content` on a canvas of this size: as wide as the lines and as tall as the
    /// rows, up to a margin of one cell, centred.
    public static func frame(for content: HelpContent, width: Int, height: Int) -> Rect {
        let widest = content.textLines.map { DisplayWidth.width(of: $0) }.max() ?? 0
        let titleWidth = DisplayWidth.width(of: content.title) + 6
        let boxWidth = min(max(widest + 4, titleWidth), width - 2)
        let boxHeight = min(content.rows.count + 2, height - 2)
        return Rect(x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
    }

    /// The largest useful offset: past it the last row would leave the bottom empty.
    public static func maxOffset(for content: HelpContent, width: Int, height: Int) -> Int {
        max(0, content.rows.count - max(0, frame(for: content, width: width, height: height).height - 2))
    }

    /// Draws the overlay; returns the offset used (clamped to 0...maxOffset) so the app can
    /// store it back and scrolling past the end does not need undoing.
    @discardableResult
    public static func draw(_ content: HelpContent, offset: Int, in canvas: inout Canvas) -> Int {
        let frame = frame(for: content, width: canvas.width, height: canvas.height)
        let rows = content.rows
        let offset = min(max(0, offset), maxOffset(for: content, width: canvas.width, height: canvas.height))
        // A blank column each side keeps the box from running into the pane borders beneath.
        canvas.fill(Rect(x: frame.x - 1, y: frame.y, width: frame.width + 2, height: frame.height))
        let inside = canvas.box(frame, title: content.title, lines: .heavy, titleStyle: .bold)
        let visible = inside.height
        canvas.draw(in: inside.inset(left: 1, right: 1)) { list in
            for (y, row) in rows.dropFirst(offset).prefix(visible).enumerated() {
                switch row {
                case .heading(let text): list.put(text, x: 0, y: y, style: .bold)
                case .line(let text): list.put(text, x: 0, y: y)
                case .blank: break
                }
            }
        }
        if rows.count > visible, frame.width > 20 {
            // Where we are, on the bottom border: the rows shown and the total, with arrows for
            // the directions there is more, so scrolling is discoverable without colour.
            let more = (offset > 0 ? "↑" : "") + (offset + visible < rows.count ? "↓" : "")
            let label = " \(offset + 1)-\(min(rows.count, offset + visible)) of \(rows.count) \(more) "
            let x = frame.maxX - 2 - DisplayWidth.width(of: label)
            canvas.put(label, x: x, y: frame.maxY - 1, style: .bold)
        }
        return offset
    }
}
