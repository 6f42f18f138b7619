/// Closest-name suggestions for a mistyped command, action or section name.
enum EditDistance {
    /// Levenshtein distance over Characters (insert, delete, substitute each cost 1).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Up to `limit` candidates close to `word`, closest first (ties alphabetically). "Close"
    /// allows about one edit per three letters, at least two, so `clam` finds `claim` but `x`
    /// does not find everything; names starting with `word` count too (`undo` finds `undo-send`).
    static func suggestions(for word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let word = word.lowercased()
        guard !word.isEmpty else { return [] }
        let allowed = max(2, word.count / 3)
        return candidates
            .map { (name: $0, cost: $0.hasPrefix(word) ? 0 : distance(word, $0.lowercased())) }
            .filter { $0.cost <= allowed }
            .sorted { ($0.cost, $0.name) < ($1.cost, $1.name) }
            .prefix(limit)
            .map(\.name)
    }
}
