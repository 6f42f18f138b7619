import Foundation
import Synchronization

/// A log line that can happen thousands of times a second (refused connections, a full
/// descriptor table): written at most once per `interval` per kind, with how many were left out.
final class RateLimitedLog: Sendable {
    private let log: @Sendable (String) -> Void
    private let interval: TimeInterval
    /// Per kind: when its last line was written, and how many were left out since.
    private let kinds = Mutex<(last: [String: Date], skipped: [String: Int])>(([:], [:]))

    init(interval: TimeInterval = 10, log: @escaping @Sendable (String) -> Void) {
        self.interval = interval
        self.log = log
    }

    /// Logs `line` unless a line of this `kind` was logged less than `interval` ago.
    func note(_ kind: String, _ line: @autoclosure () -> String) {
        let now = Date()
        let interval = interval
        let (write, left) = kinds.withLock { kinds -> (Bool, Int) in
            if let previous = kinds.last[kind], now.timeIntervalSince(previous) < interval {
                kinds.skipped[kind, default: 0] += 1
                return (false, 0)
            }
            kinds.last[kind] = now
            defer { kinds.skipped[kind] = 0 }
            return (true, kinds.skipped[kind] ?? 0)
        }
        guard write else { return }
        log(line() + (left > 0 ? " (and \(left) more like it since the last such line)" : ""))
    }
}
