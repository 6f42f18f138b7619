/// A piece of a scanned message. Offsets are UTF-8 byte offsets into the text (the lowered
/// copy has the same length).
struct TriageToken: Sendable {
    enum Kind: UInt8, Sendable {
        /// Letters and digits between separators; apostrophes split ("don't" is "don", "t").
        case word
        /// `#word`; the range excludes the `#` and the word is looked up like any other.
        case hashtag
        /// `@handle`; the range excludes the `@`.
        case mention
        /// `http://`, `https://` or `www.` up to the next whitespace.
        case link
        /// `name@domain`.
        case email
        /// Sentence punctuation or a line break: phrases never match across it.
        case stop
    }

    var kind: Kind
    var start: Int32
    var end: Int32
    /// FNV-1a of the lowered bytes, for the lexicon lookup (words and hashtags only).
    var hash: UInt64
}
