/// The language list an entry came from; reasons name it so a reader can tell which list
/// matched (and spot a word that belongs in another language's list).
enum TriageLanguage: String, Sendable {
    case en, es, fr, de, ja
    /// Emoji are language-neutral and live in their own short lists.
    case emoji
}

/// What a lexicon entry is evidence of.
enum TriageCue: Int, Sendable, CaseIterable {
    /// A question on its own ("how do I", "est-ce que", "ですか").
    case questionStrong
    /// An English auxiliary ("does", "did", "have you") that asks when it opens a sentence and
    /// "not" does not follow: "Does the app...", but not "Did not arrive" or "...will have you
    /// falling". Counts as `questionStrong`.
    case questionOpener
    /// A question word that only names the language when a question mark is present
    /// ("why", "pourquoi"): alone it is too often a statement ("why I left", "wie immer").
    case questionWeak
    /// Anger, insults, escalation: a complaint even when phrased as a question.
    case complaintStrong
    /// A problem report ("late", "not working"): a complaint unless it is asked as a question.
    case complaintWeak
    /// Praise or thanks.
    case praise
    /// A scam or spam phrase that is enough on its own ("free followers").
    case spamStrong
    /// A spam topic ("giveaway", "bitcoin") that needs a second signal.
    case spamTopic
    /// Stock phrases ("best regards", "thanks in advance") matched only so that their words
    /// count as nothing else.
    case neutral
}

/// Single-word roles the structural rules look for, independent of the phrase lists.
struct TriageMarker: OptionSet, Sendable {
    let rawValue: UInt16

    /// "rt" before a mention: a manual retweet.
    static let retweet = TriageMarker(rawValue: 1 << 0)
    /// "via" before a mention at the end of a post: a share.
    static let via = TriageMarker(rawValue: 1 << 1)
    /// "contact", "dm", "message"... before someone else's handle: a scam hand-off.
    static let contactVerb = TriageMarker(rawValue: 1 << 2)
    /// "but", "pero", "mais", "aber": what follows weighs double between praise and complaint.
    static let pivot = TriageMarker(rawValue: 1 << 3)
    /// First and second person ("my", "you", "mon", "ich"): someone is talking to someone,
    /// so a post with a link is not a bare link share.
    static let pronoun = TriageMarker(rawValue: 1 << 4)
    /// WhatsApp, Telegram: with a phone number, a scam contact.
    static let messenger = TriageMarker(rawValue: 1 << 5)
    /// "hacked", "recover": the topic of account-recovery scams.
    static let recoveryTopic = TriageMarker(rawValue: 1 << 6)
}
