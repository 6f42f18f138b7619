/// A pane's view of the buffer: local coordinates from the pane's top-left corner, and every
/// drawing call clipped to the pane. Views take an `inout Canvas` and cannot reach outside it.
///
/// ```swift
/// buffer.draw(in: queueRect) { canvas in
///     canvas.put("Queue", x: 1, y: 0, style: .bold)
///     canvas.draw(in: canvas.bounds.inset(by: 1)) { inner in ... }
/// }
/// ```
public struct Canvas {
    /// The buffer being drawn into (borrowed for the duration of `draw(in:)`).
    fileprivate(set) var buffer: CellBuffer
    /// The pane's top-left corner, in buffer coordinates.
    public let origin: Position
    /// The pane's width; local columns run from 0 to width - 1.
    public let width: Int
    /// The pane's height; local rows run from 0 to height - 1.
    public let height: Int
    /// What may be written, in buffer coordinates: the pane within its parents and the buffer.
    let clip: Rect

    fileprivate init(buffer: CellBuffer, area: Rect, clip: Rect) {
        self.buffer = buffer
        origin = Position(x: area.x, y: area.y)
        width = area.width
        height = area.height
        self.clip = clip
    }

    /// The pane in local coordinates: (0, 0, width, height).
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Draws into a part of this pane (`rect` in local coordinates), clipped to both.
    @discardableResult
    public mutating func draw<Result>(in rect: Rect, _ body: (inout Canvas) throws -> Result) rethrows -> Result {
        let area = toBuffer(rect)
        var inner = Canvas(buffer: .empty, area: area, clip: area.intersection(clip))
        swap(&buffer, &inner.buffer)
        defer { swap(&buffer, &inner.buffer) }
        return try body(&inner)
    }

    /// Sanitizes and draws one line of text at local (x, y); returns the columns advanced.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain) -> Int {
        buffer.put(text, x: origin.x + x, y: origin.y + y, style: style, clippedTo: clip)
    }

    /// Draws sanitized text at local (x, y); returns the columns advanced.
    @discardableResult
    public mutating func put(_ text: SafeText, x: Int, y: Int, style: Style = .plain) -> Int {
        buffer.put(text, x: origin.x + x, y: origin.y + y, style: style, clippedTo: clip)
    }

    /// Fills a local rectangle (default: the whole pane).
    public mutating func fill(_ rect: Rect? = nil, with character: Character = " ", style: Style = .plain) {
        buffer.fill(toBuffer(rect ?? bounds).intersection(clip), with: character, style: style)
    }

    /// Blanks the pane.
    public mutating func clear() { fill() }

    /// Restyles a local rectangle, keeping its text.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        buffer.setStyle(style, in: toBuffer(rect).intersection(clip))
    }

    /// Adds attributes to a local rectangle, keeping text and colours.
    public mutating func addAttributes(_ attributes: Attributes, in rect: Rect) {
        buffer.addAttributes(attributes, in: toBuffer(rect).intersection(clip))
    }

    /// A horizontal line across the pane at local row `y` (or `length` cells from `x`).
    public mutating func horizontalLine(y: Int, x: Int = 0, length: Int? = nil, character: Character = "─", style: Style = .plain) {
        buffer.horizontalLine(x: origin.x + x, y: origin.y + y, length: length ?? (width - x), character: character, style: style, clippedTo: clip)
    }

    /// A vertical line down the pane at local column `x`.
    public mutating func verticalLine(x: Int, y: Int = 0, length: Int? = nil, character: Character = "│", style: Style = .plain) {
        buffer.verticalLine(x: origin.x + x, y: origin.y + y, length: length ?? (height - y), character: character, style: style, clippedTo: clip)
    }

    /// Shows the terminal cursor at local (x, y) after this frame, if that is inside the pane.
    public mutating func setCursor(x: Int, y: Int) {
        let position = Position(x: origin.x + x, y: origin.y + y)
        if clip.contains(x: position.x, y: position.y) { buffer.cursor = position }
    }

    private func toBuffer(_ rect: Rect) -> Rect {
        Rect(x: origin.x + rect.x, y: origin.y + rect.y, width: rect.width, height: rect.height)
    }
}

extension CellBuffer {
    /// Lends the buffer to `body` as a canvas over `rect` (buffer coordinates).
    @discardableResult
    public mutating func draw<Result>(in rect: Rect, _ body: (inout Canvas) throws -> Result) rethrows -> Result {
        // The buffer is moved into the canvas, not copied: swapping leaves its storage uniquely
        // referenced, so writes do not trigger a copy-on-write of the whole screen.
        var canvas = Canvas(buffer: .empty, area: rect, clip: rect.intersection(bounds))
        swap(&self, &canvas.buffer)
        defer { swap(&self, &canvas.buffer) }
        return try body(&canvas)
    }
}
