import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The `InboxStore` for several daemons sharing one PostgreSQL database (docs/scale-out.md).
///
/// Semantics are SQLite's, on purpose: every write transaction first takes one transaction-level
/// advisory lock, so writes from all daemons run one at a time as they do on one SQLite file, and
/// every rule the service checks inside a write (one owner per conversation, capacity, a reply
/// delivered once) holds across daemons unchanged. Event ids are drawn under that lock, so they
/// rise in commit order and a reader following the log by id never skips one. Reads run
/// concurrently on a repeatable-read snapshot. Each commit sends `NOTIFY earshot_commits`; a
/// listening connection turns the other daemons' commits into `commits` signals, so their
/// clients see a change made through another box as soon as it is committed.
public final class PostgresInboxStore: InboxStore {
    public let location: PostgresLocation
    public let commits = CommitSignal()
    let pool: PostgresConnectionPool
    private let leases: PostgresLeases
    public let instance = "pg-" + UUID().uuidString.lowercased()
    private let listener = Mutex<PostgresConnection?>(nil)
    private let closed = Atomic<Bool>(false)
    private let noteHandlers = Mutex<[@Sendable (String) -> Void]>([])

    /// The advisory lock key that serialises writes (any fixed number; "ears" in ASCII).
    static let writeLockKey: Int64 = 0x6561_7273

    /// Connects and applies pending migrations (up to `migration` when given).
    public init(location: PostgresLocation, connections: Int = 8, migrateUpTo migration: String? = nil, listen: Bool = true) throws {
        self.location = location
        pool = try PostgresConnectionPool(location: location, size: max(2, connections))
        leases = PostgresLeases(pool: pool)
        try PostgresSchema(pool: pool).migrate(upTo: migration)
        // Held as long as this process keeps the database open: how others know it runs.
        try leases.holdPermanently("instance:" + instance)
        if listen { startListening() }
    }

    /// Connects without migrating, for inspection (`earshot db check`, the target of `db copy`).
    public init(inspecting location: PostgresLocation) throws {
        self.location = location
        pool = try PostgresConnectionPool(location: location, size: 2)
        leases = PostgresLeases(pool: pool)
    }

    deinit { close() }

    /// Closes the pool and the listener; later calls fail.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let connection = listener.withLock({ $0 }) { try? connection.close().wait() }
        leases.close()
        pool.close()
    }

    public func write<T>(_ body: (any InboxWriter) throws -> T) throws -> T {
        // BEGIN, the write lock and the commit's notification go in one round trip (a
        // notification is sent at COMMIT, and dropped with a rollback, wherever it is queued).
        let result = try transaction(begin: [
            ("BEGIN ISOLATION LEVEL READ COMMITTED", []),
            ("SELECT pg_advisory_xact_lock(?)", [Self.writeLockKey]),
            ("SELECT pg_notify('earshot_commits', '')", []),
        ]) { sql in
            try body(PostgresSession(sql: sql))
        }
        commits.signal()
        return result
    }

    public func read<T>(_ body: (any InboxReader) throws -> T) throws -> T {
        try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { sql in
            try body(PostgresSession(sql: sql))
        }
    }

    public func isRunning(_ instance: String) throws -> Bool {
        if instance == self.instance { return true }
        return try transaction(begin: "BEGIN READ ONLY") { sql in try PostgresLeases.isHeld("instance:" + instance, in: sql) }
    }

    public func tryLease(_ name: String) throws -> StoreLease? {
        try leases.tryLease(name)
    }

    public func broadcast(_ note: String) throws {
        try pool.withConnection { connection in
            try PostgresSQL(connection: connection, location: location).execute("SELECT pg_notify('earshot_notes', ?)", [note])
        }
    }

    public func onBroadcast(_ handler: @escaping @Sendable (String) -> Void) {
        noteHandlers.withLock { $0.append(handler) }
    }

    /// Gives up every lease at once, the mark that this process runs among them, as a daemon
    /// that dies does (tests of another daemon's takeover use it).
    public func releaseLeases() {
        leases.close()
    }

    /// Migration identifiers known to this build, oldest first (the same as SQLite's).
    public static var knownMigrations: [String] { PostgresMigrations.steps.map(\.identifier) }

    public func appliedMigrations() throws -> [String] {
        try PostgresSchema(pool: pool).applied()
    }

    func transaction<T>(begin: String, _ body: (PostgresSQL) throws -> T) throws -> T {
        try transaction(begin: [(begin, [])], body)
    }

    /// Runs `body` between the `begin` statements (sent together) and COMMIT; rolls back when it throws.
    func transaction<T>(begin: [(sql: String, arguments: [PostgresSQL.Argument])], _ body: (PostgresSQL) throws -> T) throws -> T {
        try pool.withConnection { connection in
            let sql = PostgresSQL(connection: connection, location: location)
            do {
                try sql.executePipelined(begin)
            } catch {
                if !connection.isClosed { _ = try? sql.execute("ROLLBACK") }
                throw error
            }
            do {
                let result = try body(sql)
                try sql.commit()
                return result
            } catch {
                if !connection.isClosed { _ = try? sql.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// One connection that only listens, and turns each commit of any daemon into a signal.
    /// When the server drops it, it is opened again after a pause, and the waiter is woken
    /// once so that nothing committed in between is missed.
    private func startListening() {
        let thread = Thread { [weak self] in
            var pause = 0.2
            while let store = self, !store.closed.load(ordering: .acquiring) {
                do {
                    let connection = try store.pool.open()
                    store.listener.withLock { $0 = connection }
                    let commits = store.commits
                    connection.addListener(channel: "earshot_commits") { _, _ in commits.signal() }
                    connection.addListener(channel: "earshot_notes") { [weak store] _, note in
                        for handler in store?.noteHandlers.withLock({ $0 }) ?? [] { handler(note.payload) }
                    }
                    let sql = PostgresSQL(connection: connection, location: store.location)
                    try sql.execute("LISTEN earshot_commits")
                    try sql.execute("LISTEN earshot_notes")
                    commits.signal()
                    pause = 0.2
                    try? connection.closeFuture.wait()
                } catch {}
                guard let store = self, !store.closed.load(ordering: .acquiring) else { return }
                _ = store
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 5)
            }
        }
        thread.name = "earshot-pg-listen"
        thread.start()
    }
}

/// Applies and lists the PostgreSQL migrations; two daemons starting at once take turns.
struct PostgresSchema {
    let pool: PostgresConnectionPool
    static let migrationLockKey: Int64 = 0x6561_726D

    func migrate(upTo target: String?) throws {
        try pool.withConnection { connection in
            let sql = PostgresSQL(connection: connection, location: pool.location)
            try sql.execute("SELECT pg_advisory_lock(?)", [Self.migrationLockKey])
            defer { _ = try? sql.execute("SELECT pg_advisory_unlock(?)", [Self.migrationLockKey]) }
            try sql.execute("""
                CREATE TABLE IF NOT EXISTS earshot_migrations (identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """)
            let applied = try sql.rows("SELECT identifier FROM earshot_migrations").map { $0["identifier"] as String }
            let known = PostgresMigrations.steps.map(\.identifier)
            let unknown = applied.filter { !known.contains($0) }
            if !unknown.isEmpty { throw StoreError.newerSchema(path: pool.location.description, found: unknown) }
            for step in PostgresMigrations.steps where !applied.contains(step.identifier) {
                do {
                    try sql.execute("BEGIN")
                    for statement in PostgresSQL.statements(step.sql) { try sql.execute(statement) }
                    try sql.execute("INSERT INTO earshot_migrations (identifier) VALUES (?)", [step.identifier])
                    try sql.commit()
                } catch {
                    _ = try? sql.execute("ROLLBACK")
                    throw error
                }
                if step.identifier == target { break }
            }
        }
    }

    func applied() throws -> [String] {
        try pool.withConnection { connection in
            let sql = PostgresSQL(connection: connection, location: pool.location)
            guard try sql.value("SELECT to_regclass('earshot_migrations') IS NOT NULL") as Int64? == 1 else { return [] }
            let applied = Set(try sql.rows("SELECT identifier FROM earshot_migrations").map { $0["identifier"] as String })
            // In the order of the known steps (all carry the same applied_at when made together).
            let known = PostgresMigrations.steps.map(\.identifier)
            return known.filter(applied.contains) + applied.subtracting(known).sorted()
        }
    }
}

extension PostgresInboxStore {
    /// Creates an empty database `name` on the server `location` names (tests make one each;
    /// an admin can also use createdb). The name is an identifier: letters, digits, underscores.
    public static func createDatabase(_ name: String, on location: PostgresLocation, template: String? = nil) throws {
        for identifier in [name] + (template.map { [$0] } ?? []) {
            guard !identifier.isEmpty, identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw PostgresLocation.Problem(description: "database name \(identifier) must be letters, digits and underscores")
            }
        }
        let pool = try PostgresConnectionPool(location: location, size: 1)
        defer { pool.close() }
        try pool.withConnection { connection in
            try PostgresSQL(connection: connection, location: location).execute("CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        }
    }
}
