import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Create, inspect and locate the database.",
        subcommands: [Init.self, Check.self, Path.self, Copy.self]
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
            let location = try store.location(config: config, readingPassword: false)
            let fromConfig = config.store != nil && paths.databaseSource != .flag && paths.databaseSource != .environment
            if explain {
                print("\(location)\t(from \(fromConfig ? "store in config.toml" : paths.databaseSource.rawValue))")
            } else {
                print(location)
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the whole inbox, with its history, into another database (SQLite to PostgreSQL or back).",
            discussion: """
                The source is the database in use (--db, EARSHOT_DB, `store` in config.toml). The target is a \
                file or a postgres:// URL; it must be empty (a new file, or a database with no inbox in it). \
                Stop the daemons first: rows written during the copy would be missed. After copying, the row \
                counts and the statistics report (every grouping) of both are compared; any difference is \
                printed and the command exits 1. See docs/scale-out.md.
                """)

        @OptionGroup var store: StoreOptions

        @Option(help: ArgumentHelp("The target: a new SQLite file, or postgres://USER@HOST[:PORT]/DB.", valueName: "path|url"))
        var to: String

        @Option(name: .customLong("to-password-file"), help: ArgumentHelp(
            "The target PostgreSQL password, in a file of mode 0600 (else PGPASSFILE or ~/.pgpass).", valueName: "path"))
        var toPasswordFile: String?

        func run() throws {
            let config = try store.loadConfig()
            let sourceLocation = try store.location(config: config)
            let source: any InboxStore = switch sourceLocation {
            case let .sqlite(path): try SQLiteInboxStore(path: path, mode: .mustExist)
            case let .postgres(location): try PostgresInboxStore(location: location, listen: false)
            }
            let target: any InboxStore
            let targetName: String
            if PostgresLocation.isPostgresURL(to) {
                let location: PostgresLocation
                do { location = try PostgresLocation(url: to, passwordFile: toPasswordFile) } catch let problem as PostgresLocation.Problem {
                    throw CommandFailure(problem.description)
                }
                target = try PostgresInboxStore(location: location, listen: false)
                targetName = location.description
            } else {
                let path = to.hasPrefix("/") ? to : FileManager.default.currentDirectoryPath + "/" + to
                if FileManager.default.fileExists(atPath: path) {
                    throw CommandFailure("\(path) exists; copying writes a new file only: give a path that does not exist")
                }
                target = try SQLiteInboxStore(path: path, mode: .createIfMissing)
                targetName = path
            }
            print("copying \(SafeOutput.field(sourceLocation.description)) to \(SafeOutput.field(targetName))")
            do {
                try StoreCopy.copy(from: source, to: target) { table, rows in
                    if rows % 50_000 == 0 { print("  \(table): \(rows) rows…") }
                }
            } catch let refusal as StoreCopy.Refusal {
                throw CommandFailure(refusal.description)
            }
            let differences = try Self.compare(source, target, sla: config.sla)
            let counts = try target.read { try $0.counts() }
            print("copied \(counts.conversations) conversations, \(counts.mentions) mentions, \(counts.replies) replies, \(counts.events) events")
            if differences.isEmpty {
                print("verified: row counts and the statistics report (by responder, channel, hour and day) are the same in both")
            } else {
                for difference in differences { print("problem: \(difference)") }
                throw ExitCode.failure
            }
        }

        /// What differs between the two inboxes: each table's rows, and each grouping's report.
        static func compare(_ source: any InboxStore, _ target: any InboxStore, sla: SLAPolicy) throws -> [String] {
            var differences: [String] = []
            let (before, after) = (try source.read { try $0.counts() }, try target.read { try $0.counts() })
            if before != after { differences.append("row counts differ: source \(before), target \(after)") }
            let clock = SystemClock()
            for grouping in StatsGrouping.allCases {
                let expected = try StatsEngine(store: source, sla: sla, clock: clock).report(grouping: grouping)
                let copied = try StatsEngine(store: target, sla: sla, clock: clock).report(grouping: grouping)
                if expected != copied { differences.append("the statistics report by \(grouping.rawValue) differs") }
            }
            return differences
        }
    }
}
