import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// The `--db` option every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database: a file, or postgres://USER@HOST[:PORT]/DB (default: $EARSHOT_DB, else `store` in config.toml, "
            + "else $XDG_DATA_HOME/earshot/earshot.sqlite).",
        valueName: "path|url"))
    var db: String?

    var paths: EarshotPaths {
        EarshotPaths(databaseFlag: db, environment: ProcessInfo.processInfo.environment)
    }

    /// The configuration files, read in order.
    func loadConfig() throws -> EarshotConfig {
        let environment = ProcessInfo.processInfo.environment
        return try ConfigLoader.load(files: ConfigLoader.files(environment: environment, userFile: paths.configFile))
    }

    /// Where the inbox lives: `--db`, then EARSHOT_DB, then `store` in config.toml, then the
    /// default file. `readingPassword: false` leaves the password unread (to print where).
    func location(config: EarshotConfig, readingPassword: Bool = true) throws -> StoreLocation {
        let paths = paths
        let chosen = paths.databaseSource == .flag || paths.databaseSource == .environment ? paths.database
            : config.store.map { $0.hasPrefix("~/") ? NSHomeDirectory() + $0.dropFirst() : $0 } ?? paths.database
        guard PostgresLocation.isPostgresURL(chosen) else { return .sqlite(chosen) }
        do {
            if !readingPassword {
                var environment = ProcessInfo.processInfo.environment
                (environment["PGPASSFILE"], environment["HOME"]) = (nil, nil)
                return .postgres(try PostgresLocation(url: chosen, environment: environment))
            }
            return .postgres(try PostgresLocation(url: chosen, passwordFile: config.storePasswordFile))
        } catch let problem as PostgresLocation.Problem {
            throw CommandFailure(problem.description)
        }
    }

    /// The store, migrated to this version's schema.
    func openStore(config: EarshotConfig) throws -> any InboxStore {
        switch try location(config: config) {
        case let .sqlite(path): return try SQLiteInboxStore(path: path)
        case let .postgres(location): return try PostgresInboxStore(location: location)
        }
    }

    /// The configuration files read in order, and the service over the database with them.
    func loadService() throws -> (InboxService, EarshotConfig) {
        let config = try loadConfig()
        let inbox = try openStore(config: config)
        var service = InboxService(store: inbox, clock: SystemClock(), policy: config.assignment, sla: config.sla)
        service.delivery = config.delivery
        return (service, config)
    }
}

/// The two kinds of inbox: one SQLite file on one box, or a PostgreSQL database several
/// daemons share (docs/scale-out.md).
enum StoreLocation: CustomStringConvertible {
    case sqlite(String)
    case postgres(PostgresLocation)

    /// The file's path or the URL without its password.
    var description: String {
        switch self {
        case let .sqlite(path): path
        case let .postgres(location): location.description
        }
    }
}

/// An error whose message is already written for a person; printed as `Error: <message>`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
