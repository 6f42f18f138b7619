/// The character classes of twitter-text's URL grammar (its v3 JavaScript `regexp/` files) as
/// predicates on code points. ASCII letters match in either case, as the regexes' `i` flag does.
/// Written as switches, not lookup tables: a static table costs a lazy-initialisation check on every
/// call, and these run for every character of every keypress. URLCharacterTests lists each class in
/// twitter-text's own spelling and checks these against it.
enum URLCharacters {
    /// validDomainChars: not twitter-text's punctuation (`!'#%&()*+,\-./:;<=>?@[]^_{|}~$`; `"` and `` ` ``
    /// are not in it), not a space, not U+FFFE/U+FEFF/U+FFFF, not a directional mark.
    static func isDomain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x21, 0x23...0x2F, 0x3A...0x40, 0x5B...0x5F, 0x7B...0x7E:
            return false
        case 0x85, 0xA0, 0x1680, 0x180E, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return false
        case 0xFFFE, 0xFEFF, 0xFFFF:
            return false
        case 0x61C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            return false
        default:
            return true
        }
    }

    /// validUrlPrecedingChars: what may stand just before a URL (the start of the text may too):
    /// anything but a letter, digit, `@`, `$`, `#`, their full-width forms and U+FFFE/U+FEFF/U+FFFF.
    static func isPreceding(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x23, 0x24, 0x30...0x39, 0x40...0x5A, 0x61...0x7A, 0xFF03, 0xFF20, 0xFFFE, 0xFEFF, 0xFFFF:
            return false
        default:
            return true
        }
    }

    /// validGeneralUrlPathChars: letters, digits, `!*';:=+,.$/%#[]-_~@|&`, en dash, Cyrillic, Latin accents.
    static func isPath(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21, 0x23...0x27, 0x2A...0x3B, 0x3D, 0x40...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7C, 0x7E, 0x2013, 0x400...0x4FF:
            return true
        default:
            return isLatinAccent(scalar.value)
        }
    }

    /// validUrlPathEndingChars (single characters): letters, digits, `+-=_#/`, Cyrillic, Latin accents;
    /// so `/foo.` leaves the period out. (A balanced parenthesis group may end a path too.)
    static func isPathEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x23, 0x2B, 0x2D, 0x2F...0x39, 0x3D, 0x41...0x5A, 0x5F, 0x61...0x7A, 0x400...0x4FF:
            return true
        default:
            return isLatinAccent(scalar.value)
        }
    }

    /// validUrlQueryChars: letters, digits, `!?*'@();:&=+$/%#[]-_.,~|`.
    static func isQuery(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21, 0x23...0x3B, 0x3D, 0x3F...0x5B, 0x5D, 0x5F, 0x61...0x7A, 0x7C, 0x7E: return true
        default: return false
        }
    }

    /// validUrlQueryEndingChars: letters, digits, `-_&=#/`.
    static func isQueryEnd(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x23, 0x26, 0x2D, 0x2F...0x39, 0x3D, 0x41...0x5A, 0x5F, 0x61...0x7A: return true
        default: return false
        }
    }

    /// The label characters of validAsciiDomain, which picks the URLs out of a domain typed without a
    /// scheme: letters, digits, `-`, Latin accents.
    static func isASCIILabel(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return isLatinAccent(scalar.value)
        }
    }

    /// What may follow a TLD: anything but a letter, digit, `@`, `+` or `-`.
    static func mayFollowTLD(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2B, 0x2D, 0x30...0x39, 0x40...0x5A, 0x61...0x7A: return false
        default: return true
        }
    }

    /// latinAccentChars: Latin-1 letters, Latin Extended A/B, some IPA, combining diacritics, Latin
    /// Extended Additional.
    static func isLatinAccent(_ value: UInt32) -> Bool {
        switch value {
        case 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF, 0x100...0x24F, 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B,
             0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB, 0x300...0x36F, 0x1E00...0x1EFF:
            return true
        default:
            return false
        }
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }

    /// ASCII letters lowered, for the regexes' case-insensitive literals.
    static func lowercasedASCII(_ scalar: Unicode.Scalar) -> UInt32 {
        (0x41...0x5A).contains(scalar.value) ? scalar.value + 0x20 : scalar.value
    }

    /// Whether `literal` (lowercase ASCII) is at `index`, in either case.
    static func hasLiteral(_ literal: StaticString, in text: [Unicode.Scalar], at index: Int, limit: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= limit else { return false }
        let bytes = literal.utf8Start
        for offset in 0..<count where lowercasedASCII(text[index + offset]) != UInt32(bytes[offset]) {
            return false
        }
        return true
    }
}
