/// X's own count of a post (twitter-text's version 3 configuration): 280 weighted, where the
/// Latin, general-punctuation and similar ranges weigh 1, everything else (CJK, emoji) 2, and
/// each link 23 whatever its length. The team's 140 house limit is counted by `ReplyLength`;
/// this is the platform's hard limit, checked before posting.
enum XWeightedLength {
    static let maximum = 280

    static func measure(_ text: String) -> Int {
        var total = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if word.hasPrefix("http://") || word.hasPrefix("https://") {
                total += 23
            } else {
                for scalar in word.unicodeScalars { total += weight(scalar.value) }
            }
        }
        return total + max(0, text.split(separator: " ", omittingEmptySubsequences: false).count - 1)
    }

    private static func weight(_ value: UInt32) -> Int {
        switch value {
        case 0...4351, 8192...8205, 8208...8223, 8242...8247: 1
        default: 2
        }
    }
}
