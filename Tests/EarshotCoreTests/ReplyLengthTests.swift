import EarshotCore
import Testing

/// The counter's rules, one case each; facts as twitter-text's version-1 configuration counts them.
@Suite struct ReplyLengthTests {
    private func length(_ text: String) -> Int { ReplyLength.measure(text).weightedLength }

    @Test func plainTextCountsOneACharacter() {
        let result = ReplyLength.measure("Thanks, we're on it.")
        #expect(result.weightedLength == 20)
        #expect(result.remaining == 120)
        #expect(result.isValid)
        #expect(result.reason == nil)
        #expect(result.urls.isEmpty)
    }

    @Test func emptyIsInvalidButSpacesAreText() {
        let empty = ReplyLength.measure("")
        #expect(empty.weightedLength == 0)
        #expect(empty.remaining == 140)
        #expect(empty.reason == .empty)
        #expect(!empty.isValid)
        #expect(ReplyLength.measure(" ").isValid)
        #expect(length("\n") == 1)
        // A CRLF is two code points (twitter-text does not fold it).
        #expect(length("a\r\nb") == 4)
    }

    @Test func exactly140FitsAnd141DoesNot() {
        let fits = ReplyLength.measure(String(repeating: "x", count: 140))
        #expect(fits.isValid)
        #expect(fits.remaining == 0)
        let over = ReplyLength.measure(String(repeating: "x", count: 141))
        #expect(over.reason == .tooLong)
        #expect(over.remaining == -1)
        #expect(ReplyLength.measure(String(repeating: "の", count: 140)).isValid)
        #expect(ReplyLength.measure(String(repeating: "の", count: 141)).reason == .tooLong)
        // A URL counts 23 toward the limit wherever it stands.
        #expect(ReplyLength.measure(String(repeating: "x", count: 116) + " example.com").weightedLength == 140)
        #expect(ReplyLength.measure(String(repeating: "x", count: 117) + " example.com").reason == .tooLong)
    }

    @Test func textIsCountedInNFC() {
        #expect(length("e\u{301}") == 1)  // e + combining acute composes to é
        #expect(length("A\u{301}B") == 2)
        #expect(length("\u{212B}") == 1)  // ANGSTROM SIGN becomes Å
        // NFC can lengthen: U+FB2C is excluded from composition and decomposes to three code points.
        #expect(length("A\u{FB2C}") == 4)
        // Marks with nothing to compose with stay separate code points.
        #expect(length("a\u{20DD}") == 2)
        #expect(length("क्ष") == 3)
    }

    @Test func codePointsNotUTF16UnitsNorGraphemes() {
        #expect(length("\u{1F431}") == 1)  // one code point, two UTF-16 units
        #expect(length("\u{10000}\u{10FFFF}") == 2)
        #expect(length("H\u{1F431}☺") == 3)
        #expect(length("👨‍👩‍👧‍👦") == 7)  // one grapheme: four people and three zero-width joiners
        #expect(length("🙋🏽") == 2)  // skin tone modifier
        #expect(length("🇯🇵") == 2)  // two regional indicators
        #expect(length("1️⃣") == 3)  // digit, variation selector, keycap
        #expect(length("저찀쯿쿿") == 4)
    }

    @Test func everyURLCounts23() {
        #expect(length("http://test.com") == 23)
        #expect(length("https://test.com") == 23)
        #expect(length("test.com") == 23)
        #expect(length("t.co") == 23)  // shorter URLs count 23 too
        #expect(length("https://example.com/" + String(repeating: "a", count: 200)) == 23)
        #expect(length("Test https://test.com test https://test.com test.com test") == 86)
    }

    @Test func invalidCharacters() {
        #expect(ReplyLength.measure("abc\u{FFFE}").reason == .invalidCharacter)
        #expect(ReplyLength.measure("\u{FEFF}hi").reason == .invalidCharacter)
        #expect(ReplyLength.measure("\u{FFFF}").reason == .invalidCharacter)
        // They still count, and invalid wins over too long.
        let both = ReplyLength.measure(String(repeating: "x", count: 150) + "\u{FFFF}")
        #expect(both.weightedLength == 151)
        #expect(both.reason == .invalidCharacter)
        // Directional formatting characters are allowed (they count 1 each).
        let directional = ReplyLength.measure("\u{2066}\u{202A}hi\u{202C}\u{2069}")
        #expect(directional.isValid)
        #expect(directional.weightedLength == 6)
    }

    @Test func urlRangesAreCodePointOffsets() {
        let result = ReplyLength.measure("🐱 see example.com/x now")
        #expect(result.urls == [DetectedURL(text: "example.com/x", range: 6..<19)])
        #expect(result.weightedLength == 6 + 23 + 4)
        // Offsets are in the NFC text: a decomposed é before the URL is one code point there.
        #expect(ReplyLength.measure("e\u{301} t.co/x").urls.map(\.range) == [2..<8])
    }

    @Test func reasonsHaveScriptFriendlyNames() {
        #expect(ReplyLength.Reason.allCases.map(\.rawValue) == ["empty", "too-long", "invalid-character"])
    }
}
