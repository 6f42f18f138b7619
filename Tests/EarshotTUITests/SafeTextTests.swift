import EarshotCore
import Testing
@testable import EarshotTUI
import EarshotTestSupport

/// What a hostile customer sends: an OSC that retitles the window, a clear-screen CSI, a DCS
/// that asks the terminal to report a capability, the right-to-left override, and an 8-bit CSI.
let hostileMention = "Hi\u{1B}]0;pwned\u{07} there\u{1B}[2J\u{1B}P+q544e\u{1B}\\ \u{202E}gpj.exe\u{9B}31m"

/// True when no scalar of `text` is a C0 control, DEL, a C1 control or a bidi control.
func isInert(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
        let value = scalar.value
        return value >= 0x20 && !(0x7F...0x9F).contains(value) && !bidiControls.contains(value)
    }
}

let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]

@Suite("SafeText")
struct SafeTextTests {
    @Test("The hostile mention comes out as inert visible text")
    func hostileMentionIsInert() {
        let safe = SafeText(hostileMention).string
        #expect(isInert(safe))
        #expect(safe == "Hi␛]0;pwned␇ there␛[2J␛P+q544e␛\\ <U+202E>gpj.exe<U+009B>31m")
        #expect(!safe.utf8.contains(0x1B))
        for line in SafeText.lines(hostileMention) { #expect(isInert(line.string)) }
    }

    @Test("Every C0 control, DEL and C1 control becomes a placeholder")
    func everyControl() {
        for value in UInt32(0)...0x9F where value < 0x20 || value >= 0x7F {
            let raw = "a" + String(Unicode.Scalar(value)!) + "b"
            let single = SafeText(raw).string
            #expect(isInert(single), "U+\(String(value, radix: 16)) single line")
            #expect(single.count >= 3, "U+\(String(value, radix: 16)) stays visible")
            for line in SafeText.lines(raw) { #expect(isInert(line.string), "U+\(String(value, radix: 16)) lines") }
        }
        #expect(SafeText("\u{1B}").string == "␛")
        #expect(SafeText("\u{07}").string == "␇")
        #expect(SafeText("\u{00}").string == "␀")
        #expect(SafeText("\u{7F}").string == "␡")
        #expect(SafeText("\u{85}").string == "<U+0085>")
    }

    @Test("Bidi controls and other invisible format characters are shown", arguments: bidiControls.sorted() + [0x200B, 0x00AD, 0xFEFF, 0x2060, 0x0600, 0xE0041])
    func formatCharacters(_ value: UInt32) {
        let raw = "x" + String(Unicode.Scalar(value)!) + "y"
        let expected = "x" + SafeText.placeholder(Unicode.Scalar(value)!) + "y"
        #expect(SafeText(raw).string == expected)
    }

    @Test("Private use and unassigned code points are shown as code points")
    func privateAndUnassigned() {
        #expect(SafeText("\u{E000}").string == "<U+E000>")
        #expect(SafeText("\u{FFFF}").string == "<U+FFFF>")
        #expect(SafeText("\u{10FFFD}").string == "<U+10FFFD>")
        #expect(SafeText("\u{FFFD}").string == "\u{FFFD}")
    }

    @Test("Emoji sequences, marks and right-to-left text pass through untouched", arguments: [
        "👩‍👩‍👧", "🇯🇵", "1️⃣", "👍🏽", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}", "café", "cafe\u{301}",
        "ภาษาไทย", "नमस्ते", "مرحبا بكم", "שָׁלוֹם עולם", "ﾊﾝｶｸ", "漢字", "می‌خواهم",
    ])
    func legitimateText(_ text: String) {
        #expect(SafeText(text).string == text)
        #expect(isInert(SafeText(text).string))
    }

    @Test("A combining mark with nothing to combine with gets a dotted circle")
    func orphanMark() {
        #expect(SafeText("\u{301}abc").string == "\u{25CC}\u{301}abc")
        #expect(DisplayWidth.width(of: SafeText("\u{301}").string) == 1)
        #expect(SafeText("\u{200D}x").string == "<U+200D>x")
    }

    @Test("Single line: tabs and line breaks become spaces, or a visible ⏎")
    func singleLine() {
        #expect(SafeText("a\tb\nc\r\nd\re\u{2028}f").string == "a b c d e f")
        #expect(SafeText("a\nb", lineBreak: .symbol).string == "a⏎b")
    }

    @Test("Multi-line: split at every line break, tabs expanded by display width")
    func multiLine() {
        #expect(SafeText.lines("one\ntwo\r\nthree\rfour\u{2029}five").map(\.string) == ["one", "two", "three", "four", "five"])
        #expect(SafeText.lines("a\n").map(\.string) == ["a", ""])
        #expect(SafeText.lines("").map(\.string) == [""])
        #expect(SafeText.lines("a\tb").map(\.string) == ["a   b"])
        #expect(SafeText.lines("漢\tb", tabWidth: 4).map(\.string) == ["漢  b"])
        #expect(SafeText.lines("\u{1B}[2J\tx").map(\.string) == ["␛[2J    x"])
    }

    @Test("Sanitizing twice changes nothing")
    func idempotent() {
        for raw in [hostileMention, "\u{301}x", "a\u{202E}b\u{E000}", "👩‍👩‍👧 漢字 \u{9B}", "\u{1160}"] {
            let once = SafeText(raw)
            #expect(SafeText(once.string) == once)
        }
    }

    @Test("Truncating safe text keeps it safe and within width")
    func truncation() {
        let cut = SafeText(hostileMention).truncated(toWidth: 10, ellipsis: "\u{1B}")
        #expect(isInert(cut.string))
        #expect(cut.width <= 10)
    }

    @Test("The quick check never skips text that the full pass would change")
    func quickCheckIsSound() {
        var generator = SeededRandom(seed: 11)
        let tricky: [UInt32] = [0x61, 0x20, 0x301, 0x93F, 0x94D, 0x915, 0x200D, 0x200C, 0xFE0F, 0x1F469, 0x1F3FD, 0x1F1EF, 0x1F1F5,
                                0x1F3F4, 0xE0067, 0xE007F, 0x1100, 0x1161, 0x11A8, 0xAC00, 0x0E33, 0xFF9E, 0x0600, 0x0D4E, 0x9B, 0x1B, 0x0A,
                                0x202E, 0x2028, 0xE000, 0x0378, 0x3099, 0x3040, 0x3100, 0x302A, 0x30FC, 0x6F22, 0x05D0, 0x0627, 0x20E3, 0x31]
        for _ in 0..<3000 {
            var raw = ""
            for _ in 0..<Int(generator.next() % 8) {
                raw.unicodeScalars.append(Unicode.Scalar(tricky[Int(generator.next() % UInt64(tricky.count))])!)
            }
            if !SafeText.needsSanitizing(raw) {
                #expect(SafeText.sanitize(raw, lineBreak: .space) == raw, "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }

    @Test("Random scalars never survive as controls")
    func randomized() {
        var generator = SeededRandom(seed: 7)
        for _ in 0..<500 {
            var raw = ""
            for _ in 0..<12 {
                let pick = generator.next() % 4
                let value: UInt32 = switch pick {
                case 0: UInt32(generator.next() % 0xA0)
                case 1: UInt32(0x2000 + generator.next() % 0x70)
                case 2: UInt32(0x300 + generator.next() % 0x70)
                default: UInt32(generator.next() % 0x30000)
                }
                if let scalar = Unicode.Scalar(value) { raw.unicodeScalars.append(scalar) }
            }
            let safe = SafeText(raw).string
            #expect(isInert(safe), "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(safe.allSatisfy { DisplayWidth.width(of: $0) > 0 }, "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
