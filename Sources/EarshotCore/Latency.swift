/// One fact of a conversation's history that latency depends on, read from the event log.
public enum TimelineEntry: Equatable, Sendable {
    /// A customer message, at the time the customer wrote it.
    case customerMessage(at: Timestamp)
    /// A public reply, at the time the platform confirmed it (imported history replies count).
    case reply(at: Timestamp, responder: String)
    /// A new cycle begins: the customer wrote again after resolve, or a person reopened it.
    case cycleStarted(at: Timestamp)
    case resolved(at: Timestamp, by: String?)
}

/// What a latency sample measures (docs/metrics.md).
public enum LatencyKind: String, CaseIterable, Sendable {
    /// First customer message of a cycle to the first public reply of that cycle.
    case firstResponse = "frt"
    /// Oldest unanswered customer message to the next public reply: one per answered turn.
    case reply
    /// Start of a cycle to its resolve.
    case resolution
}

public struct LatencySample: Equatable, Sendable {
    public var kind: LatencyKind
    public var start: Timestamp
    public var end: Timestamp
    /// Who sent the reply that ended it (attribution); the resolver's login for resolutions.
    public var responder: String?
    public var cycle: Int

    public init(kind: LatencyKind, start: Timestamp, end: Timestamp, responder: String?, cycle: Int) {
        self.kind = kind
        self.start = start
        self.end = end
        self.responder = responder
        self.cycle = cycle
    }

    public var milliseconds: Int64 { end.milliseconds(since: start) }
}

/// The latency facts of one conversation: its samples, and how long it has been waiting now.
public struct ConversationLatency: Equatable, Sendable {
    public var samples: [LatencySample] = []
    /// Every public reply, answered wait or not (counted as "replies sent"), with its sender.
    public var replies: [(at: Timestamp, responder: String)] = []
    /// Every resolve, with who resolved.
    public var resolves: [(at: Timestamp, responder: String?)] = []

    public static func == (lhs: ConversationLatency, rhs: ConversationLatency) -> Bool {
        lhs.samples == rhs.samples && lhs.waitingSince == rhs.waitingSince
            && lhs.replies.map(\.at) == rhs.replies.map(\.at) && lhs.replies.map(\.responder) == rhs.replies.map(\.responder)
            && lhs.resolves.map(\.at) == rhs.resolves.map(\.at) && lhs.resolves.map(\.responder) == rhs.resolves.map(\.responder)
    }
    /// The oldest unanswered customer message of the current cycle, when the conversation is
    /// not resolved: reported beside the figures, never dropped.
    public var waitingSince: Timestamp?
}

public enum LatencyCalculator {
    /// Computes the samples of one conversation from its entries in the order they were
    /// recorded (which fixes the cycles). Within a cycle, messages and replies are taken in
    /// the order of their own times, so history imported out of order still measures right.
    /// Internal notes are not entries at all: they never count.
    public static func latency(of entries: [TimelineEntry]) -> ConversationLatency {
        var result = ConversationLatency()
        var cycles: [[TimelineEntry]] = [[]]
        var cycleStarts: [Timestamp?] = [nil]
        var resolvedAt: [Timestamp?] = [nil]
        var resolvers: [String?] = [nil]
        for entry in entries {
            switch entry {
            case let .cycleStarted(at):
                cycles.append([])
                cycleStarts.append(at)
                resolvedAt.append(nil)
                resolvers.append(nil)
            case let .resolved(at, by):
                resolvedAt[resolvedAt.count - 1] = at
                resolvers[resolvers.count - 1] = by
                result.resolves.append((at, by))
            default:
                cycles[cycles.count - 1].append(entry)
            }
        }
        for (index, cycleEntries) in cycles.enumerated() {
            let cycle = index + 1
            let ordered = cycleEntries.enumerated().sorted { lhs, rhs in
                let (l, r) = (time(lhs.element), time(rhs.element))
                return l != r ? l < r : lhs.offset < rhs.offset
            }.map(\.element)
            var firstMessage: Timestamp?
            var oldestUnanswered: Timestamp?
            var answeredOnce = false
            for entry in ordered {
                switch entry {
                case let .customerMessage(at):
                    if firstMessage == nil { firstMessage = at }
                    if oldestUnanswered == nil { oldestUnanswered = at }
                case let .reply(at, responder):
                    result.replies.append((at, responder))
                    guard let waiting = oldestUnanswered else { continue }
                    if !answeredOnce, let first = firstMessage {
                        result.samples.append(LatencySample(kind: .firstResponse, start: first, end: at, responder: responder, cycle: cycle))
                        answeredOnce = true
                    }
                    result.samples.append(LatencySample(kind: .reply, start: waiting, end: at, responder: responder, cycle: cycle))
                    oldestUnanswered = nil
                default:
                    break
                }
            }
            let start = cycleStarts[index] ?? firstMessage
            if let resolved = resolvedAt[index], let start, resolved >= start {
                result.samples.append(LatencySample(
                    kind: .resolution, start: start, end: resolved, responder: resolvers[index], cycle: cycle))
            }
            if index == cycles.count - 1 {
                result.waitingSince = resolvedAt[index] == nil ? oldestUnanswered : nil
            }
        }
        return result
    }

    static func time(_ entry: TimelineEntry) -> Timestamp {
        switch entry {
        case let .customerMessage(at), let .reply(at, _), let .cycleStarted(at), let .resolved(at, _): at
        }
    }
}

/// Exact percentiles by the nearest-rank method: the value at rank ⌈q·n⌉ of the sorted samples
/// (so p50 of [1, 2, 3, 4] is 2, and p100 is the maximum). No interpolation, no sketches.
public enum Percentile {
    public static func nearestRank(_ sortedValues: [Int64], _ quantile: Double) -> Int64? {
        guard !sortedValues.isEmpty else { return nil }
        let rank = Int((quantile * Double(sortedValues.count)).rounded(.up))
        return sortedValues[min(max(rank, 1), sortedValues.count) - 1]
    }
}
