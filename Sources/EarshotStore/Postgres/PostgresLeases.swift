import Foundation
import PostgresNIO
import Synchronization

/// Names held by one daemon among those sharing a PostgreSQL database, as session-level
/// advisory locks on one connection kept for them: when a daemon dies its connection closes and
/// the server frees its leases at once, so another daemon takes an account or the clock over
/// at its next try. A lost connection loses every lease it held (`StoreLease.isHeld` says so).
final class PostgresLeases: Sendable {
    private let pool: PostgresConnectionPool
    private let connection = Mutex<PostgresConnection?>(nil)
    /// Taken again first on every new lease connection: the name that tells other daemons this
    /// one runs (its replies in delivery are its own while it does).
    private let permanent = Mutex<String?>(nil)

    init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// Holds `name` for as long as the store is open, through reconnections.
    func holdPermanently(_ name: String) throws {
        permanent.withLock { $0 = name }
        _ = try tryLease(name)
    }

    /// The lock key for a name: 64-bit FNV-1a, the same in every daemon.
    static func key(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ("earshot:" + name).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    func tryLease(_ name: String) throws -> StoreLease? {
        let key = Self.key(name)
        return try connection.withLock { current -> StoreLease? in
            if current == nil || current!.isClosed {
                let opened = try pool.open()
                current = opened
                if let name = permanent.withLock({ $0 }), name != "" {
                    _ = try PostgresSQL(connection: opened, location: pool.location).execute("SELECT pg_try_advisory_lock(?)", [Self.key(name)])
                }
            }
            let holder = current!
            let sql = PostgresSQL(connection: holder, location: pool.location)
            guard try sql.value("SELECT pg_try_advisory_lock(?)::int", [key]) as Int64? == 1 else { return nil }
            let released = Atomic<Bool>(false)
            return StoreLease(
                name: name,
                isHeld: { !released.load(ordering: .acquiring) && !holder.isClosed },
                release: { [weak self] in
                    guard !released.exchange(true, ordering: .acquiringAndReleasing), !holder.isClosed else { return }
                    self?.connection.withLock { _ in
                        _ = try? PostgresSQL(connection: holder, location: self!.pool.location).execute("SELECT pg_advisory_unlock(?)", [key])
                    }
                })
        }
    }

    /// Whether some daemon holds `name` now (its connection is open).
    static func isHeld(_ name: String, in sql: PostgresSQL) throws -> Bool {
        let key = UInt64(bitPattern: Self.key(name))
        let held: Int64? = try sql.value("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND classid::bigint = ? AND objid::bigint = ?
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, [Int64(key >> 32), Int64(key & 0xFFFF_FFFF)])
        return (held ?? 0) > 0
    }

    /// Gives every lease up: unlocked before the connection closes, so another daemon can take
    /// them at once (a closed session's locks are freed only as its server process ends).
    func close() {
        permanent.withLock { $0 = nil }
        // Taken out, so a second close (a test's release, then the store's) finds nothing: a
        // query sent on a closed connection is never answered.
        guard let open = connection.withLock({ current in defer { current = nil }; return current }), !open.isClosed else { return }
        _ = try? PostgresSQL(connection: open, location: pool.location).execute("SELECT pg_advisory_unlock_all()")
        try? open.close().wait()
    }
}
