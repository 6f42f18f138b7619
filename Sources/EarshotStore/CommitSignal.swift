import Dispatch
import Synchronization

/// Tells one waiter that a write was committed, so the daemon pushes a change as soon as it
/// is in the database instead of at its next look. Commits coalesce: many between two looks
/// wake the waiter once. Writes from other processes do not signal; the waiter still looks
/// on its own every so often for those.
public final class CommitSignal: Sendable {
    private let pending = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    /// A write was committed.
    public func signal() {
        if !pending.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    /// Waits for a commit since the last wait, at most `seconds`; true when one came. Read what
    /// changed after this returns: a commit during the read signals the next wait.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let woken = semaphore.wait(timeout: .now() + seconds) == .success
        pending.store(false, ordering: .releasing)
        return woken
    }
}
