/// The words a message is about, for finding waves (docs/waves.md): lowercased, without
/// @handles, links, function words and words under three letters; numbers of three digits or
/// more stay (an error code is a topic). Japanese has no spaces: runs of katakana or of two
/// or more kanji count as words, hiragana (mostly particles) separates them.
public enum TopicWords {
    public static func of(_ text: String) -> Set<String> {
        var words = Set<String>()
        for token in tokens(text) {
            if token.isJapanese {
                if token.text.unicodeScalars.count >= 2 { words.insert(token.text) }
            } else if token.text.unicodeScalars.count >= 3, !stopWords.contains(token.text) {
                if token.text.allSatisfy(\.isNumber) || token.text.contains(where: \.isLetter) { words.insert(token.text) }
            }
        }
        return words
    }

    /// Lowercase words of letters and digits, handles and links left out.
    static func lowercaseWords(_ text: String) -> [String] {
        tokens(text).filter { !$0.isJapanese }.map(\.text)
    }

    struct Token {
        var text: String
        var isJapanese: Bool
    }

    private enum Kind { case latin, katakana, kanji, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        switch scalar.value {
        case 0x30A0...0x30FF, 0xFF66...0xFF9F: .katakana
        case 0x4E00...0x9FFF: .kanji
        case 0x3040...0x309F: .other
        default: scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) ? .latin : .other
        }
    }

    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        for piece in text.split(whereSeparator: \.isWhitespace) {
            // A handle, a link or a hashtag's mark: not what the message is about.
            if piece.hasPrefix("@") || piece.hasPrefix("http://") || piece.hasPrefix("https://") { continue }
            var current = String.UnicodeScalarView()
            var currentKind = Kind.other
            func flush() {
                if !current.isEmpty, currentKind != .other {
                    tokens.append(Token(text: String(current).lowercased(), isJapanese: currentKind != .latin))
                }
                current = String.UnicodeScalarView()
            }
            for scalar in piece.unicodeScalars {
                var next = kind(scalar)
                // "ー" lengthens katakana; an apostrophe belongs to a word ("won't").
                if scalar == "ー" { next = .katakana }
                if (scalar == "'" || scalar == "’"), currentKind == .latin { continue }
                if next != currentKind { flush() }
                currentKind = next
                if next != .other { current.append(scalar) }
            }
            flush()
        }
        return tokens
    }

    /// English and Spanish function words and the words every support message has.
    static let stopWords: Set<String> = [
        "the", "and", "for", "you", "your", "are", "but", "not", "this", "that", "with", "have", "has", "had", "was", "were",
        "can", "cant", "cannot", "could", "would", "will", "wont", "did", "does", "doesnt", "dont", "didnt", "its", "it's",
        "any", "all", "now", "just", "get", "got", "still", "again", "here", "there", "from", "what", "when", "why", "how",
        "who", "too", "very", "out", "our", "one", "been", "into", "about", "after", "before", "please", "thanks", "thank",
        "help", "hey", "hello", "guys", "anyone", "else", "times", "minutes", "hours", "today", "yesterday", "isnt",
        "hasnt", "havent", "arent", "wasnt", "werent", "im", "ive", "going", "tried", "trying", "keeps", "keep", "yet",
        "las", "los", "del", "que", "por", "para", "con", "una", "desde", "hace", "aquí", "nada", "pero", "muy", "está",
        "esta", "este", "mis", "sus", "como", "cuando", "otra", "vez", "minutos", "gracias", "hola",
    ]
}
