import EarshotCore
import Foundation

/// The demo's source of randomness: the core's seeded generator, with the draws the
/// simulation makes.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var base: SeededRandom

    public init(seed: UInt64) { base = SeededRandom(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// An exponential wait with the given mean.
    public mutating func exponential(mean: Double) -> Double { -log(1 - unit()) * mean }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    /// One of `items`, each chosen in proportion to its weight.
    public mutating func pick<T>(weighted items: [(T, Double)]) -> T {
        let total = items.reduce(0) { $0 + $1.1 }
        var roll = unit() * total
        for (item, weight) in items {
            if roll < weight { return item }
            roll -= weight
        }
        return items[items.count - 1].0
    }
}
