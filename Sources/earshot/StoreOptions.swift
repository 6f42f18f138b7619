import ArgumentParser
import EarshotService
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
}

/// An error whose message is already written for a person; printed as `Error: <message>`.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
