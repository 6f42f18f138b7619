/// Text attributes every terminal can show, colour or not. The views carry state (selected,
/// unread, overdue) in these; colour only ever repeats what an attribute or a glyph already says.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Heavier text: titles, unread items.
    public static let bold = Attributes(rawValue: 1 << 0)
    /// Fainter text: hints, timestamps. Some terminals (vt100) cannot show it; never the only mark.
    public static let dim = Attributes(rawValue: 1 << 1)
    /// Swapped foreground and background: the selection.
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
}

/// The eight ANSI colours: the palette that every colour terminal (and `TERM=xterm`) has, so a
/// theme never depends on 256-colour support.
public enum Color: UInt8, CaseIterable, Hashable, Sendable {
    case black, red, green, yellow, blue, magenta, cyan, white
}

/// How one cell is drawn: attributes, plus optional colours as an extra.
///
/// Rule: no state may be carried by colour alone. A view that marks something red also makes it
/// bold, reversed or adds a symbol, because colour disappears under `NO_COLOR`, on `TERM=vt100`,
/// and for colour-blind readers. ``withoutColor`` is what a colourless terminal shows.
public struct Style: Hashable, Sendable {
    public var attributes: Attributes
    /// Foreground colour; `nil` is the terminal's default.
    public var foreground: Color?
    /// Background colour; `nil` is the terminal's default.
    public var background: Color?

    public init(_ attributes: Attributes = [], foreground: Color? = nil, background: Color? = nil) {
        self.attributes = attributes
        self.foreground = foreground
        self.background = background
    }

    /// The terminal's default look.
    public static let plain = Style()
    // One-attribute styles, for brevity in views: `style: .bold`.
    public static let bold = Style(.bold)
    public static let dim = Style(.dim)
    public static let reverse = Style(.reverse)
    public static let underline = Style(.underline)

    /// The same style with more attributes.
    public func adding(_ more: Attributes) -> Style {
        var copy = self
        copy.attributes.formUnion(more)
        return copy
    }

    /// The same style with colours.
    public func colored(_ foreground: Color?, on background: Color? = nil) -> Style {
        Style(attributes, foreground: foreground, background: background)
    }

    /// What a terminal without colours shows: the attributes only.
    public var withoutColor: Style { Style(attributes) }
}

/// Whether colour is used at all. Colour is an extra: it is off when the user sets `NO_COLOR`
/// (any non-empty value, per no-color.org) or when the terminal has none.
public enum ColorPolicy {
    /// - Parameters:
    ///   - environment: the process environment (`ProcessInfo.processInfo.environment`).
    ///   - terminalHasColors: what the terminal reports (ncurses `has_colors()`).
    public static func colorsEnabled(environment: [String: String], terminalHasColors: Bool) -> Bool {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return terminalHasColors
    }
}
