import EarshotStore
import Synchronization

/// Keeps a store lease for work one daemon does for all (the clock's SLA warnings and snooze
/// wake-ups): `holds()` is true while this daemon has it, and tries to take it when nobody does.
/// On SQLite, with one daemon, it always holds.
public final class LeaseHolder: Sendable {
    private let store: any InboxStore
    private let name: String
    private let lease = Mutex<StoreLease?>(nil)

    public init(store: any InboxStore, name: String) {
        self.store = store
        self.name = name
    }

    public func holds() -> Bool {
        lease.withLock { current in
            if let held = current, held.isHeld { return true }
            current = try? store.tryLease(name)
            return current != nil
        }
    }
}
