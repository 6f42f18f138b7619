/// Recognises a top-level domain the way twitter-text's `validGTLD | validCCTLD | validPunycode` does:
/// the first name in list order (generic before country code) that is spelled at the position, in
/// either case, and is followed by the end of the text or by something other than a letter, digit,
/// `@`, `+` or `-`; failing that, `xn--` and punycode characters.
enum TopLevelDomainMatcher {
    private struct Name {
        var scalars: [UInt32]
        /// Position in twitter-text's alternation: the lowest matching one wins.
        var order: Int
    }

    /// An all-ASCII name (most of them) must end exactly where the run of ASCII letters and digits
    /// ends, so at most one can match: it is found by hashing the run, packed 7 bits a character.
    private static let maximumASCIILength = 18
    private static let asciiNames: [UInt128: Int] = {
        var names: [UInt128: Int] = [:]
        for (order, name) in allNames.enumerated() where isPlainASCII(name) {
            names[name.unicodeScalars.reduce(0) { $0 << 7 | UInt128($1.value) }] = order
        }
        return names
    }()

    /// The other names (non-ASCII, or mixed like `vermögensberater`) by their first folded code point.
    private static let otherNames: [UInt32: [Name]] = {
        var names: [UInt32: [Name]] = [:]
        for (order, name) in allNames.enumerated() where !isPlainASCII(name) {
            let folded = name.unicodeScalars.map(fold)
            names[folded[0], default: []].append(Name(scalars: folded, order: order))
        }
        return names
    }()

    private static var allNames: [String] { TopLevelDomains.generic + TopLevelDomains.country }

    private static func isPlainASCII(_ name: String) -> Bool {
        name.unicodeScalars.count <= maximumASCIILength && name.unicodeScalars.allSatisfy(URLCharacters.isASCIIAlphanumeric)
    }

    /// Case folding for a regex `i` flag: ASCII directly, other letters by their one-code-point lowercase.
    static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
        if scalar.value < 0x80 { return URLCharacters.lowercasedASCII(scalar) }
        guard scalar.properties.changesWhenLowercased else { return scalar.value }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first!.value : scalar.value
    }

    /// The end of the TLD starting at `index`, or nil. `limit` is where the text ends for the lookahead.
    static func match(_ text: [Unicode.Scalar], at index: Int, limit: Int) -> Int? {
        guard index < limit else { return nil }
        var best: (end: Int, order: Int)?
        if URLCharacters.isASCIIAlphanumeric(text[index]) {
            var end = index, key: UInt128 = 0
            while end < limit, end - index <= maximumASCIILength, URLCharacters.isASCIIAlphanumeric(text[end]) {
                key = key << 7 | UInt128(URLCharacters.lowercasedASCII(text[end]))
                end += 1
            }
            if end - index <= maximumASCIILength, end == limit || URLCharacters.mayFollowTLD(text[end]),
               let order = asciiNames[key] {
                best = (end, order)
            }
        }
        for name in otherNames[fold(text[index])] ?? [] where name.order < best?.order ?? Int.max {
            let end = index + name.scalars.count
            guard end <= limit, end == limit || URLCharacters.mayFollowTLD(text[end]) else { continue }
            var position = 1
            while position < name.scalars.count, fold(text[index + position]) == name.scalars[position] { position += 1 }
            if position == name.scalars.count {
                best = (end, name.order)
                break
            }
        }
        return best?.end ?? punycodeEnd(text, at: index, limit: limit)
    }

    /// validPunycode: `xn--` then at least one of `-`, digits, letters; no lookahead.
    private static func punycodeEnd(_ text: [Unicode.Scalar], at index: Int, limit: Int) -> Int? {
        guard URLCharacters.hasLiteral("xn--", in: text, at: index, limit: limit) else { return nil }
        var end = index + 4
        while end < limit, text[end] == "-" || URLCharacters.isASCIIAlphanumeric(text[end]) { end += 1 }
        return end > index + 4 ? end : nil
    }
}
