import EarshotCore

/// What a row of `wait_fact` records (issue 18): the latency samples of docs/metrics.md, and
/// the replies and resolves that `earshot stats` counts, one row each, so a report reads rows
/// by time instead of replaying the whole event log.
public enum WaitFactKind: UInt8, Sendable, CaseIterable {
    case firstResponse = 0
    case reply = 1
    case resolution = 2
    /// A public reply sent (counted when it happened, answered wait or not).
    case replySent = 3
    /// A resolve (counted when it happened).
    case resolve = 4

    init(_ kind: LatencyKind) {
        switch kind {
        case .firstResponse: self = .firstResponse
        case .reply: self = .reply
        case .resolution: self = .resolution
        }
    }

    /// The latency sample this row is (nil for replies sent and resolves).
    public var latencyKind: LatencyKind? {
        switch self {
        case .firstResponse: .firstResponse
        case .reply: .reply
        case .resolution: .resolution
        case .replySent, .resolve: nil
        }
    }
}

/// One row of `wait_fact`, with the conversation's channel and priority as they are now.
public struct WaitFact: Sendable, Equatable {
    public var kind: WaitFactKind
    /// When the wait began (samples), or when the reply or resolve happened.
    public var at: Int64
    /// The wait's length in milliseconds (0 for replies sent and resolves).
    public var milliseconds: Int64
    /// Who ended the wait, sent the reply or resolved (nil: nobody known).
    public var responder: String?
    public var channel: ChannelID
    public var priority: Priority

    public init(kind: WaitFactKind, at: Int64, milliseconds: Int64, responder: String?, channel: ChannelID, priority: Priority) {
        self.kind = kind
        self.at = at
        self.milliseconds = milliseconds
        self.responder = responder
        self.channel = channel
        self.priority = priority
    }
}

enum WaitFacts {
    /// A conversation's facts from its timeline, by the same calculator the event-log pass uses.
    static func facts(of entries: [TimelineEntry], channel: ChannelID, priority: Priority) -> [WaitFact] {
        let latency = LatencyCalculator.latency(of: entries)
        var facts: [WaitFact] = []
        facts.reserveCapacity(latency.samples.count + latency.replies.count + latency.resolves.count)
        for sample in latency.samples {
            facts.append(WaitFact(
                kind: WaitFactKind(sample.kind), at: sample.start.millisecondsSinceEpoch, milliseconds: sample.milliseconds,
                responder: sample.responder, channel: channel, priority: priority))
        }
        for reply in latency.replies {
            facts.append(WaitFact(
                kind: .replySent, at: reply.at.millisecondsSinceEpoch, milliseconds: 0, responder: reply.responder,
                channel: channel, priority: priority))
        }
        for resolve in latency.resolves {
            facts.append(WaitFact(
                kind: .resolve, at: resolve.at.millisecondsSinceEpoch, milliseconds: 0, responder: resolve.responder,
                channel: channel, priority: priority))
        }
        return facts
    }

    /// How many pending conversations one write transaction brings up to date: small enough
    /// that a claim waiting for the write lock waits a few milliseconds, not a whole backfill.
    static let batch = 2_000

    /// The event kinds a timeline is made of (`TimelineScanBuffer.classify`): only these make
    /// a conversation's facts stale.
    static let timelineKinds = "'opened', 'ingested', 'reopened', 'replied', 'resolved', 'merged'"

    /// Whether any conversation's facts are stale: noted by a trigger (channel, priority), or
    /// with a timeline event after the last one the facts took in.
    static let staleSQL = """
        SELECT (EXISTS (SELECT 1 FROM wait_fact_pending) OR EXISTS (SELECT 1 FROM event
            WHERE id > (SELECT last_event_id FROM wait_fact_progress) AND conversation_id IS NOT NULL
            AND kind IN (\(timelineKinds)))) AS a
        """

    /// One refresh's conversations: those noted as changed, and those of the next timeline
    /// events after the watermark (event ids grow with commits, writes being serialised on both
    /// stores), so ingest pays no trigger per event. A backlog longer than a batch (history
    /// written around Earshot, an upgrade) is noted whole first, so each of its conversations
    /// is computed once. `rows` runs a query and returns each row's columns `a` and `b` (nil
    /// when absent), `execute` a statement. `watermark` is the event id the facts will have
    /// taken in; `more` says whether another batch may be waiting.
    static func batch(
        limit: Int, rows: (String, [Int64]) throws -> [(Int64, Int64?)], execute: (String, [Int64]) throws -> Void
    ) throws -> (conversations: [Int64], watermark: Int64, more: Bool) {
        let mark = try rows("SELECT last_event_id AS a FROM wait_fact_progress", []).first?.0 ?? 0
        let latest = try rows("SELECT coalesce(max(id), 0) AS a FROM event", []).first?.0 ?? mark
        let changed = try rows("""
            SELECT conversation_id AS a, id AS b FROM event WHERE id > ? AND conversation_id IS NOT NULL
            AND kind IN (\(timelineKinds)) ORDER BY id LIMIT ?
            """, [mark, Int64(limit) + 1])
        var fromEvents = changed.map(\.0)
        if changed.count > limit {
            try execute("""
                INSERT INTO wait_fact_pending (conversation_id) SELECT DISTINCT conversation_id FROM event
                WHERE id > ? AND conversation_id IS NOT NULL AND kind IN (\(timelineKinds)) ON CONFLICT DO NOTHING
                """, [mark])
            fromEvents = []
        }
        let noted = try rows("SELECT conversation_id AS a FROM wait_fact_pending LIMIT ?", [Int64(limit)]).map(\.0)
        var seen = Set<Int64>()
        let conversations = (noted + fromEvents).filter { seen.insert($0).inserted }
        return (conversations, max(mark, latest), noted.count == limit)
    }
}
extension InboxStore {
    /// Brings every conversation's wait facts up to date before a report, a batch per write
    /// transaction (live traffic leaves a handful between reports; a history import, all).
    public func refreshWaitFacts() throws {
        guard try read({ try $0.hasStaleWaitFacts() }) else { return }
        while try write({ try $0.refreshWaitFacts(limit: WaitFacts.batch) }) {}
    }
}

/// Responder names by their number in `wait_fact_responder` (ids are small and dense).
struct WaitFactResponders {
    private var names: [String?] = []

    init(_ rows: [(Int64, String)]) {
        for (id, name) in rows where id >= 0 && id < 1 << 20 {
            if names.count <= Int(id) { names += Array(repeating: nil, count: Int(id) + 1 - names.count) }
            names[Int(id)] = name
        }
    }

    subscript(id: Int64) -> String? {
        id >= 0 && id < names.count ? names[Int(id)] : nil
    }
}

/// Which conversations a refresh recomputes and which it reads: a conversation merged into
/// another is part of that one's timeline (`TimelineScanBuffer`), so the one it went into is
/// recomputed, and every conversation folded into a recomputed one is read with it.
struct WaitFactWork {
    /// Conversations whose facts are rewritten.
    private(set) var targets: Set<Int64>
    /// Conversations whose events are read: the targets and everything merged into them.
    private(set) var members: Set<Int64>
    /// The scan, told which conversations were absorbed by which.
    private(set) var scan: TimelineScanBuffer

    /// `details` runs a query whose rows are a conversation id and an event's decoded detail.
    init(pending: [Int64], details: (String) throws -> [(Int64, [String: String])]) throws {
        var targets = Set(pending)
        var frontier = pending
        while !frontier.isEmpty {
            let rows = try details("""
                SELECT conversation_id, detail FROM event WHERE conversation_id IN (\(Self.list(frontier)))
                AND kind = 'resolved' AND detail LIKE '%merged_into%'
                """)
            frontier = rows.compactMap { Int64($0.1["merged_into"] ?? "") }.filter { targets.insert($0).inserted }
        }
        var members = targets
        var scan = TimelineScanBuffer()
        frontier = Array(targets)
        while !frontier.isEmpty {
            var next: [Int64] = []
            for (target, detail) in try details("""
                SELECT conversation_id, detail FROM event WHERE conversation_id IN (\(Self.list(frontier))) AND kind = 'merged'
                """) {
                guard let source = Int64(detail["from"] ?? "") else { continue }
                scan.absorb(Int(source), into: Int(target))
                if members.insert(source).inserted { next.append(source) }
            }
            frontier = next
        }
        (self.targets, self.members, self.scan) = (targets, members, scan)
    }

    /// Ids as an SQL list (integers from the database itself, never user text).
    static func list<S: Sequence<Int64>>(_ ids: S) -> String {
        ids.map(String.init).joined(separator: ",")
    }
}
