/// What the word lists found in one message, per cue.
struct TriageTally: Sendable {
    struct Hits: Sendable {
        /// The first entry found (an index into `TriageLexicon.entries`), or -1.
        var first: Int32 = -1
        /// The first entry found that differs from `first`, or -1.
        var second: Int32 = -1
        var count = 0
        /// Like `count`, but a hit after a pivot word ("but", "aber") counts twice.
        var weight = 0

        mutating func record(_ entry: Int32, weight: Int) {
            if first < 0 {
                first = entry
            } else if second < 0, entry != first {
                second = entry
            }
            count += 1
            self.weight += weight
        }
    }

    var questionStrong = Hits()
    var questionWeak = Hits()
    var complaintStrong = Hits()
    var complaintWeak = Hits()
    var praise = Hits()
    var spamStrong = Hits()
    var spamTopic = Hits()

    mutating func record(_ entry: Int32, cue: TriageCue, weight: Int) {
        switch cue {
        case .questionStrong, .questionOpener: questionStrong.record(entry, weight: weight)
        case .questionWeak: questionWeak.record(entry, weight: weight)
        case .complaintStrong: complaintStrong.record(entry, weight: weight)
        case .complaintWeak: complaintWeak.record(entry, weight: weight)
        case .praise: praise.record(entry, weight: weight)
        case .spamStrong: spamStrong.record(entry, weight: weight)
        case .spamTopic: spamTopic.record(entry, weight: weight)
        case .neutral: break
        }
    }
}
