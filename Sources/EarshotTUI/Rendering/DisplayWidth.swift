/// How many terminal cells text takes. Every view measures with these functions, and the cell
/// buffer places text with them, so a column never drifts.
///
/// Rules, per grapheme cluster (a `Character`):
/// - East Asian Wide and Fullwidth characters (CJK, Hangul syllables, fullwidth forms): 2.
///   Halfwidth forms (`ｶ`) and East Asian Ambiguous characters: 1, as in a non-CJK locale.
/// - Emoji shown as emoji: 2. That is a character with the Emoji_Presentation property (`😀`),
///   any emoji followed by VS16 (`❤️`), keycaps (`1️⃣`), flags (a pair of regional indicators,
///   `🇯🇵`), skin-tone and ZWJ sequences (`👍🏽`, `👩‍👩‍👧`) and tag sequences (`🏴󠁧󠁢󠁳󠁣󠁴󠁿`): the
///   whole cluster is one 2-cell glyph.
/// - Combining marks (Mn, Me), format characters (Cf, including ZWJ) and Hangul medial and final
///   jamo take no cell: they ride on the character before them (`é` written as e + U+0301 is 1).
/// - Spacing marks (Mc, such as the Devanagari vowel sign in `कि`) take a cell each, because that
///   is what terminals (glibc `wcwidth`) do; such a cluster can be wider than 2.
/// - Controls: 0 (they never reach the screen: ``SafeText`` makes them visible first).
/// - Everything else: 1.
public enum DisplayWidth {
    /// Cells taken by one grapheme cluster.
    public static func width(of character: Character) -> Int {
        // "\r\n" has an ASCII value too (LF's); it is a control either way.
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        let scalars = character.unicodeScalars
        var iterator = scalars.makeIterator()
        guard let first = iterator.next() else { return 0 }
        guard let second = iterator.next() else {
            // A lone regional indicator is a letter-like symbol, one cell (as wcwidth says).
            return isRegionalIndicator(first) ? 1 : width(of: first)
        }
        if isRegionalIndicator(first) && isRegionalIndicator(second) { return 2 }
        if isEmojiSequence(first: first, scalars: scalars) { return 2 }
        var total = width(of: first) + width(of: second)
        while let next = iterator.next() { total += width(of: next) }
        return total
    }

    /// Cells taken by a string: the sum over its grapheme clusters.
    public static func width(of text: String) -> Int { measure(text) }

    /// Cells taken by a substring: the sum over its grapheme clusters.
    public static func width(of text: Substring) -> Int { measure(text) }

    // Generic, but called through the two concrete overloads above so that it is specialized
    // here: a generic call from another module would iterate through witness tables.
    private static func measure<S: StringProtocol>(_ text: S) -> Int {
        // Most UI text is printable ASCII: one cell per byte, no grapheme breaking needed.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        var total = 0
        for character in text { total += width(of: character) }
        return total
    }

    /// Cells taken by one scalar on its own (no cluster context).
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x7F { return value >= 0x20 ? 1 : 0 }
        if value < 0xA0 { return 0 }
        if value < 0x300 { return value == 0xAD ? 0 : 1 }  // Latin-1 and Latin Extended; U+00AD is Cf
        if value < 0x370 { return 0 }  // Combining Diacritical Marks
        if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return 0 }
        // The table first: a binary search is cheaper than a property lookup, and wide
        // characters are the common case outside Latin.
        if EastAsianWideTable.contains(value) {
            // Combining marks that East Asian Width calls wide still take no cell.
            if (0x302A...0x302D).contains(value) || value == 0x3099 || value == 0x309A || value == 0x16FE4 { return 0 }
            return 2
        }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control:
            return 0
        default:
            break
        }
        // Emoji newer than the generated table still have Emoji_Presentation in Swift's data.
        if value >= 0x1F000 && scalar.properties.isEmojiPresentation && !isRegionalIndicator(scalar) { return 2 }
        return 1
    }

    /// Shortens `text` to at most `maxWidth` cells, ending with `ellipsis` when something was cut.
    /// Cuts only between grapheme clusters, so a wide character is never split: the result may be
    /// one cell narrower than `maxWidth`. If even the ellipsis does not fit, no ellipsis is added.
    /// Measures the text as given: sanitize customer text first (``SafeText/truncated(toWidth:ellipsis:)``).
    public static func truncate(_ text: String, toWidth maxWidth: Int, ellipsis: String = "…") -> String {
        guard maxWidth > 0 else { return "" }
        if width(of: text) <= maxWidth { return text }
        let ellipsisWidth = width(of: ellipsis)
        let ellipsis = ellipsisWidth <= maxWidth ? ellipsis : ""
        let budget = maxWidth - (ellipsis.isEmpty ? 0 : ellipsisWidth)
        var used = 0
        var result = ""
        for character in text {
            let cells = width(of: character)
            if used + cells > budget { break }
            used += cells
            result.append(character)
        }
        return result + ellipsis
    }

    /// `text` truncated to `width` cells and padded with spaces to exactly `width` cells
    /// (on the right, or on the left when `alignRight`): for table columns.
    public static func fit(_ text: String, toWidth width: Int, ellipsis: String = "…", alignRight: Bool = false) -> String {
        let cut = truncate(text, toWidth: width, ellipsis: ellipsis)
        let padding = String(repeating: " ", count: max(0, width - self.width(of: cut)))
        return alignRight ? padding + cut : cut + padding
    }

    static func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
        (0x1F1E6...0x1F1FF).contains(scalar.value)
    }

    /// A multi-scalar cluster that terminals draw as one emoji glyph.
    private static func isEmojiSequence(first: Unicode.Scalar, scalars: Character.UnicodeScalarView) -> Bool {
        // Skin tones, ZWJ sequences and tag sequences all start with an emoji-presentation base.
        if first.properties.isEmojiPresentation { return true }
        guard first.properties.isEmoji else { return false }
        for scalar in scalars.dropFirst() {
            switch scalar.value {
            case 0xFE0F: return true  // VS16: show as emoji
            case 0xFE0E: return false  // VS15: show as text
            case 0x20E3: return true  // combining enclosing keycap after 0-9, # or *
            default: continue
            }
        }
        return false
    }
}

extension EastAsianWideTable {
    /// Binary search over the inclusive ranges.
    static func contains(_ value: UInt32) -> Bool {
        // Below U+1100 nothing is wide; most text never reaches the search.
        if value < 0x1100 { return false }
        var low = 0
        var high = ranges.count / 2 - 1
        while low <= high {
            let middle = (low + high) / 2
            if value < ranges[2 * middle] {
                high = middle - 1
            } else if value > ranges[2 * middle + 1] {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
