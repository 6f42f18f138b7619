/// Lowercases UTF-8 in place for the scripts the word lists use (ASCII, Latin-1, Latin
/// Extended-A, basic Greek and Cyrillic). Every mapping keeps the byte length, so offsets
/// into the lowered bytes are offsets into the original text and reasons can quote the
/// original spelling. Scripts without case (CJK, emoji) pass through untouched.
///
/// `String.lowercased()` would allocate a new string per message and handle cases the
/// lexicon never needs; this runs in the same cache lines as the copy.
enum TriageLowercasing {
    static func lowercase(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte &- 0x41 < 26 { bytes[index] = byte | 0x20 }
                index += 1
            } else if byte & 0xE0 == 0xC0, index + 1 < count {
                let scalar = UInt32(byte & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
                let lower = lowercase(twoByte: scalar)
                if lower != scalar {
                    bytes[index] = UInt8(0xC0 | (lower >> 6))
                    bytes[index + 1] = UInt8(0x80 | (lower & 0x3F))
                }
                index += 2
            } else {
                // Continuation bytes and longer sequences: nothing to fold in those scripts.
                index += 1
            }
        }
    }

    /// Lowercase of a scalar between U+0080 and U+07FF whose lowercase stays in that range.
    @inline(__always)
    static func lowercase(twoByte scalar: UInt32) -> UInt32 {
        switch scalar {
        case 0xC0...0xDE where scalar != 0xD7: scalar + 0x20
        // İ (U+0130) lowercases to two scalars; leave it rather than change the length.
        case 0x100...0x12F, 0x132...0x137, 0x14A...0x177: scalar | 1
        case 0x139...0x148, 0x179...0x17E: scalar & 1 == 1 ? scalar + 1 : scalar
        case 0x178: 0xFF
        case 0x391...0x3A9 where scalar != 0x3A2: scalar + 0x20
        case 0x410...0x42F: scalar + 0x20
        case 0x400...0x40F: scalar + 0x50
        default: scalar
        }
    }
}
