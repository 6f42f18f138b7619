import EarshotTUI
import Foundation

/// Customer and platform text on its way out of the CLI. A terminal obeys any control sequence
/// it is sent (retitle the window, clear the screen, flip text direction), and CLI output ends
/// up on one, directly or later through `cat` or `less -R`; so it goes through the TUI's
/// ``SafeText``, the one sanitiser (docs/rendering.md#the-cli has the rules):
///
/// - line and table output (queue, stats, outbox, responders, watch...): every text field is
///   one line of SafeText, on a terminal or not, so a field can neither act on a terminal nor
///   break a script's lines and columns (a tab or a line break would);
/// - CSV: the same one-line fields, then quoted where RFC 4180 asks;
/// - JSON: controls, format characters and the rest ``SafeText/isUnsafe(_:)`` names become
///   `\u` escapes, so the data stays exact and the output stays inert;
/// - text printed whole (a draft): as written when piped, line by line through SafeText on
///   a terminal.
enum SafeOutput {
    /// One field of line output: controls as control pictures (`␛`), bidi and other invisible
    /// characters as `<U+202E>`, line breaks as `⏎`, tabs as a space.
    static func field(_ text: String) -> String { SafeText(text, lineBreak: .symbol).string }

    /// Text of several lines for a person at a terminal, each line sanitized.
    static func lines(_ text: String) -> String { SafeText.lines(text).map(\.string).joined(separator: "\n") }

    /// `text` as is when standard output is not a terminal (a script or a file wants the exact
    /// text), else ``lines(_:)``.
    static func whole(_ text: String) -> String { isatty(STDOUT_FILENO) == 1 ? lines(text) : text }

    /// Serialized JSON with every unsafe code point escaped. A valid serializer already escapes
    /// C0 controls in strings, so a tab or line break is layout; anything else unsafe can only
    /// stand inside a string, where `\uXXXX` means the same code point.
    static func json(_ serialized: String) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool { SafeText.isUnsafe(scalar) && !"\n\r\t".unicodeScalars.contains(scalar) }
        guard serialized.unicodeScalars.contains(where: escapes) else { return serialized }
        var out = String.UnicodeScalarView()
        for scalar in serialized.unicodeScalars {
            guard escapes(scalar) else {
                out.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {  // beyond U+FFFF: a surrogate pair, as JSON spells it
                let hex = String(unit, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            }
        }
        return String(out)
    }

    /// A line to standard error, sanitized (messages can quote files and platforms).
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((lines(line) + "\n").utf8))
    }
}
