import Foundation

/// The 140-character reply counter, counting exactly as twitter-text does with its version-1
/// configuration (maxWeightedTweetLength 140, every code point weight 1, transformedURLLength 23):
/// the text is put in NFC, then each Unicode code point counts 1 and each URL counts 23 whatever its
/// length. See docs/length.md.
public enum ReplyLength {
    public static let maximum = 140
    /// What every URL counts, long or short, with or without a scheme (t.co's length).
    public static let urlLength = 23

    /// Why a text cannot be sent as it is.
    public enum Reason: String, Equatable, Sendable, CaseIterable {
        case empty
        case tooLong = "too-long"
        /// U+FFFE, U+FEFF (a byte order mark) or U+FFFF somewhere in the text.
        case invalidCharacter = "invalid-character"
    }

    public struct Result: Equatable, Sendable {
        public let weightedLength: Int
        /// nil when the text is valid.
        public let reason: Reason?
        /// The URLs counted as 23, ranges in code points of the NFC form of the text (the same offsets
        /// as in the text itself whenever it is already NFC, as typed text almost always is).
        public let urls: [DetectedURL]

        /// What is left of the 140; negative when the text is too long.
        public var remaining: Int { ReplyLength.maximum - weightedLength }
        public var isValid: Bool { reason == nil }
    }

    /// Counts `text`. A 280-character reply takes about 2 µs, or up to some 30 µs when it is full of
    /// URLs or needs NFC (release build), so calling this on every keypress is fine.
    public static func measure(_ text: String) -> Result {
        let scalars = normalizedScalars(text)
        let urls = URLScanner.urls(in: scalars)
        var weightedLength = 0
        var index = 0
        var nextURL = 0
        while index < scalars.count {
            // twitter-text walks the text and, where a URL starts, adds 23 and skips the URL's length.
            while nextURL < urls.count, urls[nextURL].range.lowerBound < index { nextURL += 1 }
            if nextURL < urls.count, urls[nextURL].range.lowerBound == index {
                weightedLength += urlLength
                index += urls[nextURL].length
                nextURL += 1
            } else {
                weightedLength += 1
                index += 1
            }
        }
        let reason: Reason?
        if weightedLength == 0 {
            reason = .empty
        } else if scalars.contains(where: isInvalid) {
            reason = .invalidCharacter
        } else if weightedLength > maximum {
            reason = .tooLong
        } else {
            reason = nil
        }
        return Result(weightedLength: weightedLength, reason: reason, urls: urls)
    }

    /// twitter-text's invalid characters: U+FFFE, U+FEFF, U+FFFF. (Directional marks are allowed.)
    public static func isInvalid(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0xFFFE || scalar.value == 0xFEFF || scalar.value == 0xFFFF
    }

    /// The code points of the text in NFC, as twitter-text counts them: `e` + U+0301 counts 1, like `é`.
    /// Text whose code points are all below U+0300 holds no combining mark and is already NFC, so the
    /// usual reply skips Foundation's normalizer.
    static func normalizedScalars(_ text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        var highest: UInt32 = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            highest = max(highest, scalar.value)
        }
        guard highest >= 0x300 else { return scalars }
        scalars.removeAll(keepingCapacity: true)
        scalars.append(contentsOf: text.precomposedStringWithCanonicalMapping.unicodeScalars)
        return scalars
    }
}
