import EarshotStore
import Foundation

/// Where Earshot keeps its files, following the XDG base directory rules.
/// Precedence for the database: `--db` flag, then `EARSHOT_DB`, then
/// `$XDG_DATA_HOME/earshot/earshot.sqlite` (default `~/.local/share/earshot/earshot.sqlite`).
public struct EarshotPaths: Sendable, Equatable {
    /// Which rule chose the database path, so `earshot db path --explain` can say.
    public enum DatabaseSource: String, Sendable, Equatable {
        case flag = "--db"
        case environment = "EARSHOT_DB"
        case xdgDataHome = "XDG_DATA_HOME"
        case home = "HOME"
    }

    /// A SQLite file's path, or a postgres:// URL given by --db or EARSHOT_DB.
    public var database: String
    public var databaseSource: DatabaseSource
    /// Where files of this user's Earshot live beside a SQLite database (live accounts' sessions):
    /// the database's folder, or the default data folder when the database is PostgreSQL.
    public var dataDirectory: String
    /// `$XDG_CONFIG_HOME/earshot/config.toml` (default `~/.config/earshot/config.toml`).
    public var configFile: String

    public init(databaseFlag: String?, environment: [String: String]) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        if let flag = databaseFlag, !flag.isEmpty {
            database = Self.absolute(flag, environment: environment)
            databaseSource = .flag
        } else if let fromEnvironment = environment["EARSHOT_DB"], !fromEnvironment.isEmpty {
            database = Self.absolute(fromEnvironment, environment: environment)
            databaseSource = .environment
        } else if let dataHome = Self.xdgDirectory("XDG_DATA_HOME", environment) {
            database = dataHome + "/earshot/earshot.sqlite"
            databaseSource = .xdgDataHome
        } else {
            database = home + "/.local/share/earshot/earshot.sqlite"
            databaseSource = .home
        }
        dataDirectory = PostgresLocation.isPostgresURL(database)
            ? (Self.xdgDirectory("XDG_DATA_HOME", environment) ?? home + "/.local/share") + "/earshot"
            : (database as NSString).deletingLastPathComponent
        let configHome = Self.xdgDirectory("XDG_CONFIG_HOME", environment) ?? home + "/.config"
        configFile = configHome + "/earshot/config.toml"
    }

    /// XDG says relative values are invalid and must be ignored.
    private static func xdgDirectory(_ name: String, _ environment: [String: String]) -> String? {
        guard let value = environment[name], value.hasPrefix("/") else { return nil }
        return value.hasSuffix("/") && value.count > 1 ? String(value.dropLast()) : value
    }

    private static func absolute(_ path: String, environment: [String: String]) -> String {
        if path.hasPrefix("/") || PostgresLocation.isPostgresURL(path) { return path }
        if path.hasPrefix("~/"), let home = environment["HOME"] { return home + path.dropFirst() }
        let cwd = FileManager.default.currentDirectoryPath
        return (cwd as NSString).appendingPathComponent(path)
    }
}
