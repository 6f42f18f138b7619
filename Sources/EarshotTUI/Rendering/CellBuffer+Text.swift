/// Reading a buffer back as text: what snapshot tests compare and what a test asserts on.
extension CellBuffer {
    /// Each row as the terminal would show it: every grapheme once (continuation cells skipped),
    /// full width, trailing spaces kept.
    public func lines() -> [String] {
        (0..<height).map { line($0) }
    }

    /// One row as text; see ``lines()``.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var text = ""
        text.reserveCapacity(width)
        for cell in storage[(y * width)..<(y * width + width)] where !cell.isContinuation {
            if cell.isCluster {
                text.append(clusters[cell.clusterIndex])
            } else {
                text.unicodeScalars.append(Unicode.Scalar(cell.content) ?? "\u{FFFD}")
            }
        }
        return text
    }

    /// The styled stretches of each row, one description per run of equal non-plain style:
    /// `"3: 2-9 bold reverse fg=red"` (row 3, columns 2 through 9). Snapshot files keep these
    /// under the text, so a change of attributes shows up in review.
    public func styleRuns() -> [String] {
        var result: [String] = []
        for y in 0..<height {
            var x = 0
            let start = y * width
            while x < width {
                let style = storage[start + x].style
                var end = x + 1
                while end < width && storage[start + end].style == style { end += 1 }
                if style != .plain { result.append("\(y): \(x)-\(end - 1) \(style.summary)") }
                x = end
            }
        }
        return result
    }
}

extension Style {
    /// `bold reverse fg=red bg=blue`: attribute and colour names, for snapshots.
    public var summary: String {
        var words: [String] = []
        if attributes.contains(.bold) { words.append("bold") }
        if attributes.contains(.dim) { words.append("dim") }
        if attributes.contains(.reverse) { words.append("reverse") }
        if attributes.contains(.underline) { words.append("underline") }
        if let foreground { words.append("fg=\(foreground)") }
        if let background { words.append("bg=\(background)") }
        return words.isEmpty ? "plain" : words.joined(separator: " ")
    }
}
