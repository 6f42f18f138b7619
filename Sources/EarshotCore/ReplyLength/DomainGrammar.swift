/// The domain part of twitter-text's URL regex, matched with the same backtracking order:
///
///     validDomain      = validSubdomain* validDomainName (TLD)
///     validSubdomain   = label of domain characters, `-` and `_`, first and last a domain character, then `.`
///     validDomainName  = the same without `_`
///
/// The regex takes as many subdomains as it can, then gives them back one at a time until a domain name
/// followed by a known TLD fits; that first fit is the match. Labels are whole runs between dots, so
/// the only choice is how many of them are subdomains: the scan finds the last dot of the chain, then
/// tries the TLD after each dot walking back.
struct DomainGrammar {
    let text: [Unicode.Scalar]
    /// For each index, where its run of domain characters, `-` and `_` ends and where it starts, and the
    /// number of `_` before it: with these a label and its validity are known in O(1) at any start, which
    /// keeps a long run of, say, Japanese text linear to scan.
    private let runEnd: [Int]
    private let runStart: [Int]
    private let underscoresBefore: [Int]

    init(_ text: [Unicode.Scalar]) {
        self.text = text
        var runStart = [Int](repeating: -1, count: text.count)  // -1: not in a run
        var underscoresBefore = [Int](repeating: 0, count: text.count + 1)
        for index in text.indices {
            let scalar = text[index]
            if URLCharacters.isDomain(scalar) || scalar == "-" || scalar == "_" {
                runStart[index] = index > 0 && runStart[index - 1] >= 0 ? runStart[index - 1] : index
            }
            underscoresBefore[index + 1] = underscoresBefore[index] + (scalar == "_" ? 1 : 0)
        }
        var runEnd = [Int](repeating: text.count, count: text.count)
        var index = text.count - 1
        while index >= 0 {
            runEnd[index] = runStart[index] < 0 ? index : (index + 1 < text.count ? runEnd[index + 1] : text.count)
            index -= 1
        }
        self.runEnd = runEnd
        self.runStart = runStart
        self.underscoresBefore = underscoresBefore
    }

    /// The end of the domain starting at `start`, or nil when none starts there.
    func domainEnd(from start: Int) -> Int? {
        var lastDot = -1
        var position = start
        while let dot = labelDot(at: position) {
            lastDot = dot
            position = dot + 1
        }
        // Walk back over the chain's dots: the label before each one is the domain name, the TLD follows.
        var dot = lastDot
        while dot >= start {
            let labelStart = max(runStart[dot - 1], start)
            if underscoresBefore[dot] == underscoresBefore[labelStart],
               let end = TopLevelDomainMatcher.match(text, at: dot + 1, limit: text.count) {
                return end
            }
            dot = labelStart - 1
        }
        return nil
    }

    /// The dot that ends a valid subdomain label starting at `start`.
    private func labelDot(at start: Int) -> Int? {
        guard start < text.count, URLCharacters.isDomain(text[start]) else { return nil }
        let end = runEnd[start]
        guard end < text.count, text[end] == ".", URLCharacters.isDomain(text[end - 1]) else { return nil }
        return end
    }

    /// Every match of validAsciiDomain inside `domain`, left to right, as `String.replace` with a global
    /// regex finds them: twitter-text keeps only these when the URL was typed without a scheme.
    func asciiDomains(in domain: Range<Int>) -> [Range<Int>] {
        var found: [Range<Int>] = []
        var start = domain.lowerBound
        while let match = nextASCIIDomain(in: domain, from: start) {
            found.append(match)
            start = match.upperBound
        }
        return found
    }

    /// The leftmost match of validAsciiDomain in `domain` at or after `from`.
    func nextASCIIDomain(in domain: Range<Int>, from: Int) -> Range<Int>? {
        var start = from
        while start < domain.upperBound {
            if let end = asciiDomainEnd(at: start, limit: domain.upperBound) { return start..<end }
            if URLCharacters.isASCIILabel(text[start]) {
                // Every later start inside the same run sees the same labels and TLDs, so fails too.
                while start < domain.upperBound, URLCharacters.isASCIILabel(text[start]) { start += 1 }
            } else {
                start += 1
            }
        }
        return nil
    }

    /// validAsciiDomain at one position: (ascii label `.`)+ then a TLD, the most labels first.
    private func asciiDomainEnd(at start: Int, limit: Int) -> Int? {
        var lastTLDStart = -1
        var position = start
        while position < limit, URLCharacters.isASCIILabel(text[position]) {
            var end = position
            while end < limit, URLCharacters.isASCIILabel(text[end]) { end += 1 }
            guard end < limit, text[end] == "." else { break }
            position = end + 1
            lastTLDStart = position
        }
        // The chain's labels hold no dot, so every dot before the last TLD start ends one of its labels.
        var tldStart = lastTLDStart
        while tldStart > start {
            if text[tldStart - 1] == ".", let end = TopLevelDomainMatcher.match(text, at: tldStart, limit: limit) {
                return end
            }
            tldStart -= 1
        }
        return nil
    }
}
