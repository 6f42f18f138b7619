import Foundation

/// A log line that can happen thousands of times a second (refused connections, a full
/// descriptor table): written at most once per `interval` per kind, with how many were left out.
final class RateLimitedLog: @unchecked Sendable {
    // @unchecked: `last` and `skipped` are only touched under `lock`.
    private let lock = NSLock()
    private let log: @Sendable (String) -> Void
    private let interval: TimeInterval
    private var last: [String: Date] = [:]
    private var skipped: [String: Int] = [:]

    init(interval: TimeInterval = 10, log: @escaping @Sendable (String) -> Void) {
        self.interval = interval
        self.log = log
    }

    /// Logs `line` unless a line of this `kind` was logged less than `interval` ago.
    func note(_ kind: String, _ line: @autoclosure () -> String) {
        let now = Date()
        let (write, left) = lock.withLock { () -> (Bool, Int) in
            if let previous = last[kind], now.timeIntervalSince(previous) < interval {
                skipped[kind, default: 0] += 1
                return (false, 0)
            }
            last[kind] = now
            defer { skipped[kind] = 0 }
            return (true, skipped[kind] ?? 0)
        }
        guard write else { return }
        log(line() + (left > 0 ? " (and \(left) more like it since the last such line)" : ""))
    }
}
