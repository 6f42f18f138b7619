import EarshotCore

/// How the screen shows time. Normally as it is. In the demo, which stores real times but runs
/// its day `speed` times faster, every clock on the screen follows the demo's: a wait of six
/// real seconds at speed 10 shows as a minute, and a message's time shows the demo's time of day.
public struct ScreenClock: Sendable, Equatable {
    public let speed: Double
    /// The real time at which the screen's clock shows `shownStart`.
    let realStart: Timestamp
    let shownStart: Timestamp

    /// Time as it is.
    public static let real = ScreenClock(speed: 1, realStart: Timestamp(millisecondsSinceEpoch: 0), shownStart: Timestamp(millisecondsSinceEpoch: 0))

    /// A clock that shows `shownStart` at real time `realStart` and runs `speed` times faster.
    public init(speed: Double, realStart: Timestamp, shownStart: Timestamp) {
        self.speed = speed
        self.realStart = realStart
        self.shownStart = shownStart
    }

    /// A real duration as the screen shows it.
    public func duration(milliseconds: Int64) -> Int64 {
        speed == 1 ? milliseconds : Int64((Double(milliseconds) * speed).rounded())
    }

    /// The wait from `since` to `now`, both real times, as the screen shows it.
    public func wait(from since: Timestamp, to now: Timestamp) -> Int64 {
        duration(milliseconds: now.milliseconds(since: since))
    }

    /// A real time as the screen's clock reads it.
    public func shown(_ time: Timestamp) -> Timestamp {
        speed == 1 && realStart == shownStart ? time : shownStart.adding(milliseconds: duration(milliseconds: time.milliseconds(since: realStart)))
    }
}
