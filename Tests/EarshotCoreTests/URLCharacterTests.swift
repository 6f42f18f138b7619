@testable import EarshotCore
import Testing

/// The scanner's character classes are switches over code point values; these compare them, over all
/// of ASCII, with the classes as twitter-text's regexes spell them.
@Suite struct URLCharacterTests {
    private static let alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    private static let ascii = (0..<128).map { Unicode.Scalar(UInt8($0)) }

    private func members(_ predicate: (Unicode.Scalar) -> Bool) -> Set<Unicode.Scalar> {
        Set(Self.ascii.filter(predicate))
    }

    private func set(_ characters: String) -> Set<Unicode.Scalar> { Set(characters.unicodeScalars) }

    @Test func asciiClassesMatchTwitterTextsSpelling() {
        let punctuation = set("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$")
        let spaces = set("\t\n\u{0B}\u{0C}\r ")
        #expect(members(URLCharacters.isDomain) == Set(Self.ascii).subtracting(punctuation).subtracting(spaces))
        #expect(members(URLCharacters.isPreceding) == Set(Self.ascii).subtracting(set(Self.alphanumerics + "@$#")))
        #expect(members(URLCharacters.isPath) == set(Self.alphanumerics + "!*';:=+,.$/%#[]-_~@|&"))
        #expect(members(URLCharacters.isPathEnd) == set(Self.alphanumerics + "+-=_#/"))
        #expect(members(URLCharacters.isQuery) == set(Self.alphanumerics + "!?*'@();:&=+$/%#[]-_.,~|"))
        #expect(members(URLCharacters.isQueryEnd) == set(Self.alphanumerics + "-_&=#/"))
        #expect(members(URLCharacters.isASCIILabel) == set(Self.alphanumerics + "-"))
        #expect(members(URLCharacters.mayFollowTLD) == Set(Self.ascii).subtracting(set(Self.alphanumerics + "@+-")))
    }

    @Test func beyondASCII() {
        #expect(URLCharacters.isDomain("あ") && URLCharacters.isDomain("\u{1F431}") && URLCharacters.isDomain("\u{200D}"))
        for excluded: Unicode.Scalar in ["\u{A0}", "\u{3000}", "\u{2028}", "\u{FEFF}", "\u{202E}", "\u{2066}", "\u{61C}"] {
            #expect(!URLCharacters.isDomain(excluded))
        }
        #expect(!URLCharacters.isPreceding("＠") && !URLCharacters.isPreceding("＃") && URLCharacters.isPreceding("あ"))
        #expect(URLCharacters.isPath("–") && URLCharacters.isPath("Ж") && URLCharacters.isPath("é") && !URLCharacters.isPath("あ"))
        #expect(URLCharacters.isPathEnd("Ж") && !URLCharacters.isPathEnd("–"))
        #expect(!URLCharacters.isQuery("é"))
    }

    @Test func punycodeLengthsMatchRFC3492() {
        func length(_ text: String) -> Int { DomainLabels.punycodeLength(ArraySlice(text.unicodeScalars)) }
        #expect(length("bücher") == "bcher-kva".count)
        #expect(length("mañana") == "maana-pta".count)
        #expect(length("☃") == "n3h".count)
        #expect(length("ليهمابتكلموشعربي؟") == "egbpdaj6bu4bxfgehfvwxn".count)
        #expect(length("そのスピードで") == "d9juau41awczczp".count)
        #expect(length("\u{1F431}") == "5o8h".count)
        // toASCII adds xn-- to a label that is not ASCII, splits on the ideographic full stop too.
        #expect(DomainLabels.encodedLength(ArraySlice("ああ".unicodeScalars)) == 8)
        #expect(DomainLabels.encodedLength(ArraySlice("ああ。example".unicodeScalars)) == 16)
    }
}
