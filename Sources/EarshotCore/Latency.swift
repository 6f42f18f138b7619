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
public struct ConversationLatency: Sendable {
    public var samples: [LatencySample] = []
    /// Every public reply, answered wait or not (counted as "replies sent"), with its sender.
    public var replies: [(at: Timestamp, responder: String)] = []
    /// Every resolve, with who resolved.
    public var resolves: [(at: Timestamp, responder: String?)] = []

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
        var cycle = 1
        var cycleStart: Timestamp?
        var pending: [TimelineEntry] = []
        var resolved: (at: Timestamp, by: String?)?
        for entry in entries {
            switch entry {
            case let .cycleStarted(at):
                close(cycle: cycle, entries: pending, start: cycleStart, resolved: resolved, last: false, into: &result)
                cycle += 1
                cycleStart = at
                pending.removeAll(keepingCapacity: true)
                resolved = nil
            case let .resolved(at, by):
                resolved = (at, by)
                result.resolves.append((at, by))
            default:
                pending.append(entry)
            }
        }
        close(cycle: cycle, entries: pending, start: cycleStart, resolved: resolved, last: true, into: &result)
        return result
    }

    /// The samples of one cycle, from its messages and replies taken in time order.
    private static func close(
        cycle: Int, entries: [TimelineEntry], start: Timestamp?, resolved: (at: Timestamp, by: String?)?, last: Bool,
        into result: inout ConversationLatency
    ) {
        // Usually already in time order (live traffic); history imports may not be.
        let inOrder = zip(entries, entries.dropFirst()).allSatisfy { time($0) <= time($1) }
        let ordered = inOrder ? entries : entries.enumerated().sorted { lhs, rhs in
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
        if let resolved, let begin = start ?? firstMessage, resolved.at >= begin {
            result.samples.append(LatencySample(kind: .resolution, start: begin, end: resolved.at, responder: resolved.by, cycle: cycle))
        }
        if last { result.waitingSince = resolved == nil ? oldestUnanswered : nil }
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

    /// The values at the nearest ranks of `quantiles` (ascending) of unsorted `values`, found by
    /// selection (linear on average) instead of a full sort: a report at a million conversations
    /// spent a tenth of its time sorting. `values` is left reordered.
    public static func nearestRanks(selectingIn values: inout [Int64], _ quantiles: [Double]) -> [Int64?] {
        let count = values.count
        guard count > 0 else { return quantiles.map { _ in nil } }
        var result = [Int64?](repeating: nil, count: quantiles.count)
        values.withUnsafeMutableBufferPointer { buffer in
            // Highest rank first: everything below a selected rank is no greater, so the next
            // (lower) rank is found among those alone.
            var end = count
            for (index, quantile) in quantiles.enumerated().reversed() {
                let rank = min(max(Int((quantile * Double(count)).rounded(.up)), 1), count) - 1
                select(buffer, rank, below: min(end, count))
                result[index] = buffer[rank]
                end = rank + 1
            }
        }
        return result
    }

    /// Puts the `rank`-th smallest of `buffer[0..<end]` at `rank`, the smaller before it and the
    /// larger after it (Hoare's quickselect, median-of-three pivots).
    static func select(_ buffer: UnsafeMutableBufferPointer<Int64>, _ rank: Int, below end: Int) {
        var low = 0, high = end - 1
        while low < high {
            let middle = low + (high - low) / 2
            if buffer[middle] < buffer[low] { buffer.swapAt(middle, low) }
            if buffer[high] < buffer[low] { buffer.swapAt(high, low) }
            if buffer[high] < buffer[middle] { buffer.swapAt(high, middle) }
            let pivot = buffer[middle]
            var left = low, right = high
            while left <= right {
                while buffer[left] < pivot { left += 1 }
                while buffer[right] > pivot { right -= 1 }
                if left <= right {
                    buffer.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if rank <= right {
                high = right
            } else if rank >= left {
                low = left
            } else {
                return
            }
        }
    }
}
