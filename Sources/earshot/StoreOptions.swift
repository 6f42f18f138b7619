import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// The `--db` option every command that touches the database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The database file (default: $EARSHOT_DB, else $XDG_DATA_HOME/earshot/earshot.sqlite).",
        valueName: "path"))
    var db: String?

    var paths: EarshotPaths {
        EarshotPaths(databaseFlag: db, environment: ProcessInfo.processInfo.environment)
    }

    /// The configuration files read in order, and the service over the database with them.
    func loadService() throws -> (InboxService, EarshotConfig) {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConfigLoader.load(files: ConfigLoader.files(environment: environment, userFile: paths.configFile))
        let inbox = try SQLiteInboxStore(path: paths.database)
        var service = InboxService(store: inbox, clock: SystemClock(), policy: config.assignment, sla: config.sla)
        service.delivery = config.delivery
        return (service, config)
    }
}

/// An error whose message is already written for a person; printed as `Error: <message>`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
