/// Breaks customer (or our) text into screen lines: sanitized first (SafeText), then wrapped at
/// spaces by display width, with words longer than a line cut between graphemes.
enum TextWrap {
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for line in SafeText.lines(text) {
            var current = ""
            var currentWidth = 0
            for word in line.string.split(separator: " ", omittingEmptySubsequences: false) {
                let wordWidth = DisplayWidth.width(of: word)
                let needed = currentWidth == 0 ? wordWidth : currentWidth + 1 + wordWidth
                if needed <= width {
                    current += currentWidth == 0 && current.isEmpty ? String(word) : " " + word
                    currentWidth = needed
                    continue
                }
                if !current.isEmpty || currentWidth > 0 { result.append(current) }
                current = ""
                currentWidth = 0
                var rest = Substring(word)
                while DisplayWidth.width(of: rest) > width {
                    var piece = ""
                    var pieceWidth = 0
                    while let next = rest.first, pieceWidth + DisplayWidth.width(of: next) <= width {
                        piece.append(next)
                        pieceWidth += DisplayWidth.width(of: next)
                        rest = rest.dropFirst()
                    }
                    if piece.isEmpty { rest = rest.dropFirst() }  // a grapheme wider than the line
                    result.append(piece)
                }
                current = String(rest)
                currentWidth = DisplayWidth.width(of: rest)
            }
            result.append(current)
        }
        return result
    }
}

/// Short forms for times and waits.
enum TimeText {
    /// A wait as a person reads it: 45s, 12m, 3h, 2d.
    static func wait(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 * 2 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }
}
