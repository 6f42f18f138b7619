/// Text that can go to a terminal as it is: customer text is hostile, and a terminal obeys any
/// control sequence it receives (retitle the window, clear the screen, reprogram keys, flip text
/// direction). The only way to make a `SafeText` is to sanitize a `String`, and the cell buffer
/// sanitizes everything put into it, so no view can forget.
///
/// After sanitizing, the text holds no C0 control (U+0000–U+001F), no DEL, no C1 control
/// (U+0080–U+009F, which some terminals take as 8-bit CSI/OSC/DCS), no bidi control, no other
/// format character that could hide or reorder text, no private-use or unassigned code point
/// (their width is a guess), and no cluster that starts with a combining mark. Each of these
/// becomes a visible, inert placeholder (docs/rendering.md has the table):
///
/// | input | shown as |
/// |---|---|
/// | C0 control U+0000–U+001F | its control picture U+2400–U+241F: ESC → `␛`, BEL → `␇`, NUL → `␀` |
/// | DEL U+007F | `␡` (U+2421) |
/// | C1 control U+0080–U+009F | `<U+009B>` |
/// | bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and other format characters (ZWSP, soft hyphen, BOM, tags…) | `<U+202E>` |
/// | private use, unassigned, noncharacters | `<U+E000>` |
/// | combining mark with nothing to combine with | `◌` (U+25CC) before it |
/// | tab | one space (single line) or spaces to the next tab stop (``lines(_:tabWidth:)``) |
/// | line break (LF, CR, CRLF, U+2028, U+2029) | a space or `⏎` (single line); a new line (``lines(_:tabWidth:)``) |
///
/// Kept as they are: ZWJ and ZWNJ inside a cluster (emoji sequences, Indic and Persian text),
/// variation selectors, tag characters inside an emoji tag sequence (`🏴` subdivision flags),
/// U+FFFD. Right-to-left text stays in logical order; the terminal shapes it.
///
/// Sanitizing is idempotent, and printable ASCII passes through a fast path.
public struct SafeText: Hashable, Sendable, CustomStringConvertible {
    /// The sanitized text.
    public let string: String

    /// What a line break becomes in single-line text.
    public enum LineBreak: Sendable {
        /// A space: for previews and titles.
        case space
        /// `⏎` (U+23CE), so a reader sees the text had several lines.
        case symbol
    }

    /// Sanitizes `raw` into one line: tabs become a space, line breaks a space or `⏎`.
    public init(_ raw: String, lineBreak: LineBreak = .space) {
        string = Self.isPlainASCII(raw) || !Self.needsSanitizing(raw) ? raw : Self.sanitize(raw, lineBreak: lineBreak)
    }

    /// The full pass, grapheme by grapheme.
    static func sanitize(_ raw: String, lineBreak: LineBreak) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count)
        for character in raw {
            if isLineBreak(character) {
                out.append(lineBreak == .space ? " " : "\u{23CE}")
            } else if character == "\t" {
                out.append(" ")
            } else {
                appendSanitized(character, to: &out)
            }
        }
        return out
    }

    private init(sanitized: String) { string = sanitized }

    /// Sanitizes multi-line text into lines: split at LF, CR, CRLF, U+2028 and U+2029; tabs
    /// expanded with spaces to the next multiple of `tabWidth` cells. `"a\n"` gives `["a", ""]`.
    public static func lines(_ raw: String, tabWidth: Int = 4) -> [SafeText] {
        // Tabs and line breaks are controls, so text that needs nothing is a single line.
        if isPlainASCII(raw) || !needsSanitizing(raw) { return [SafeText(sanitized: raw)] }
        var result: [SafeText] = []
        var line = ""
        for character in raw {
            if isLineBreak(character) {
                result.append(SafeText(sanitized: line))
                line = ""
            } else if character == "\t" {
                let tab = max(1, tabWidth)
                let column = DisplayWidth.width(of: line)
                line.append(String(repeating: " ", count: tab - column % tab))
            } else if character.isASCII, let byte = character.asciiValue, byte >= 0x20, byte < 0x7F {
                line.append(character)
            } else {
                appendSanitized(character, to: &line)
            }
        }
        result.append(SafeText(sanitized: line))
        return result
    }

    /// Cells the text takes on screen.
    public var width: Int { DisplayWidth.width(of: string) }

    /// At most `maxWidth` cells, cut between grapheme clusters, ending with `ellipsis` if cut.
    public func truncated(toWidth maxWidth: Int, ellipsis: String = "…") -> SafeText {
        SafeText(sanitized: DisplayWidth.truncate(string, toWidth: maxWidth, ellipsis: SafeText(ellipsis).string))
    }

    /// No text at all.
    public var isEmpty: Bool { string.isEmpty }
    /// The sanitized text.
    public var description: String { string }

    /// Concatenation of two safe texts is safe (the placeholders are whole clusters on their own).
    public static func + (lhs: SafeText, rhs: SafeText) -> SafeText {
        // A combining mark at the start of rhs was prefixed with ◌, so it cannot join lhs's last
        // character into something new.
        SafeText(sanitized: lhs.string + rhs.string)
    }

    // MARK: - The scheme

    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Whether sanitizing could change `raw`, decided scalar by scalar without grapheme
    /// breaking (which costs more than the rest): most text has nothing to replace.
    ///
    /// Sound because a mark, joiner or other extender can only start a grapheme at the start of
    /// the text or after a control or line break (UAX #29 GB4, GB9), and those are caught here.
    static func needsSanitizing(_ raw: String) -> Bool {
        var isFirst = true
        for scalar in raw.unicodeScalars {
            defer { isFirst = false }
            let value = scalar.value
            if value < 0x7F {
                if value < 0x20 { return true }
                continue
            }
            if value < 0xA0 || value == 0xAD { return true }
            if value < 0x300 { continue }
            // Hiragana, katakana, CJK ideographs and Hangul syllables: common, every code point
            // assigned, none a mark (the kana voicing marks U+3099/U+309A sit between).
            if (0x3041...0x3096).contains(value) || (0x30A0...0x30FF).contains(value)
                || (0x4E00...0x9FFF).contains(value) || (0xAC00...0xD7A3).contains(value) { continue }
            if (0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value) { return true }
            if (0xE0000...0xE007F).contains(value) { return true }  // tags: allowed only after 🏴
            switch scalar.properties.generalCategory {
            case .control, .privateUse, .unassigned, .surrogate, .lineSeparator, .paragraphSeparator:
                return true
            case .format:
                if isFirst || (value != 0x200D && value != 0x200C) { return true }
            case .nonspacingMark, .enclosingMark, .spacingMark:
                if isFirst { return true }
            default:
                break
            }
        }
        return false
    }

    /// Whether a code point is never shown as itself, wherever it stands: a control (C0, DEL,
    /// C1), a format character (bidi controls, ZWSP, BOM, joiners, tags), a line or paragraph
    /// separator, private use, unassigned or a surrogate. For formats that escape text without
    /// loss instead of replacing it (the CLI's JSON writes these as `\u` escapes).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return true }
        if value < 0x7F { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: return true
        default: return false
        }
    }

    static func isLineBreak(_ character: Character) -> Bool {
        switch character {
        case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": return true
        default: return false
        }
    }

    /// The visible stand-in for a scalar that must not reach the terminal: `<U+202E>`.
    static func placeholder(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    /// Appends one grapheme cluster, replacing whatever part of it a terminal could act on.
    static func appendSanitized(_ character: Character, to out: inout String) {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return }
        // Tag characters are only legitimate inside an emoji tag sequence (🏴 + tags + cancel
        // tag); elsewhere they are invisible text ("ASCII smuggling"), so they are shown.
        let tagsAllowed = first.value == 0x1F3F4
        var isFirst = true
        for scalar in scalars {
            defer { isFirst = false }
            let value = scalar.value
            if value < 0x20 {
                out.unicodeScalars.append(Unicode.Scalar(0x2400 + value)!)
                continue
            }
            if value < 0x7F {
                out.unicodeScalars.append(scalar)
                continue
            }
            if value == 0x7F {
                out.unicodeScalars.append("\u{2421}")
                continue
            }
            if value < 0xA0 {
                out.append(placeholder(scalar))
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .privateUse, .unassigned, .surrogate:
                out.append(placeholder(scalar))
            case .format:
                let joiner = value == 0x200D || value == 0x200C
                let tag = (0xE0020...0xE007F).contains(value)
                if !isFirst && (joiner || (tag && tagsAllowed)) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out.append(placeholder(scalar))
                }
            case .nonspacingMark, .enclosingMark, .spacingMark:
                // A mark with no base would combine with whatever the terminal drew before it
                // (another pane's border, say); a dotted circle gives it its own base.
                if isFirst { out.unicodeScalars.append("\u{25CC}") }
                out.unicodeScalars.append(scalar)
            case .lineSeparator, .paragraphSeparator:
                out.append(placeholder(scalar))
            default:
                // Hangul medial and final jamo alone have no width and would merge into the
                // previous cell; inside a syllable cluster they are ordinary.
                if isFirst && ((0x1160...0x11FF).contains(value) || (0xD7B0...0xD7FF).contains(value)) {
                    out.append(placeholder(scalar))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }
}
