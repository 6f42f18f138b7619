import Foundation

/// A discrete-event simulation of the queue Erlang C describes, to check the formula where its
/// assumptions are strained (few arrivals, a target shorter than a handling time): arrivals
/// one by one at random, each taken by the first responder free, in arrival order.
public struct QueueSimulation: Sendable {
    public var arrivalsPerHour: Double
    public var handlingSeconds: Double
    public var targetSeconds: Double
    /// Arrivals simulated; the first tenth warm the queue up and are not counted.
    public var customers: Int
    public var seed: UInt64

    public init(arrivalsPerHour: Double, handlingSeconds: Double, targetSeconds: Double, customers: Int = 20_000, seed: UInt64 = 0x5EED) {
        self.arrivalsPerHour = arrivalsPerHour
        self.handlingSeconds = handlingSeconds
        self.targetSeconds = targetSeconds
        self.customers = customers
        self.seed = seed
    }

    /// The share of counted arrivals answered within the target with `agents` responders.
    public func serviceLevel(agents: Int) -> Double {
        guard arrivalsPerHour > 0 else { return 1 }
        guard agents > 0, handlingSeconds > 0 else { return 0 }
        var random = SeededRandom(seed: seed)
        let meanGap = 3_600 / arrivalsPerHour
        // When each responder is next free, as a min-heap.
        var free = FreeTimes(count: agents)
        var clock = 0.0
        let warmUp = customers / 10
        var answeredInTime = 0
        for index in 0..<customers {
            clock += Self.exponential(mean: meanGap, &random)
            let start = max(clock, free.earliest)
            free.replaceEarliest(with: start + Self.exponential(mean: handlingSeconds, &random))
            if index >= warmUp, start - clock <= targetSeconds { answeredInTime += 1 }
        }
        return Double(answeredInTime) / Double(customers - warmUp)
    }

    /// The fewest responders whose simulated service level reaches `goal`, searched from
    /// `from` upward (Erlang C's answer less two is a good start).
    public func agentsNeeded(goal: Double, from start: Int = 1) -> Int {
        guard arrivalsPerHour > 0 else { return 0 }
        var agents = max(1, start)
        while serviceLevel(agents: agents) < goal, agents < 100_000 { agents += 1 }
        return agents
    }

    static func exponential(mean: Double, _ random: inout SeededRandom) -> Double {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        -mean * log(1 - Double.random(in: 0..<1, using: &random))
    }
}

/// The responders' next free times; only the earliest is ever read or replaced.
private struct FreeTimes {
    private var heap: [Double]

    init(count: Int) { heap = Array(repeating: 0, count: count) }

    var earliest: Double { heap[0] }

    mutating func replaceEarliest(with time: Double) {
        heap[0] = time
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
