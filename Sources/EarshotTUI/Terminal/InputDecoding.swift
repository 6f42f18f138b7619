/// Turning raw terminal input into ``Key``s, for what curses' keypad mode leaves undecoded:
/// plain control characters, and escape sequences the terminfo entry does not describe (a
/// terminal that sends xterm's Ctrl-arrow sequences under `TERM=screen`, say).
///
/// Kept apart from `NcursesTerminal` so the table is tested without a terminal.
enum InputDecoding {
    /// The key for one character read from the terminal (not a curses key code).
    /// `nil` for input that is no key: NUL (Ctrl-Space), the other C0 controls that are no
    /// Ctrl-letter, C1 controls, DEL's 8-bit cousins.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter  // LF, or CR when nonl() leaves Enter untranslated
        case 9: return .tab
        case 8, 127: return .backspace  // Ctrl-H and DEL: terminals disagree on which Backspace sends
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(0x60 + value))))
        case 0, 28...31, 0x80..<0xA0: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// The key for an escape sequence, given what followed ESC (`"[1;5D"` for xterm's
    /// Ctrl-Left). `nil` if it is not one we know.
    static func key(forEscapeSequence sequence: String) -> Key? {
        escapeSequences[sequence]
    }

    /// Whether `sequence` (after ESC) is complete: CSI and SS3 sequences end with a byte in
    /// 0x40–0x7E, except that `[` and `O` alone are only their start.
    static func isComplete(_ sequence: String) -> Bool {
        guard let last = sequence.unicodeScalars.last, sequence.count >= 2 else { return false }
        return (0x40...0x7E).contains(last.value)
    }

    /// xterm, rxvt and VT100 forms of the keys Earshot binds.
    private static let escapeSequences: [String: Key] = [
        "[1;5D": .ctrlLeft, "[1;5C": .ctrlRight, "[5D": .ctrlLeft, "[5C": .ctrlRight,
        "Od": .ctrlLeft, "Oc": .ctrlRight,
        "[A": .up, "[B": .down, "[C": .right, "[D": .left,
        "OA": .up, "OB": .down, "OC": .right, "OD": .left,
        "[H": .home, "[F": .end, "OH": .home, "OF": .end,
        "[1~": .home, "[4~": .end, "[7~": .home, "[8~": .end,
        "[2~": .insert, "[3~": .delete, "[5~": .pageUp, "[6~": .pageDown,
        "[Z": .backTab, "OM": .enter,
        "OP": .function(1), "OQ": .function(2), "OR": .function(3), "OS": .function(4),
        "[15~": .function(5), "[17~": .function(6), "[18~": .function(7), "[19~": .function(8),
        "[20~": .function(9), "[21~": .function(10), "[23~": .function(11), "[24~": .function(12),
    ]
}
