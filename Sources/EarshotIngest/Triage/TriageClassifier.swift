import EarshotCore

/// Gives each new conversation a `TriageClass` and a short reason, from its first message.
///
/// Rules, first match wins (docs/triage.md has the word lists and examples):
/// 1. **broadcast**: a retweet; a retweet or quote of the brand's own post; "RT @someone";
///    "via @someone" at the end of a post.
/// 2. **spam**: a scam phrase ("free followers", "recover your account", in five languages);
///    an Ethereum address; WhatsApp or Telegram with a phone number; "hacked"/"crypto" and
///    "contact @someone-else"; a spam topic ("giveaway", "bitcoin") with a link or a second
///    topic; three or more links with little text besides; the same text from `duplicateThreshold` accounts within
///    the window.
/// 3. **complaint** when a strong negative word appears ("worst", "unacceptable", "still
///    waiting"), even in a question; or a problem word ("late", "broken") with "?!", "!!" or "??".
/// 4. **question** when there is a question mark ("?", "¿", "？") or a question phrase
///    ("how do I", "est-ce que", "können Sie", "ですか"); requests for help count. Thanks
///    plus a question is a question.
/// 5. **complaint** or **praise** by weight: a problem word against a praise word, each
///    counting double after "but" (or "pero", "mais", "aber"); a tie is a complaint.
/// 6. **broadcast**: a link share, i.e. a post with a link that addresses nobody (does not
///    start with a mention, has no first- or second-person pronoun) and matched nothing above.
/// 7. **other**.
///
/// The classifier keeps state only for the copy-paste rule; everything else depends on the
/// input alone. One value is meant to be owned by one ingest loop (it is a mutating struct).
public struct TriageClassifier: Sendable {
    /// Texts of at least this many characters (after normalising) take part in the
    /// copy-paste rule; shorter ones ("thank you so much") are too common to mean anything.
    public static let minimumCopyLength = 20

    public let duplicateThreshold: Int
    public let windowMilliseconds: Int64
    /// How many distinct texts the copy-paste rule remembers.
    public let memory: Int

    let lexicon = TriageLexicon.shared
    var scan = TriageScan()
    /// Word id per token (-1 for non-words and unknown words).
    var tokenWords: [Int32] = []
    /// Word ids in reading order for phrase matching; -1 unknown word, -2 sentence stop.
    var stream: [Int32] = []
    var tally = TriageTally()
    var duplicates: DuplicateTextTracker
    let windowLabel: String

    /// - Parameters:
    ///   - duplicateThreshold: distinct accounts sending the same text that make it spam (at least 2).
    ///   - windowMilliseconds: how far back those accounts count.
    ///   - memory: distinct texts remembered; the least recently seen is forgotten first.
    public init(duplicateThreshold: Int = 3, windowMilliseconds: Int64 = 86_400_000, memory: Int = 50_000) {
        precondition(duplicateThreshold >= 2, "a threshold of 1 would make every long text spam")
        precondition(windowMilliseconds > 0 && memory > 0)
        self.duplicateThreshold = duplicateThreshold
        self.windowMilliseconds = windowMilliseconds
        self.memory = memory
        self.duplicates = DuplicateTextTracker(
            window: windowMilliseconds, capacity: memory, authorLimit: max(duplicateThreshold, 64))
        self.windowLabel = Self.describe(milliseconds: windowMilliseconds)
    }

    /// Classifies the first message of a new conversation that arrived at `time`.
    /// Non-broadcast messages are remembered for the copy-paste rule.
    public mutating func classify(_ input: TriageInput, at time: Timestamp) -> TriageVerdict {
        if let verdict = sharedPostVerdict(input) { return verdict }
        scan.scan(input.text)
        resolveWords()
        if let verdict = retweetOrViaVerdict(input) { return verdict }
        matchWordLists()
        let copies = recordCopy(input, at: time)
        if let verdict = spamVerdict(input, copies: copies) { return verdict }
        if let verdict = wordingVerdict() { return verdict }
        if let verdict = linkShareVerdict() { return verdict }
        return TriageVerdict(triageClass: .other, reason: "other: no rule matched")
    }

    /// Looks every word and hashtag up once, and builds the phrase stream.
    private mutating func resolveWords() {
        tokenWords.removeAll(keepingCapacity: true)
        stream.removeAll(keepingCapacity: true)
        let bytes = scan.lowered
        let tokens = scan.tokens
        let words = lexicon.words
        bytes.withUnsafeBufferPointer { bytes in
            for token in tokens {
                switch token.kind {
                case .word, .hashtag:
                    let id = words.id(hash: token.hash, in: bytes, start: Int(token.start), end: Int(token.end))
                    tokenWords.append(id)
                    stream.append(id)
                case .stop:
                    tokenWords.append(-1)
                    stream.append(-2)
                case .mention, .link, .email:
                    tokenWords.append(-1)
                }
            }
        }
    }

    private mutating func matchWordLists() {
        tally = TriageTally()
        let stream = self.stream
        stream.withUnsafeBufferPointer { lexicon.matchPhrases($0, into: &tally) }
        if scan.hasWideCharacters {
            let bytes = scan.lowered
            bytes.withUnsafeBufferPointer { lexicon.matchPatterns($0, into: &tally) }
        }
    }

    func markers(ofToken index: Int) -> TriageMarker {
        let id = tokenWords[index]
        return id >= 0 ? lexicon.markers[Int(id)] : []
    }

    /// The original spelling of the bytes `start..<end` of the message.
    func original(_ text: String, _ start: Int32, _ end: Int32) -> String {
        let utf8 = text.utf8
        let from = utf8.index(utf8.startIndex, offsetBy: Int(start))
        let to = utf8.index(from, offsetBy: Int(end - start))
        return String(decoding: utf8[from..<to], as: UTF8.self)
    }

    /// "24h", "30min", "90s" or "1500ms".
    static func describe(milliseconds: Int64) -> String {
        if milliseconds % 3_600_000 == 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)min" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
