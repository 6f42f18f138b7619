/// The word lists compiled for matching: one word table, phrases as sequences of word ids
/// indexed by their first word (longest first), and substring patterns for scripts written
/// without spaces (Japanese) and emoji, indexed by their first scalar. Built once per process.
final class TriageLexicon: Sendable {
    static let shared = TriageLexicon()

    struct Entry: Sendable {
        /// As written in the list; reasons quote it.
        let display: String
        let language: TriageLanguage
        let cue: TriageCue
    }

    let entries: [Entry]
    let words: TriageWordTable
    /// By word id.
    let markers: [TriageMarker]
    /// Problems found while building (an entry in two lists with different cues, an entry
    /// that is not made of words...). Tests require it to be empty.
    let problems: [String]
    /// "not" and the "t" of "n't": after an opener they make a statement ("Did not arrive").
    private let negations: [Int32]

    // Phrase `p` is entry `phraseEntry[p]`, words `phraseWords[phraseStart[p]..<phraseStart[p + 1]]`.
    private let phraseEntry: [Int32]
    private let phraseStart: [Int32]
    private let phraseWords: [Int32]
    // Phrases beginning with word `w`: `firstWordPhrases[firstWordStart[w]..<firstWordStart[w + 1]]`.
    private let firstWordStart: [Int32]
    private let firstWordPhrases: [Int32]

    private let patternBytes: [[UInt8]]
    private let patternEntry: [Int32]
    /// Pattern indices by first scalar, longest first.
    private let patternsByScalar: [UInt32: [Int32]]
    /// A cheap filter in front of `patternsByScalar`: bit `scalar & 1023` is set when some
    /// pattern starts with a scalar of those low bits.
    private let patternFilter: [UInt64]

    init(lists: TriageWordLists.Type = TriageWordLists.self) {
        var builder = Builder()
        // Order matters only for problems: the first list to claim a phrase keeps it.
        builder.add(lists.neutral, cue: .neutral)
        builder.add(lists.spamStrong, cue: .spamStrong)
        builder.add(lists.spamTopic, cue: .spamTopic)
        builder.add(lists.complaintStrong, cue: .complaintStrong)
        builder.add(lists.questionStrong, cue: .questionStrong)
        builder.add(lists.questionOpeners, cue: .questionOpener)
        builder.add(lists.complaintWeak, cue: .complaintWeak)
        builder.add(lists.praise, cue: .praise)
        builder.add(lists.questionWeak, cue: .questionWeak)
        for (marker, words) in lists.markers { builder.add(words, marker: marker) }

        entries = builder.entries
        words = TriageWordTable(builder.wordList)
        markers = builder.markers
        negations = [builder.id(of: "not"), builder.id(of: "t")]
        problems = builder.problems

        var phraseEntry: [Int32] = []
        var phraseStart: [Int32] = [0]
        var phraseWords: [Int32] = []
        var byFirstWord = [[Int32]](repeating: [], count: builder.wordList.count)
        for (index, phrase) in builder.phrases.enumerated() {
            phraseEntry.append(phrase.entry)
            phraseWords += phrase.words
            phraseStart.append(Int32(phraseWords.count))
            byFirstWord[Int(phrase.words[0])].append(Int32(index))
        }
        var firstWordStart: [Int32] = [0]
        var firstWordPhrases: [Int32] = []
        for var list in byFirstWord {
            list.sort { builder.phrases[Int($0)].words.count > builder.phrases[Int($1)].words.count }
            firstWordPhrases += list
            firstWordStart.append(Int32(firstWordPhrases.count))
        }
        self.phraseEntry = phraseEntry
        self.phraseStart = phraseStart
        self.phraseWords = phraseWords
        self.firstWordStart = firstWordStart
        self.firstWordPhrases = firstWordPhrases

        var byScalar: [UInt32: [Int32]] = [:]
        var filter = [UInt64](repeating: 0, count: 16)
        for (index, bytes) in builder.patterns.enumerated() {
            let scalar = bytes.withUnsafeBufferPointer { TriageScan.decode($0, at: 0).scalar }
            byScalar[scalar, default: []].append(Int32(index))
            filter[Int(scalar & 1023) >> 6] |= 1 << (scalar & 63)
        }
        for (scalar, list) in byScalar {
            byScalar[scalar] = list.sorted { builder.patterns[Int($0)].count > builder.patterns[Int($1)].count }
        }
        patternBytes = builder.patterns
        patternEntry = builder.patternEntry
        patternsByScalar = byScalar
        patternFilter = filter
    }

    // MARK: - Matching

    /// Matches phrases in a stream of word ids (-1 unknown word, -2 sentence stop), taking
    /// the longest phrase at each position and continuing after it, so "no problem" hides
    /// "problem" and "can't wait" hides "can't". Hits after the first pivot word weigh 2.
    func matchPhrases(_ stream: UnsafeBufferPointer<Int32>, into tally: inout TriageTally) {
        let count = stream.count
        var position = 0
        var pivot = Int.max
        phraseStart.withUnsafeBufferPointer { phraseStart in
            phraseWords.withUnsafeBufferPointer { phraseWords in
                firstWordStart.withUnsafeBufferPointer { firstWordStart in
                    firstWordPhrases.withUnsafeBufferPointer { firstWordPhrases in
                        while position < count {
                            let word = stream[position]
                            guard word >= 0 else {
                                position += 1
                                continue
                            }
                            if pivot == Int.max, markers[Int(word)].contains(.pivot) { pivot = position }
                            var matched = 0
                            for candidate in Int(firstWordStart[Int(word)])..<Int(firstWordStart[Int(word) + 1]) {
                                let phrase = Int(firstWordPhrases[candidate])
                                let start = Int(phraseStart[phrase])
                                let length = Int(phraseStart[phrase + 1]) - start
                                guard position + length <= count else { continue }
                                var same = true
                                var offset = 1
                                while offset < length {
                                    if stream[position + offset] != phraseWords[start + offset] {
                                        same = false
                                        break
                                    }
                                    offset += 1
                                }
                                if same, entries[Int(phraseEntry[phrase])].cue == .questionOpener {
                                    let opensSentence = position == 0 || stream[position - 1] == -2
                                    let negated = position + 1 < count && negations.contains(stream[position + 1])
                                    same = opensSentence && !negated
                                }
                                if same {
                                    let entry = phraseEntry[phrase]
                                    tally.record(entry, cue: entries[Int(entry)].cue, weight: position > pivot ? 2 : 1)
                                    matched = length
                                    break
                                }
                            }
                            position += max(matched, 1)
                        }
                    }
                }
            }
        }
    }

    /// Finds substring patterns (Japanese, emoji) in lowered UTF-8, longest first at each
    /// position, continuing after a match.
    func matchPatterns(_ bytes: UnsafeBufferPointer<UInt8>, into tally: inout TriageTally) {
        let count = bytes.count
        var index = 0
        while index < count {
            // Every pattern starts at U+2600 or above, whose UTF-8 lead byte is E2 or more.
            guard bytes[index] >= 0xE2 else {
                index += 1
                continue
            }
            let (scalar, length) = TriageScan.decode(bytes, at: index)
            guard patternFilter[Int(scalar & 1023) >> 6] & (1 << (scalar & 63)) != 0,
                  let candidates = patternsByScalar[scalar]
            else {
                index += length
                continue
            }
            var matched = 0
            for candidate in candidates {
                let pattern = patternBytes[Int(candidate)]
                guard index + pattern.count <= count else { continue }
                var same = true
                for offset in length..<pattern.count where bytes[index + offset] != pattern[offset] {
                    same = false
                    break
                }
                if same {
                    let entry = patternEntry[Int(candidate)]
                    tally.record(entry, cue: entries[Int(entry)].cue, weight: 1)
                    matched = pattern.count
                    break
                }
            }
            index += max(matched, length)
        }
    }

    /// `"how do I" (en)`: an entry as reasons quote it.
    func quote(_ entry: Int32) -> String {
        let entry = entries[Int(entry)]
        return "\"\(entry.display)\" (\(entry.language.rawValue))"
    }
}
