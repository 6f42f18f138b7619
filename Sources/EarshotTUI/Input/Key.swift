/// One key press as the TUI understands it, whatever terminal produced it.
/// The ncurses layer decodes raw input into these; the memory terminal takes them directly;
/// the keymap binds them to actions. Names (`j`, `C-l`, `S-Tab`, `PgDn`) are what keys.toml
/// and the help overlay use.
public enum Key: Hashable, Sendable {
    /// A printable character (a grapheme cluster), space included.
    case character(Character)
    /// Ctrl with a letter, stored lowercase: Ctrl-L is `.control("l")`.
    case control(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown, insert
    case ctrlLeft, ctrlRight
    case function(Int)

    /// Named keys in the spelling keys.toml and the help overlay use.
    static let namedKeys: [(name: String, key: Key)] = [
        ("Enter", .enter), ("Tab", .tab), ("S-Tab", .backTab), ("Backspace", .backspace),
        ("Delete", .delete), ("Esc", .escape), ("Up", .up), ("Down", .down), ("Left", .left),
        ("Right", .right), ("Home", .home), ("End", .end), ("PgUp", .pageUp), ("PgDn", .pageDown),
        ("Insert", .insert), ("C-Left", .ctrlLeft), ("C-Right", .ctrlRight), ("Space", .character(" ")),
    ]

    /// The key's name: `j`, `G`, `?`, `C-l`, `Enter`, `F5`.
    public var name: String {
        if let named = Key.namedKeys.first(where: { $0.key == self }) { return named.name }
        switch self {
        case .character(let c): return String(c)
        case .control(let c): return "C-\(c)"
        case .function(let n): return "F\(n)"
        default: return "?"
        }
    }

    /// Parses a key name (as `name` writes it; case-insensitive for named keys, `C-`/`Ctrl-` prefixes).
    public init?(name: String) {
        if let named = Key.namedKeys.first(where: { $0.name.lowercased() == name.lowercased() }) {
            self = named.key
            return
        }
        if name.count == 1, let c = name.first {
            self = .character(c)
            return
        }
        for prefix in ["C-", "c-", "Ctrl-", "ctrl-"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first, c.isLetter, c.isASCII else { return nil }
            self = .control(Character(c.lowercased()))
            return
        }
        if name.count >= 2, name.first == "F" || name.first == "f", let n = Int(name.dropFirst()), (1...24).contains(n) {
            self = .function(n)
            return
        }
        return nil
    }
}

/// What a terminal reports: a key, or a new size.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
}
