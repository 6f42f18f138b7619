import Foundation
import Synchronization

/// The source of "now" for every time-dependent rule (SLA, snooze, auto-away,
/// return-to-queue, latency). Nothing in Earshot reads the wall clock directly,
/// so tests advance a `ManualClock` instead of sleeping.
public protocol Clock: Sendable {
    func now() -> Timestamp
}

/// The real wall clock.
public struct SystemClock: Clock {
    public init() {}
    public func now() -> Timestamp { Timestamp(Date()) }
}

/// A clock that only moves when told to; for tests, simulations and the demo.
public final class ManualClock: Clock {
    private let current: Mutex<Timestamp>

    public init(_ start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Timestamp { current.withLock { $0 } }

    public func set(_ time: Timestamp) { current.withLock { $0 = time } }

    public func advance(milliseconds: Int64) {
        current.withLock { $0 = $0.adding(milliseconds: milliseconds) }
    }

    public func advance(seconds: Int64) { advance(milliseconds: seconds * 1000) }

    public func advance(minutes: Int64) { advance(milliseconds: minutes * 60_000) }
}
