import Testing
@testable import EarshotTUI

@Suite("Display width")
struct DisplayWidthTests {
    @Test("ASCII is one cell per character")
    func ascii() {
        #expect(DisplayWidth.width(of: "hello, world") == 12)
        #expect(DisplayWidth.width(of: "") == 0)
        #expect(DisplayWidth.width(of: Character("a")) == 1)
    }

    @Test("CJK ideographs, fullwidth forms and Hangul are two cells; halfwidth katakana one")
    func eastAsian() {
        #expect(DisplayWidth.width(of: "漢字") == 4)
        #expect(DisplayWidth.width(of: Character("漢")) == 2)
        #expect(DisplayWidth.width(of: "ｶ") == 1)  // U+FF76 HALFWIDTH KATAKANA LETTER KA
        #expect(DisplayWidth.width(of: "カ") == 2)
        #expect(DisplayWidth.width(of: "Ａ") == 2)  // U+FF21 FULLWIDTH LATIN CAPITAL A
        #expect(DisplayWidth.width(of: "한국어") == 6)
        #expect(DisplayWidth.width(of: "\u{1100}\u{1161}\u{11A8}") == 2)  // conjoining jamo: one syllable
        #expect(DisplayWidth.width(of: "\u{3000}") == 2)  // ideographic space
        #expect(DisplayWidth.width(of: "\u{20000}") == 2)  // CJK extension B
    }

    @Test("Emoji are two cells, whatever sequence they are built from", arguments: [
        "😀", "👩‍👩‍👧", "🇯🇵", "1️⃣", "#️⃣", "👍🏽", "❤️", "🏳️‍🌈", "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}",
    ])
    func emoji(_ text: String) {
        #expect(text.count == 1, "one grapheme cluster")
        #expect(DisplayWidth.width(of: text) == 2)
    }

    @Test("Text-presentation symbols and lone regional indicators are one cell")
    func textPresentation() {
        #expect(DisplayWidth.width(of: "❤") == 1)
        #expect(DisplayWidth.width(of: "☺\u{FE0E}") == 1)
        #expect(DisplayWidth.width(of: "\u{1F1EF}") == 1)
        #expect(DisplayWidth.width(of: "1") == 1)
    }

    @Test("Combining marks ride on the character before them")
    func combiningMarks() {
        #expect(DisplayWidth.width(of: "e\u{301}") == 1)
        #expect(DisplayWidth.width(of: "café") == 4)
        #expect(DisplayWidth.width(of: "cafe\u{301}") == 4)
        #expect(DisplayWidth.width(of: "ที่") == 1)  // Thai consonant + two marks
        #expect(DisplayWidth.width(of: "ภาษาไทย") == 7)
        #expect(DisplayWidth.width(of: "नमस्ते") == 4)  // virama and vowel sign E take no cell
        #expect(DisplayWidth.width(of: "कि") == 2)  // a spacing vowel sign takes one, as in terminals
        #expect(DisplayWidth.width(of: "a\u{20DD}") == 1)  // enclosing circle
    }

    @Test("Zero-width characters take no cell")
    func zeroWidth() {
        #expect(DisplayWidth.width(of: "a\u{200B}b") == 2)
        #expect(DisplayWidth.width(of: "\u{200D}") == 0)
        #expect(DisplayWidth.width(of: "\u{1B}") == 0)
    }

    @Test("Right-to-left letters are one cell each, in logical order")
    func rightToLeft() {
        #expect(DisplayWidth.width(of: "مرحبا") == 5)
        #expect(DisplayWidth.width(of: "שלום") == 4)
        #expect(DisplayWidth.width(of: "שָׁלוֹם") == 4)  // with niqqud
    }

    @Test("Truncation never splits a wide character")
    func truncation() {
        #expect(DisplayWidth.truncate("漢字漢字", toWidth: 5) == "漢字…")
        #expect(DisplayWidth.truncate("漢字漢字", toWidth: 4) == "漢…")
        #expect(DisplayWidth.truncate("漢漢", toWidth: 3, ellipsis: "") == "漢")
        #expect(DisplayWidth.truncate("a漢b", toWidth: 3, ellipsis: "") == "a漢")
        #expect(DisplayWidth.truncate("short", toWidth: 10) == "short")
        #expect(DisplayWidth.truncate("abc", toWidth: 0) == "")
        #expect(DisplayWidth.truncate("👩‍👩‍👧👩‍👩‍👧", toWidth: 3) == "👩‍👩‍👧…")
        for limit in 0...9 {
            let cut = DisplayWidth.truncate("a漢b😀c🇯🇵", toWidth: limit)
            #expect(DisplayWidth.width(of: cut) <= limit)
        }
    }

    @Test("fit pads to the exact width")
    func fit() {
        #expect(DisplayWidth.fit("漢字", toWidth: 5) == "漢字 ")
        #expect(DisplayWidth.fit("漢字漢", toWidth: 5) == "漢字…")
        #expect(DisplayWidth.fit("7", toWidth: 3, alignRight: true) == "  7")
    }

    @Test("The wide table's binary search agrees with a linear scan")
    func tableSearch() {
        let ranges = EastAsianWideTable.ranges
        for value: UInt32 in [0x10FF, 0x1100, 0x115F, 0x1160, 0x3000, 0x303E, 0xAC00, 0xD7A3, 0xD7A4, 0xFF01, 0xFF61, 0x1F600, 0x3FFFD, 0x3FFFE] {
            var linear = false
            for index in stride(from: 0, to: ranges.count, by: 2) where ranges[index] <= value && value <= ranges[index + 1] {
                linear = true
            }
            #expect(EastAsianWideTable.contains(value) == linear, "U+\(String(value, radix: 16))")
        }
    }
}
