/// A URL as twitter-text finds it in a text; each one counts as 23 in a reply.
public struct DetectedURL: Equatable, Sendable {
    /// The URL as twitter-text reports it: for one typed without a scheme, only its ASCII domain
    /// (and path), e.g. `example.com/path` out of `これはexample.com/path`.
    public let text: String
    /// Where it is, in code points (Unicode scalars) from the start of the scanned text.
    public let range: Range<Int>
    /// The code points in `text`: what the counter skips (kept so it is not recounted per keypress).
    let length: Int

    public init(text: String, range: Range<Int>) {
        self.init(text: text, range: range, length: text.unicodeScalars.count)
    }

    init(text: String, range: Range<Int>, length: Int) {
        self.text = text
        self.range = range
        self.length = length
    }
}

/// Finds URLs with twitter-text's rules (v3, the rules behind its conformance files): with or without
/// `http://`/`https://`, a known TLD, the path and query characters it allows, its t.co slug limit.
/// A hand-written scanner rather than a regex: same leftmost, backtracking-order result, no
/// recompilation, linear on the text a composer recounts at every keypress.
public enum URLScanner {
    private static let tcoSlugLimit = 40

    public static func urls(in text: String) -> [DetectedURL] {
        urls(in: Array(text.unicodeScalars))
    }

    static func urls(in text: [Unicode.Scalar]) -> [DetectedURL] {
        // Every URL has a dot; most replies have none worth scanning.
        guard text.contains(".") else { return [] }
        let grammar = DomainGrammar(text)
        var found: [DetectedURL] = []
        var searchFrom = 0
        // Like a global regex: a match that is then rejected still moves the search past itself.
        while let match = nextMatch(grammar, from: searchFrom) {
            searchFrom = match.end
            found += accepted(match, grammar)
        }
        return found
    }

    /// One match of twitter-text's extractUrl regex.
    struct Match {
        var preceding: Unicode.Scalar?
        var start: Int
        var schemeEnd: Int?
        var domain: Range<Int>
        var hasPath: Bool
        var end: Int
    }

    /// The leftmost match at or after `from`: a preceding character (or the start of the text), then a URL.
    private static func nextMatch(_ grammar: DomainGrammar, from: Int) -> Match? {
        let text = grammar.text
        var start = from
        while start < text.count {
            if URLCharacters.isPreceding(text[start]), var match = url(grammar, at: start + 1) {
                match.preceding = text[start]
                return match
            }
            if start == 0, let match = url(grammar, at: 0) { return match }
            start += 1
        }
        return nil
    }

    /// scheme? domain (:port)? (/path)? (?query)? at `start`; the optional parts are greedy.
    private static func url(_ grammar: DomainGrammar, at start: Int) -> Match? {
        let text = grammar.text
        var schemeEnd: Int?
        var domainEnd: Int?
        if let end = schemeEndIndex(text, at: start, limit: text.count) {
            schemeEnd = end
            domainEnd = grammar.domainEnd(from: end)
        }
        if domainEnd == nil {
            schemeEnd = nil
            domainEnd = grammar.domainEnd(from: start)
        }
        guard let domainEnd else { return nil }
        let domainStart = schemeEnd ?? start
        var end = URLPathGrammar.portEnd(text, from: domainEnd)
        let hasPath = end < text.count && text[end] == "/"
        if hasPath { end = URLPathGrammar.pathEnd(text, slash: end) }
        end = URLPathGrammar.queryEnd(text, question: end, limit: text.count) ?? end
        return Match(start: start, schemeEnd: schemeEnd, domain: domainStart..<domainEnd, hasPath: hasPath, end: end)
    }

    private static func schemeEndIndex(_ text: [Unicode.Scalar], at index: Int, limit: Int) -> Int? {
        if URLCharacters.hasLiteral("https://", in: text, at: index, limit: limit) { return index + 8 }
        if URLCharacters.hasLiteral("http://", in: text, at: index, limit: limit) { return index + 7 }
        return nil
    }

    /// What twitter-text keeps of a match (extractUrlsWithIndices).
    private static func accepted(_ match: Match, _ grammar: DomainGrammar) -> [DetectedURL] {
        let text = grammar.text
        let schemeLength = match.schemeEnd.map { $0 - match.start } ?? "https://".count
        guard DomainLabels.isValid(grammar, domain: match.domain, url: match.start..<match.end, schemeLength: schemeLength) else {
            return []
        }
        guard match.schemeEnd != nil else { return withoutScheme(match, grammar) }
        var end = match.end
        if let tco = tcoEnd(text, start: match.start, limit: match.end) {
            // A t.co link is the slug alone: an apostrophe or more path after it is not part of it.
            guard tco.slugLength <= tcoSlugLimit else { return [] }
            end = tco.end
        }
        return [DetectedURL(text: string(text[match.start..<end]), range: match.start..<end, length: end - match.start)]
    }

    /// Without a scheme only the ASCII domains inside the matched domain count, the last one with the
    /// path; and not after `-`, `_`, `.` or `/` (so no URL inside `name_foo.com` or `#x/foo.com`).
    private static func withoutScheme(_ match: Match, _ grammar: DomainGrammar) -> [DetectedURL] {
        let text = grammar.text
        if let preceding = match.preceding, ["-", "_", ".", "/"].contains(preceding) { return [] }
        var found: [DetectedURL] = []
        var searchFrom = match.domain.lowerBound
        for domain in grammar.asciiDomains(in: match.domain) {
            // twitter-text places each one with domain.indexOf(found, previous end); kept for fidelity.
            let start = firstOccurrence(of: text[domain], in: text, from: searchFrom, notAfter: domain.lowerBound)
            searchFrom = start + domain.count
            found.append(DetectedURL(text: string(text[domain]), range: start..<searchFrom, length: domain.count))
        }
        if match.hasPath, let last = found.popLast() {
            let rest = match.domain.upperBound..<match.end
            found.append(DetectedURL(
                text: last.text + string(text[rest]), range: last.range.lowerBound..<match.end, length: last.length + rest.count))
        }
        return found
    }

    private static func firstOccurrence(
        of needle: ArraySlice<Unicode.Scalar>, in text: [Unicode.Scalar], from: Int, notAfter: Int
    ) -> Int {
        var start = from
        while start < notAfter, !text[start..<(start + needle.count)].elementsEqual(needle) { start += 1 }
        return start
    }

    /// validTcoUrl on the matched URL: scheme, `t.co/`, an alphanumeric slug, an optional query.
    private static func tcoEnd(_ text: [Unicode.Scalar], start: Int, limit: Int) -> (end: Int, slugLength: Int)? {
        guard let schemeEnd = schemeEndIndex(text, at: start, limit: limit),
              URLCharacters.hasLiteral("t.co/", in: text, at: schemeEnd, limit: limit) else { return nil }
        let slugStart = schemeEnd + 5
        var end = slugStart
        while end < limit, URLCharacters.isASCIIAlphanumeric(text[end]) { end += 1 }
        guard end > slugStart else { return nil }
        let slugLength = end - slugStart
        end = URLPathGrammar.queryEnd(text, question: end, limit: limit) ?? end
        return (end, slugLength)
    }

    /// Through UTF-8 bytes: appending to a `UnicodeScalarView` is several times slower.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }
}
