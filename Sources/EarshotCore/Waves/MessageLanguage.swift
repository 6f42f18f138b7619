/// The language a customer wrote in, as far as a wave answer needs it: the demo's and most
/// teams' three (docs/waves.md). A guess from the script and a few common words; a text with
/// nothing to go on is English.
public enum MessageLanguage: String, Codable, Sendable, CaseIterable, Comparable {
    case english = "en"
    case spanish = "es"
    case japanese = "ja"

    public var name: String {
        switch self {
        case .english: "English"
        case .spanish: "Spanish"
        case .japanese: "Japanese"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Kana or CJK ideographs make Japanese; Spanish letters or two Spanish function words make
    /// Spanish; everything else English.
    public static func guess(_ text: String) -> MessageLanguage {
        var spanishLetters = false
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3040...0x30FF, 0x4E00...0x9FFF, 0xFF66...0xFF9F: return .japanese
            case 0xBF, 0xA1, 0xF1, 0xD1: spanishLetters = true  // ¿ ¡ ñ Ñ
            default: break
            }
        }
        if spanishLetters { return .spanish }
        let words = TopicWords.lowercaseWords(text)
        return words.filter { spanishWords.contains($0) }.count >= 2 ? .spanish : .english
    }

    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "de", "del", "que", "es", "está", "esta", "mi", "por", "para", "con", "una", "un",
        "desde", "hace", "aquí", "nada", "pedido", "pero", "muy", "gracias", "hola", "funciona", "ayuda",
    ]
}
