import Foundation

/// Where a PostgreSQL store lives, from `store = "postgres://user@host:port/db?sslmode=..."`, read
/// as libpq reads such a URL. The password comes from a file (`password_file`), else from
/// `PGPASSFILE` or `~/.pgpass` as libpq looks it up; one written into the URL is refused, so
/// that it cannot reach config files others read, logs or `ps`.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values Earshot honours. `verify-full` is the default of a serious
    /// deployment over a network; loopback and Unix sockets need no TLS.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    /// Never printed: `description` leaves it out.
    public var password: String?

    /// The URL without the password: what logs, errors and `earshot db` print.
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Whether a `store` setting names PostgreSQL rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `url`; the password from `passwordFile` when given, else from the pass file.
    public init(url: String, passwordFile: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(url), let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw Problem(description: "store \"\(Self.redacted(url))\" is not a PostgreSQL URL: write postgres://USER@HOST[:PORT]/DATABASE")
        }
        if components.password != nil {
            throw Problem(description: "store \(Self.redacted(url)) carries a password: remove it and put it in password_file "
                          + "(mode 0600) or in PGPASSFILE / ~/.pgpass")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        let options = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        for name in options.keys where name != "sslmode" {
            throw Problem(description: "store \(Self.redacted(url)): unknown option \(name); Earshot reads sslmode only")
        }
        let modeText = options["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw Problem(description: "store \(Self.redacted(url)): sslmode \(modeText) is not one of "
                          + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        sslMode = mode
        if let passwordFile {
            password = try Self.readPasswordFile(passwordFile)
        } else {
            password = try Self.passFileEntry(host: host, port: port, database: database, user: user, environment: environment)
        }
    }

    /// The same server and credentials, another database (tests make one each; `db copy` checks targets).
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "postgres://…"
    }

    /// A password file must be the daemon's alone, as a token file must.
    static func readPasswordFile(_ path: String) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Problem(description: "password_file \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        if status.st_mode & 0o077 != 0 {
            throw Problem(description: "password_file \(path) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))): "
                          + "run chmod 600 \(path)")
        }
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else {
            throw Problem(description: "password_file \(path) cannot be read as UTF-8 text")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// libpq's pass file: `host:port:database:user:password` lines, `*` matching anything, the
    /// first match winning; ignored (as libpq does) when group- or world-readable.
    static func passFileEntry(host: String, port: Int, database: String, user: String, environment: [String: String]) throws -> String? {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, FileManager.default.fileExists(atPath: path) else { return nil }
        var status = stat()
        if stat(path, &status) == 0, status.st_mode & 0o077 != 0 {
            throw Problem(description: "pass file \(path) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8))): "
                          + "run chmod 600 \(path)")
        }
        guard let text = FileManager.default.contents(atPath: path).flatMap({ String(data: $0, encoding: .utf8) }) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = passFileFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// Splits at unescaped colons; `\:` and `\\` stand for themselves.
    private static func passFileFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped { current.append(character); escaped = false }
            else if character == "\\" { escaped = true }
            else if character == ":" { fields.append(current); current = "" }
            else { current.append(character) }
        }
        fields.append(current)
        return fields
    }
}
