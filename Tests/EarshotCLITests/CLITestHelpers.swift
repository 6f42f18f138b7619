import Foundation
import GRDB
import Testing

/// What the CLI tests share: starting `earshot serve`, waiting for a condition, and reading a
/// figure straight from the database file.
enum CLITest {
    /// Starts the daemon (`earshot serve ARGUMENTS`) and returns once its socket exists.
    static func startDaemon(_ binary: String, _ arguments: [String], environment: [String: String], socket: String) throws -> Process {
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve"] + arguments
        daemon.environment = environment
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        try waitFor { FileManager.default.fileExists(atPath: socket) }
        return daemon
    }

    /// `earshot watch --socket SOCKET`, writing to files the test reads as it goes.
    static func startWatcher(
        _ binary: String, socket: String, environment: [String: String], output: TemporaryDirectoryFile, errors: TemporaryDirectoryFile
    ) throws -> Process {
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: binary)
        watcher.arguments = ["watch", "--socket", socket]
        watcher.environment = environment
        watcher.standardOutput = try output.handle()
        watcher.standardError = try errors.handle()
        try watcher.run()
        return watcher
    }

    /// A Python stand-in for a daemon (a script given `socket` as its argument), for what a
    /// real daemon never sends; returns once it listens.
    static func startStandIn(_ script: String, socket: String) throws -> Process {
        let fake = Process()
        fake.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        fake.arguments = ["-c", script, socket]
        fake.standardError = FileHandle.nullDevice
        try fake.run()
        try waitFor { FileManager.default.fileExists(atPath: socket) }
        return fake
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds; records an issue if it never holds.
    static func waitFor(timeout: TimeInterval = 30, _ condition: () throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return }
            usleep(20_000)
        }
        Issue.record("timed out waiting", sourceLocation: sourceLocation)
    }

    /// The single integer a query returns, or -1.
    static func count(_ sql: String, in database: String) throws -> Int {
        try CLITest.database(database).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// The test's own connection to a daemon's database, waiting for locks as the daemon does:
    /// a daemon starting after a SIGKILL recovers the WAL under an exclusive lock, and a read
    /// without a timeout failed with "database is locked" (seen once in a fresh-clone run).
    static func database(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
