import EarshotCore
import Foundation
import GRDB

/// The default `InboxStore`: one SQLite file in WAL mode through GRDB's `DatabasePool`
/// (one writer, concurrent readers), with foreign keys on and a busy timeout so that
/// several processes on the shared box wait for each other instead of failing.
public final class SQLiteInboxStore: InboxStore {
    /// How to treat a path with no database yet.
    public enum OpenMode: Sendable {
        /// Create the file (mode 0600) and its directory (mode 0700) when missing.
        case createIfMissing
        /// Fail with `StoreError.databaseMissing` when there is no file.
        case mustExist
    }

    public let path: String
    let pool: DatabasePool
    public let commits = CommitSignal()
    /// Whether writes end by indexing their conversations for search (`SQLiteSearchIndex`).
    let indexesSearch: Bool

    /// Opens (and when allowed creates) the database and applies pending migrations,
    /// up to `migration` when given (used by tests of upgrades).
    public init(path: String, mode: OpenMode = .createIfMissing, migrateUpTo migration: String? = nil) throws {
        self.path = path
        try Self.prepareFile(at: path, mode: mode)
        pool = try DatabasePool(path: path, configuration: Self.configuration())
        try Self.refuseNewerSchema(pool, path: path)
        if let migration {
            try Migrations.migrator.migrate(pool, upTo: migration)
        } else {
            try Migrations.migrator.migrate(pool)
        }
        indexesSearch = try pool.read(SQLiteSearchIndex.exists)
        // Rows written by other means (sqlite3, an older build) are indexed now.
        if indexesSearch { try pool.write(SQLiteSearchIndex.flush) }
    }

    /// Opens an existing database without migrating it, for inspection (`earshot db check`).
    public init(inspecting path: String) throws {
        self.path = path
        try Self.prepareFile(at: path, mode: .mustExist)
        pool = try DatabasePool(path: path, configuration: Self.configuration())
        indexesSearch = false
    }

    public func write<T>(_ body: (any InboxWriter) throws -> T) throws -> T {
        let result = try pool.write { db in
            let result = try body(SQLiteSession(db: db))
            if indexesSearch { try SQLiteSearchIndex.flush(db) }
            return result
        }
        commits.signal()
        return result
    }

    public func read<T>(_ body: (any InboxReader) throws -> T) throws -> T {
        try pool.read { db in try body(SQLiteSession(db: db)) }
    }

    public let instance = "sqlite-" + UUID().uuidString.lowercased()

    /// One daemon serves a SQLite file: whoever else marked something has stopped.
    public func isRunning(_ instance: String) throws -> Bool { instance == self.instance }

    /// One daemon serves a SQLite file: there is nobody to tell.
    public func broadcast(_ note: String) throws {}
    public func onBroadcast(_ handler: @escaping @Sendable (String) -> Void) {}

    /// One daemon serves a SQLite file: every lease is this process's.
    public func tryLease(_ name: String) throws -> StoreLease? {
        StoreLease(name: name, isHeld: { true }, release: {})
    }

    /// Migration identifiers known to this build, oldest first.
    public static var knownMigrations: [String] { Migrations.identifiers }

    /// Migrations already applied to this file.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.appliedMigrations(db) }
    }

    /// Result of SQLite's own consistency checks.
    /// A damaged file is reported as a problem, not thrown, so `earshot db check` can say what to do.
    public func integrityCheck() throws -> [String] {
        do {
            return try runIntegrityChecks()
        } catch let error as DatabaseError
                    where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            return ["the database file is damaged (\(error.message ?? "\(error.resultCode)")): "
                    + "restore it from a backup, or try `sqlite3 \(path) .recover` to salvage rows"]
        }
    }

    private func runIntegrityChecks() throws -> [String] {
        try pool.read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let foreignKeyProblems = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            problems += foreignKeyProblems.map { row in
                "foreign key violation in \(row[0] as String? ?? "?") row \(row[1] as Int64? ?? -1)"
            }
            return problems
        }
    }

    /// Copies committed WAL frames back into the main file; used before measuring or copying it.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    // MARK: - Opening

    static func configuration() -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "earshot"
        config.prepareDatabase { db in
            // NORMAL is safe in WAL mode against a killed process: committed
            // transactions survive; only an OS crash can lose the newest ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Bulk ingest touches index pages all over the file; a larger page cache
            // keeps them in memory instead of re-reading them through the kernel.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    static func prepareFile(at path: String, mode: OpenMode) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) { return }
        guard mode == .createIfMissing else { throw StoreError.databaseMissing(path: path) }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !manager.fileExists(atPath: directory) {
            try manager.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        // Created here rather than by SQLite so that it is private from its first byte;
        // SQLite gives the -wal and -shm files the same mode.
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor < 0 && errno != EEXIST {
            throw CocoaError(.fileWriteNoPermission, userInfo: [
                NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "cannot create \(path): \(String(cString: strerror(errno)))",
            ])
        }
        if descriptor >= 0 { close(descriptor) }
    }

    static func appliedMigrations(_ db: Database) throws -> [String] {
        guard try db.tableExists("grdb_migrations") else { return [] }
        return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
    }

    static func refuseNewerSchema(_ pool: DatabasePool, path: String) throws {
        let unknown = try pool.read { db in
            try appliedMigrations(db).filter { !Migrations.identifiers.contains($0) }
        }
        if !unknown.isEmpty { throw StoreError.newerSchema(path: path, found: unknown) }
    }
}
