/// One pass over a message: the lowered bytes, the tokens and the surface features the
/// rules read. The buffers live between calls (the classifier owns one scan), so a message
/// costs a copy, one lowercasing pass and one tokenizing pass, and no allocation once the
/// buffers have grown to tweet size.
struct TriageScan: Sendable {
    /// The message's UTF-8, lowercased, the same length as the original.
    private(set) var lowered: [UInt8] = []
    /// The message as the copy-paste rule compares it: lowered, mentions, links and ASCII
    /// digits removed, whitespace collapsed to one space, trimmed.
    private(set) var normalized: [UInt8] = []
    /// Characters (Unicode scalars) in `normalized`.
    private(set) var normalizedLength = 0
    private(set) var tokens: [TriageToken] = []
    /// The first question mark as written: "?", "¿" or "？".
    private(set) var questionMark: String?
    /// Two of "?" and "!" in a row ("?!", "!!", "??"), written as ASCII.
    private(set) var exasperation: String?
    private(set) var linkCount = 0
    /// The first thing in the message is an @mention: it is addressed to someone.
    private(set) var startsWithMention = false
    /// Any scalar at or above U+2600 (CJK, kana, emoji): run the substring lists.
    private(set) var hasWideCharacters = false
    /// The most digits in a row, allowing the separators phone numbers use (space - . ( ) + /).
    private(set) var longestDigitRun = 0
    /// A word that looks like an Ethereum address (0x and 40 hex digits).
    private(set) var hasWalletAddress = false

    private var digitRun = 0
    private var previousMark: UInt8 = 0
    private var sawContent = false

    mutating func scan(_ text: String) {
        lowered.removeAll(keepingCapacity: true)
        normalized.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        normalizedLength = 0
        questionMark = nil
        exasperation = nil
        linkCount = 0
        startsWithMention = false
        hasWideCharacters = false
        longestDigitRun = 0
        hasWalletAddress = false
        digitRun = 0
        previousMark = 0
        sawContent = false

        var text = text
        text.withUTF8 { lowered.append(contentsOf: $0) }
        lowered.withUnsafeMutableBufferPointer { TriageLowercasing.lowercase($0) }
        // A second reference to the same storage: tokenizing mutates other fields of self
        // while it reads these bytes.
        let bytes = lowered
        bytes.withUnsafeBufferPointer { tokenize($0) }
        if normalized.last == 0x20 { normalized.removeLast() }
        normalizedLength = normalized.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
    }

    // MARK: - Tokenizing

    private mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                index = ascii(byte, at: index, in: bytes)
                continue
            }
            let (scalar, length) = Self.decode(bytes, at: index)
            if Self.isWordScalar(scalar) {
                sawContent = true
                previousMark = 0
                index = word(in: bytes, from: index, kind: .word)
                continue
            }
            switch scalar {
            case 0xA0, 0x2000...0x200B, 0x3000:
                // Unicode spaces, like ASCII ones, keep a phone number's digit run going.
                space()
            case 0xBF:  // ¿
                noteQuestionMark("¿")
                mark(0)
                append(bytes, index, length)
            case 0xFF1F:  // ？
                noteQuestionMark("？")
                mark(UInt8(ascii: "?"))
                append(bytes, index, length)
            case 0xFF01:  // ！
                mark(UInt8(ascii: "!"))
                append(bytes, index, length)
            case 0xA1, 0x3002, 0xFF0E:  // ¡ 。 ．
                mark(0)
                append(bytes, index, length)
            default:
                sawContent = true
                previousMark = 0
                if scalar >= 0x2600 { hasWideCharacters = true }
                append(bytes, index, length)
            }
            if !(scalar == 0xA0 || (0x2000...0x200B).contains(scalar) || scalar == 0x3000) { digitRun = 0 }
            index += length
        }
    }

    /// Handles one ASCII byte (and whatever token starts there); returns the next index.
    private mutating func ascii(_ byte: UInt8, at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if Self.isAlphanumeric(byte) {
            sawContent = true
            previousMark = 0
            if let end = Self.linkEnd(in: bytes, at: index) {
                tokens.append(TriageToken(kind: .link, start: Int32(index), end: Int32(end), hash: 0))
                linkCount += 1
                digitRun = 0
                space()
                return end
            }
            return word(in: bytes, from: index, kind: .word)
        }
        switch byte {
        case 0x20, 0x09:  // space, tab
            space()
            previousMark = 0
        case 0x0A, 0x0D:  // line breaks (bare carriage returns occur in exported data)
            space()
            stop()
            previousMark = 0
            digitRun = 0
        case UInt8(ascii: "@"):
            return at(in: bytes, index)
        case UInt8(ascii: "#"):
            sawContent = true
            previousMark = 0
            if index + 1 < bytes.count, Self.startsWord(bytes, at: index + 1) {
                normalized.append(byte)
                return word(in: bytes, from: index + 1, kind: .hashtag)
            }
            normalized.append(byte)
            digitRun = 0
        case UInt8(ascii: "?"):
            noteQuestionMark("?")
            mark(byte)
            digitRun = 0
            normalized.append(byte)
        case UInt8(ascii: "!"):
            mark(byte)
            digitRun = 0
            normalized.append(byte)
        case UInt8(ascii: "."):
            mark(0)
            normalized.append(byte)
        case UInt8(ascii: ";"), UInt8(ascii: ":"):
            mark(0)
            digitRun = 0
            normalized.append(byte)
        case UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            sawContent = true
            previousMark = 0
            normalized.append(byte)
        default:
            sawContent = true
            previousMark = 0
            digitRun = 0
            normalized.append(byte)
        }
        return index + 1
    }

    /// `@`: a mention, an e-mail address, or just the character.
    private mutating func at(in bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        previousMark = 0
        digitRun = 0
        guard index + 1 < bytes.count, Self.isHandleByte(bytes[index + 1]) else {
            sawContent = true
            normalized.append(bytes[index])
            return index + 1
        }
        if let last = tokens.last, last.kind == .word, last.end == Int32(index) {
            // name@domain: the word before was the local part.
            normalized.append(bytes[index])
            var end = index + 1
            while end < bytes.count, Self.isHandleByte(bytes[end]) || bytes[end] == UInt8(ascii: ".")
                || bytes[end] == UInt8(ascii: "-") {
                normalized.append(bytes[end])
                end += 1
            }
            tokens[tokens.count - 1].kind = .email
            tokens[tokens.count - 1].end = Int32(end)
            return end
        }
        var end = index + 1
        while end < bytes.count, Self.isHandleByte(bytes[end]) { end += 1 }
        if !sawContent { startsWithMention = true }
        sawContent = true
        tokens.append(TriageToken(kind: .mention, start: Int32(index + 1), end: Int32(end), hash: 0))
        space()
        return end
    }

    /// Reads letters and digits from `start`, hashing them for the lexicon; returns the end.
    private mutating func word(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, kind: TriageToken.Kind) -> Int {
        let count = bytes.count
        var end = start
        var hash = TriageWordTable.offsetBasis
        while end < count {
            let byte = bytes[end]
            if byte < 0x80 {
                guard Self.isAlphanumeric(byte) else { break }
                hash = TriageWordTable.mix(hash, byte)
                if byte &- 0x30 < 10 {
                    digitRun += 1
                    if digitRun > longestDigitRun { longestDigitRun = digitRun }
                } else {
                    digitRun = 0
                    normalized.append(byte)
                }
                end += 1
            } else {
                let (scalar, length) = Self.decode(bytes, at: end)
                guard Self.isWordScalar(scalar) else { break }
                for offset in end..<(end + length) {
                    hash = TriageWordTable.mix(hash, bytes[offset])
                    normalized.append(bytes[offset])
                }
                digitRun = 0
                end += length
            }
        }
        tokens.append(TriageToken(kind: kind, start: Int32(start), end: Int32(end), hash: hash))
        if end - start == 42, kind == .word, Self.isWalletAddress(bytes, from: start) { hasWalletAddress = true }
        return end
    }

    // MARK: - Features

    private mutating func space() {
        if let last = normalized.last, last != 0x20 { normalized.append(0x20) }
    }

    private mutating func stop() {
        if let last = tokens.last, last.kind != .stop {
            tokens.append(TriageToken(kind: .stop, start: 0, end: 0, hash: 0))
        }
    }

    /// Sentence punctuation; `byte` is "?" or "!" (for exasperation), else 0.
    private mutating func mark(_ byte: UInt8) {
        sawContent = true
        stop()
        if byte != 0 {
            if previousMark != 0, exasperation == nil {
                exasperation = String(decoding: [previousMark, byte], as: UTF8.self)
            }
            previousMark = byte
        } else {
            previousMark = 0
        }
    }

    private mutating func noteQuestionMark(_ mark: String) {
        if questionMark == nil { questionMark = mark }
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ length: Int) {
        for offset in index..<min(index + length, bytes.count) { normalized.append(bytes[offset]) }
    }

    // MARK: - Character classes

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        byte &- 0x61 < 26 || byte &- 0x30 < 10 || byte &- 0x41 < 26
    }

    @inline(__always)
    static func isHandleByte(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }

    /// Letters of alphabetic scripts written with spaces (Latin, Greek, Cyrillic, Hebrew,
    /// Arabic, Indic...). Punctuation, symbols, CJK and emoji (U+2000 and up) separate words.
    @inline(__always)
    static func isWordScalar(_ scalar: UInt32) -> Bool {
        if scalar < 0xC0 { return false }
        if scalar == 0xD7 || scalar == 0xF7 { return false }
        return scalar < 0x2000
    }

    static func startsWord(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x80 { return isAlphanumeric(byte) }
        return isWordScalar(decode(bytes, at: index).scalar)
    }

    /// Decodes the scalar starting at `index`. Malformed input cannot occur (Swift strings
    /// are valid UTF-8), but a truncated tail is still read safely as one byte.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
        let lead = bytes[index]
        let count = bytes.count
        if lead & 0xE0 == 0xC0, index + 1 < count {
            return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        }
        if lead & 0xF0 == 0xE0, index + 2 < count {
            return (UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
                | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        if lead & 0xF8 == 0xF0, index + 3 < count {
            return (UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F), 4)
        }
        return (UInt32(lead), 1)
    }

    /// The end of a link starting at `index`, or nil when none starts there.
    static func linkEnd(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let first = bytes[index]
        guard first == UInt8(ascii: "h") || first == UInt8(ascii: "w") else { return nil }
        guard hasPrefix(bytes, index, "http://") || hasPrefix(bytes, index, "https://")
            || hasPrefix(bytes, index, "www.")
        else { return nil }
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { break }
            end += 1
        }
        return end
    }

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ prefix: StaticString) -> Bool {
        let length = prefix.utf8CodeUnitCount
        guard index + length <= bytes.count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<length where bytes[index + offset] != start[offset] { return false }
        return true
    }

    private static func isWalletAddress(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        guard bytes[start] == UInt8(ascii: "0"), bytes[start + 1] == UInt8(ascii: "x") else { return false }
        for offset in (start + 2)..<(start + 42) {
            let byte = bytes[offset]
            guard byte &- 0x30 < 10 || byte &- 0x61 < 6 else { return false }
        }
        return true
    }
}
