/// What may follow a URL's domain in twitter-text's regex: `:port`, `/path`, `?query`.
///
/// The path is `/` then repetitions, greedy, of
///
///     path chars* (balanced parens path chars*)* path-ending char  |  balanced parens
///
/// (the second alternative is an accident of how twitter-text splices its regexes: the ending class's
/// own `| balanced parens` lands at the top level). Its pieces are single path characters and balanced
/// parenthesis groups. So the path reaches the last ending character of the run of pieces (`/foo.`
/// stops before the period), then takes any groups that follow straight after: `/wiki/Primer_(film)`
/// keeps its group, `/a.(b)` and `/a$(b)` do not.
enum URLPathGrammar {
    /// After `:digits`, or `index` when there is no port.
    static func portEnd(_ text: [Unicode.Scalar], from index: Int) -> Int {
        guard index + 1 < text.count, text[index] == ":", URLCharacters.isDigit(text[index + 1]) else { return index }
        var end = index + 1
        while end < text.count, URLCharacters.isDigit(text[end]) { end += 1 }
        return end
    }

    /// The end of a path whose `/` is at `slash` (at least the `/` itself).
    static func pathEnd(_ text: [Unicode.Scalar], slash: Int) -> Int {
        var end = slash + 1
        // First alternative: the longest run of pieces that ends on an ending character.
        var position = end
        while position < text.count {
            if URLCharacters.isPath(text[position]) {
                if URLCharacters.isPathEnd(text[position]) { end = position + 1 }
                position += 1
            } else if let group = balancedParensEnd(text, at: position) {
                position = group
            } else {
                break
            }
        }
        // What is left of the run holds no ending character, so only whole groups straight after fit.
        while end < text.count, let group = balancedParensEnd(text, at: end) { end = group }
        return end
    }

    /// validUrlBalancedParens: `(chars+)` or `(chars* (chars+) chars*)`, one level of nesting.
    private static func balancedParensEnd(_ text: [Unicode.Scalar], at index: Int) -> Int? {
        guard text[index] == "(" else { return nil }
        let inner = pathRunEnd(text, from: index + 1)
        if inner > index + 1, inner < text.count, text[inner] == ")" { return inner + 1 }
        guard inner < text.count, text[inner] == "(" else { return nil }
        let nested = pathRunEnd(text, from: inner + 1)
        guard nested > inner + 1, nested < text.count, text[nested] == ")" else { return nil }
        let tail = pathRunEnd(text, from: nested + 1)
        guard tail < text.count, text[tail] == ")" else { return nil }
        return tail + 1
    }

    private static func pathRunEnd(_ text: [Unicode.Scalar], from index: Int) -> Int {
        var end = index
        while end < text.count, URLCharacters.isPath(text[end]) { end += 1 }
        return end
    }

    /// `?` then query characters, ending on a query-ending character; nil when no such ending exists.
    static func queryEnd(_ text: [Unicode.Scalar], question: Int, limit: Int) -> Int? {
        guard question < limit, text[question] == "?" else { return nil }
        var position = question + 1
        var lastEnding: Int?
        while position < limit, URLCharacters.isQuery(text[position]) {
            if URLCharacters.isQueryEnd(text[position]) { lastEnding = position + 1 }
            position += 1
        }
        return lastEnding
    }
}
