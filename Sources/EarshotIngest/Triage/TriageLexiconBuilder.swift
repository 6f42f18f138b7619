/// Turns the word lists into entries, words and phrases. Each list entry is scanned by the
/// same code as a message, so an entry matches exactly the text that tokenizes like it:
/// "don't" and "don’t" both become the words "don" and "t", "est-ce que" becomes "est ce que".
extension TriageLexicon {
    struct Builder {
        var entries: [Entry] = []
        var wordList: [[UInt8]] = []
        var markers: [TriageMarker] = []
        var phrases: [(words: [Int32], entry: Int32)] = []
        var patterns: [[UInt8]] = []
        var patternEntry: [Int32] = []
        var problems: [String] = []

        private var wordIDs: [[UInt8]: Int32] = [:]
        private var phraseIDs: [[Int32]: Int32] = [:]
        private var patternIDs: [[UInt8]: Int32] = [:]
        private var scan = TriageScan()

        mutating func add(_ lists: [(TriageLanguage, [String])], cue: TriageCue) {
            for (language, items) in lists {
                for item in items { add(item, language: language, cue: cue) }
            }
        }

        mutating func add(_ items: [String], marker: TriageMarker) {
            for item in items {
                guard let words = wordsOf(item), words.count == 1 else {
                    problems.append("marker \"\(item)\" is not one word")
                    continue
                }
                markers[Int(words[0])].insert(marker)
            }
        }

        private mutating func add(_ item: String, language: TriageLanguage, cue: TriageCue) {
            if item.unicodeScalars.contains(where: { $0.value >= 0x2600 }) {
                addPattern(item, language: language, cue: cue)
                return
            }
            guard let words = wordsOf(item) else {
                problems.append("\"\(item)\" (\(language)) is not made of words")
                return
            }
            if let existing = phraseIDs[words] {
                if entries[Int(existing)].cue != cue {
                    problems.append("\"\(item)\" (\(language), \(cue)) is already \(entries[Int(existing)].cue)")
                }
                return
            }
            let entry = Int32(entries.count)
            entries.append(Entry(display: item, language: language, cue: cue))
            phraseIDs[words] = entry
            phrases.append((words, entry))
        }

        private mutating func addPattern(_ item: String, language: TriageLanguage, cue: TriageCue) {
            guard let first = item.unicodeScalars.first, first.value >= 0x2600 else {
                problems.append("pattern \"\(item)\" must start with a CJK character or an emoji")
                return
            }
            scan.scan(item)
            let bytes = scan.lowered
            if let existing = patternIDs[bytes] {
                if entries[Int(existing)].cue != cue {
                    problems.append("\"\(item)\" (\(language), \(cue)) is already \(entries[Int(existing)].cue)")
                }
                return
            }
            let entry = Int32(entries.count)
            entries.append(Entry(display: item, language: language, cue: cue))
            patternIDs[bytes] = entry
            patterns.append(bytes)
            patternEntry.append(entry)
        }

        /// The id of a single word, added to the table if no list uses it.
        mutating func id(of word: String) -> Int32 {
            wordsOf(word)?.first ?? -1
        }

        /// The entry's word ids (interning new words), or nil if it holds anything but words.
        private mutating func wordsOf(_ item: String) -> [Int32]? {
            scan.scan(item)
            var ids: [Int32] = []
            for token in scan.tokens {
                guard token.kind == .word else { return nil }
                let word = Array(scan.lowered[Int(token.start)..<Int(token.end)])
                if let id = wordIDs[word] {
                    ids.append(id)
                } else {
                    let id = Int32(wordList.count)
                    wordIDs[word] = id
                    wordList.append(word)
                    markers.append([])
                    ids.append(id)
                }
            }
            return ids.isEmpty ? nil : ids
        }
    }
}
