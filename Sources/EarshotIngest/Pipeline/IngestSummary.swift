/// What an ingest did, per source and in total.
public struct IngestSummary: Equatable, Sendable {
    /// Records that parsed (stored, duplicate or answered later).
    public var accepted = 0
    public var mentionsStored = 0
    public var repliesStored = 0
    /// The brand's own posts (history imports): sent, in no conversation.
    public var postsStored = 0
    /// Records that are not ours to store and not errors (reported, exit status 0).
    public var notes = 0
    public var duplicates = 0
    public var rejected = 0
    /// Problems that were not one record (unreadable file, unknown format, empty input).
    public var sourceFailures = 0
    /// What went wrong with whole sources, as `SOURCE: message` lines.
    public var failureMessages: [String] = []
    /// Where this source's rejected records were kept (per source; not added up).
    public var rejectsPath: String?
    /// Why they are not where they were wanted, or not kept at all.
    public var rejectsNote: String?

    public init() {}

    public static func += (lhs: inout IngestSummary, rhs: IngestSummary) {
        lhs.accepted += rhs.accepted
        lhs.mentionsStored += rhs.mentionsStored
        lhs.repliesStored += rhs.repliesStored
        lhs.postsStored += rhs.postsStored
        lhs.notes += rhs.notes
        lhs.duplicates += rhs.duplicates
        lhs.rejected += rhs.rejected
        lhs.sourceFailures += rhs.sourceFailures
        lhs.failureMessages += rhs.failureMessages
    }

    /// 0: everything went in; 1: some records were rejected; 2: nothing could be read.
    public var exitStatus: Int32 {
        if rejected == 0 && sourceFailures == 0 { return 0 }
        return accepted == 0 ? 2 : 1
    }
}
