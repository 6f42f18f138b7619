import ArgumentParser
import EarshotStore
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create, inspect and locate the database.",
        subcommands: [Init.self, Check.self, Path.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database, or bring an existing one up to this version's schema.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let location = try store.location(config: store.loadConfig())
            guard case let .sqlite(path) = location else {
                guard case let .postgres(postgres) = location else { return }
                let before = try PostgresInboxStore(inspecting: postgres).appliedMigrations()
                let applied = try PostgresInboxStore(location: postgres, listen: false).appliedMigrations().filter { !before.contains($0) }
                print(applied.isEmpty ? "\(postgres) is up to date (schema \(before.last ?? "?"))"
                      : "\(before.isEmpty ? "created the schema in" : "upgraded") \(postgres): applied \(applied.joined(separator: ", "))")
                return
            }
            let existed = FileManager.default.fileExists(atPath: path)
            let before = existed ? try SQLiteInboxStore(inspecting: path).appliedMigrations() : []
            let opened = try SQLiteInboxStore(path: path, mode: .createIfMissing)
            let applied = try opened.appliedMigrations().filter { !before.contains($0) }
            if !existed {
                print("created \(path) (schema \(applied.last ?? "?"), mode 0600)")
            } else if applied.isEmpty {
                print("\(path) is up to date (schema \(before.last ?? "?"))")
            } else {
                print("upgraded \(path): applied \(applied.joined(separator: ", "))")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the database: integrity, foreign keys, schema version, file mode; print row counts.",
            discussion: "Exits 0 when everything holds, 1 when a problem was found.")

        @OptionGroup var store: StoreOptions

        func run() throws {
            let location = try store.location(config: store.loadConfig())
            guard case let .sqlite(path) = location else {
                guard case let .postgres(postgres) = location else { return }
                try checkPostgres(postgres)
                return
            }
            let opened = try SQLiteInboxStore(inspecting: path)
            var problems = try opened.integrityCheck()
            let applied = try opened.appliedMigrations()
            let known = SQLiteInboxStore.knownMigrations
            let pending = known.filter { !applied.contains($0) }
            let unknown = applied.filter { !known.contains($0) }
            if !pending.isEmpty {
                problems.append("schema is behind: run `earshot db init` to apply \(pending.joined(separator: ", "))")
            }
            if !unknown.isEmpty {
                problems.append("schema is newer than this earshot (\(unknown.joined(separator: ", "))): upgrade earshot")
            }
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0
            if mode & 0o077 != 0 {
                problems.append(String(format: "file mode is %04o; others can read customer data: chmod 600 %@", mode, path))
            }
            print("database  \(SafeOutput.field(path))")
            print("schema    \(applied.last ?? "none")\(pending.isEmpty ? "" : " (\(pending.count) pending)")")
            if pending.isEmpty && unknown.isEmpty && problems.isEmpty {
                Self.printCounts(try opened.read { try $0.counts() })
            }
            if problems.isEmpty {
                print("ok")
            } else {
                for problem in problems { print("problem: \(SafeOutput.field(problem))") }
                throw ExitCode.failure
            }
        }

        /// PostgreSQL keeps its own integrity and file modes; what Earshot checks is the schema.
        func checkPostgres(_ location: PostgresLocation) throws {
            let opened = try PostgresInboxStore(inspecting: location)
            let applied = try opened.appliedMigrations()
            let known = PostgresInboxStore.knownMigrations
            let pending = known.filter { !applied.contains($0) }
            let unknown = applied.filter { !known.contains($0) }
            var problems: [String] = []
            if !pending.isEmpty { problems.append("schema is behind: run `earshot db init` to apply \(pending.joined(separator: ", "))") }
            if !unknown.isEmpty { problems.append("schema is newer than this earshot (\(unknown.joined(separator: ", "))): upgrade earshot") }
            print("database  \(SafeOutput.field(location.description))")
            print("schema    \(applied.last ?? "none")\(pending.isEmpty ? "" : " (\(pending.count) pending)")")
            if pending.isEmpty && unknown.isEmpty { Self.printCounts(try opened.read { try $0.counts() }) }
            if problems.isEmpty {
                print("ok")
            } else {
                for problem in problems { print("problem: \(SafeOutput.field(problem))") }
                throw ExitCode.failure
            }
        }

        static func printCounts(_ counts: StoreCounts) {
            do {
                let rows: [(String, Int)] = [
                    ("channels", counts.channels), ("customers", counts.customers), ("mentions", counts.mentions),
                    ("conversations", counts.conversations), ("responders", counts.responders),
                    ("replies", counts.replies), ("brand posts", counts.brandPosts), ("notes", counts.notes), ("events", counts.events),
                ]
                for (name, count) in rows {
                    print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(count))
                }
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the database path in use.")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Also say which setting chose it.")
        var explain = false

        func run() throws {
            let paths = store.paths
            let config = try store.loadConfig()
            let location = try store.location(config: config)
            let fromConfig = config.store != nil && paths.databaseSource != .flag && paths.databaseSource != .environment
            if explain {
                print("\(location)\t(from \(fromConfig ? "store in config.toml" : paths.databaseSource.rawValue))")
            } else {
                print(location)
            }
        }
    }
}
