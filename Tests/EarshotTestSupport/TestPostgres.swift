import EarshotStore
import Foundation
import Synchronization

/// The PostgreSQL server of the tests: the throwaway cluster scripts/with-postgres.sh starts for
/// `make test` (EARSHOT_TEST_POSTGRES), or none when EARSHOT_NO_POSTGRES=1, and then the tests
/// that need one are skipped, saying so. Each test gets an empty database of its own.
public enum TestPostgres {
    public static let skipReason = "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"

    /// False only when the PostgreSQL tests are switched off on purpose.
    public static var isEnabled: Bool {
        let enabled = ProcessInfo.processInfo.environment["EARSHOT_NO_POSTGRES"] != "1"
        if !enabled { reportSkipOnce() }
        return enabled
    }

    public struct NoServer: Error, CustomStringConvertible {
        public var description: String {
            "no PostgreSQL server for the tests: run them through `make test` (scripts/with-postgres.sh starts one), "
                + "or set EARSHOT_TEST_POSTGRES=postgres://USER@HOST:PORT/DB, or EARSHOT_NO_POSTGRES=1 to skip them"
        }
    }

    /// The server's URL.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["EARSHOT_TEST_POSTGRES"], !url.isEmpty else { throw NoServer() }
        return url
    }

    private static let counter = Atomic<Int>(0)

    /// A new database on the test server holding the whole schema and no rows: a copy of a
    /// template migrated once per test process (a copy costs a fraction of migrating).
    public static func freshDatabase(_ purpose: String = "t") throws -> PostgresLocation {
        let server = try PostgresLocation(url: try serverURL())
        let name = "earshot_\(purpose)_\(getpid())_\(counter.add(1, ordering: .relaxed).newValue)_\(UInt32.random(in: 0...UInt32.max))"
        try PostgresInboxStore.createDatabase(name, on: server, template: try template(on: server))
        return server.database(name)
    }

    private static let templateName = Mutex<String?>(nil)

    private static func template(on server: PostgresLocation) throws -> String {
        try templateName.withLock { made in
            if let made { return made }
            let name = "earshot_template_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
            try PostgresInboxStore.createDatabase(name, on: server)
            let store = try PostgresInboxStore(location: server.database(name), connections: 2, listen: false)
            store.close()
            made = name
            return name
        }
    }

    /// The URL of a new, empty database, for a `store =` setting or `--store`.
    public static func freshDatabaseURL(_ purpose: String = "t") throws -> String {
        let location = try freshDatabase(purpose)
        return "postgres://\(location.user)@\(location.host):\(location.port)/\(location.database)?sslmode=disable"
    }

    private static let reported = Atomic<Bool>(false)
    private static func reportSkipOnce() {
        if !reported.exchange(true, ordering: .relaxed) { FileHandle.standardError.write(Data((skipReason + "\n").utf8)) }
    }
}
