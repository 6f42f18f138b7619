import EarshotCore

/// When to try again after a fault: exponential backoff with jitter, capped, and the
/// platform's own rate-limit reset when it names one.
public struct Backoff: Sendable {
    public var baseSeconds: Double = 1
    public var maximumSeconds: Double = 300
    /// Faults in a row; reset by a success.
    public private(set) var failures = 0

    public init(baseSeconds: Double = 1, maximumSeconds: Double = 300) {
        self.baseSeconds = baseSeconds
        self.maximumSeconds = maximumSeconds
    }

    /// The wait after one more fault: base·2ⁿ, capped, then between half of it and all of it.
    public mutating func next(random: Double = Double.random(in: 0...1)) -> Double {
        failures += 1
        let ceiling = min(maximumSeconds, baseSeconds * Double(1 << min(failures - 1, 20)))
        return ceiling / 2 + ceiling / 2 * random
    }

    public mutating func succeeded() { failures = 0 }
}

/// Mastodon's rate-limit headers: `X-RateLimit-Remaining` and `X-RateLimit-Reset`, an ISO 8601
/// time (not epoch seconds).
public enum MastodonRateLimit {
    /// When the next request may go: the reset time after a 429, or when none remain; nil
    /// when nothing holds it back. A reset in the past or unreadable waits `fallbackSeconds`
    /// after a 429 (the request was refused, so something must be waited).
    public static func waitUntil(status: Int, remaining: String?, reset: String?, now: Timestamp, fallbackSeconds: Int64 = 60) -> Timestamp? {
        let exhausted = status == 429 || remaining.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } == 0
        guard exhausted else { return nil }
        if let reset, let (time, _) = TimestampParsing.iso8601(reset.trimmingCharacters(in: .whitespaces)), time > now {
            // Never more than 15 minutes on the platform's word alone.
            return min(time, now.adding(seconds: 900))
        }
        return status == 429 ? now.adding(seconds: fallbackSeconds) : nil
    }
}
