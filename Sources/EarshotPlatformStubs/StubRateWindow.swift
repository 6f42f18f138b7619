import Foundation

/// A stub's rate limit: after `remaining` more requests, refused until `reset`.
struct StubRateWindow {
    var remaining: Int?
    var reset = Date()

    /// Counts one request; true when it must be refused (429).
    mutating func refuses(at now: Date = Date()) -> Bool {
        guard let left = remaining else { return false }
        if now >= reset {
            remaining = nil
            return false
        }
        if left > 0 {
            remaining = left - 1
            return false
        }
        return true
    }

    mutating func limit(after requests: Int, resetAfter seconds: Double) {
        remaining = requests
        reset = Date().addingTimeInterval(seconds)
    }
}
