import EarshotCore
import Foundation
import TOMLKit

/// Everything `config.toml` sets (docs/config.md). Later files override earlier ones key by key.
public struct EarshotConfig: Equatable, Sendable {
    public var assignment = AssignmentPolicy()
    public var sla = SLAPolicy()
    public var delivery = DeliveryPolicy()
    public var daemon = ConnectionLimits()
    /// `[[account]]`: live platform accounts (docs/accounts.md).
    public var accounts: [AccountSettings] = []
    /// `store = "postgres://…"` (or a SQLite file's path): where the inbox lives when neither
    /// `--db` nor EARSHOT_DB says (docs/scale-out.md).
    public var store: String?
    /// `store_password_file`: the PostgreSQL password, in a file only the daemon reads.
    public var storePasswordFile: String?

    public init() {}
}

/// A configuration problem, located as `FILE:LINE:` when the line is known.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let message: String

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}

/// Reads `config.toml` files: `/etc/earshot/config.toml`, then the user's
/// (`$XDG_CONFIG_HOME/earshot/config.toml`, or `EARSHOT_CONFIG`). Missing files are skipped.
public enum ConfigLoader {
    /// Section name, then key name, then the function that applies it.
    typealias Apply = @Sendable (inout EarshotConfig, TOMLValueConvertible, String) throws -> Void

    static let keys: [String: [String: Apply]] = [
        "assignment": [
            "routing": { config, value, where_ in
                config.assignment.routing = try choice(value, where_, RoutingPolicy.self)
            },
            "sticky": { config, value, where_ in config.assignment.sticky = try bool(value, where_) },
            "on_offline": { config, value, where_ in
                config.assignment.onOffline = try choice(value, where_, OfflinePolicy.self)
            },
            "idle_away_minutes": { config, value, where_ in
                config.assignment.idleAwayMinutes = try minutes(value, where_)
            },
            "return_to_queue_minutes": { config, value, where_ in
                config.assignment.returnToQueueMinutes = try minutes(value, where_)
            },
            "anyone_can_assign": { config, value, where_ in config.assignment.anyoneCanAssign = try bool(value, where_) },
        ],
        "daemon": [
            "connections_per_user": { config, value, where_ in
                config.daemon.connectionsPerUser = try seconds(value, where_, minimum: 1, unit: "connections")
            },
            "hello_timeout_seconds": { config, value, where_ in config.daemon.helloTimeoutSeconds = try seconds(value, where_, minimum: 1) },
        ],
        "delivery": [
            "command": { config, value, where_ in config.delivery.command = try argv(value, where_) },
            "undo_seconds": { config, value, where_ in config.delivery.undoSeconds = try seconds(value, where_, minimum: 0) },
            "max_attempts": { config, value, where_ in config.delivery.maxAttempts = try seconds(value, where_, minimum: 1, unit: "attempts") },
            "retry_base_seconds": { config, value, where_ in config.delivery.retryBaseSeconds = try seconds(value, where_, minimum: 1) },
            "retry_max_seconds": { config, value, where_ in config.delivery.retryMaxSeconds = try seconds(value, where_, minimum: 1) },
            "timeout_seconds": { config, value, where_ in config.delivery.timeoutSeconds = try seconds(value, where_, minimum: 1) },
        ],
    ]

    /// The files to read, in order, for this environment.
    public static func files(environment: [String: String], userFile: String) -> [String] {
        ["/etc/earshot/config.toml", environment["EARSHOT_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? userFile]
    }

    public static func load(files: [String]) throws -> EarshotConfig {
        var config = EarshotConfig()
        for file in files where FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: file, line: nil, message: "cannot be read as UTF-8 text")
            }
            try apply(text, from: file, to: &config)
        }
        return config
    }

    public static func apply(_ text: String, from file: String, to config: inout EarshotConfig) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(file: file, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        }
        for section in table.keys.sorted() {
            let line = lineOf(section: section, key: nil, in: text)
            let sections = (keys.keys + ["sla", "business_hours", "account"]).sorted()
            if section == "store" || section == "store_password_file" {
                // Top-level keys, before any [section].
                guard let value = table[section]?.string, !value.isEmpty else {
                    throw ConfigError(file: file, line: line, message: "\(section) must be a string: \(section) = \"postgres://USER@HOST/DATABASE\"")
                }
                if section == "store" { config.store = value } else { config.storePasswordFile = value }
                continue
            }
            if section == "account" {
                try applyAccounts(table[section]!, file: file, text: text, to: &config)
                continue
            }
            guard let values = table[section]?.table else {
                throw ConfigError(file: file, line: line, message: "\(section) must be a [\(section)] table; known: \(sections.joined(separator: ", "))")
            }
            if section == "sla" {
                try applySLA(values, file: file, text: text, to: &config)
                continue
            }
            if section == "business_hours" {
                try applyBusinessHours(values, file: file, text: text, to: &config)
                continue
            }
            guard let known = keys[section] else {
                throw ConfigError(file: file, line: line, message: "unknown section [\(section)]; known: \(sections.joined(separator: ", "))")
            }
            for key in values.keys.sorted() {
                let keyLine = lineOf(section: section, key: key, in: text)
                guard let apply = known[key] else {
                    throw ConfigError(
                        file: file, line: keyLine,
                        message: "unknown key \(key) in [\(section)]; known: \(known.keys.sorted().joined(separator: ", "))")
                }
                do {
                    try apply(&config, values[key]!, "\(section).\(key)")
                } catch let message as ValueProblem {
                    throw ConfigError(file: file, line: keyLine, message: message.text)
                }
            }
        }
    }

    struct ValueProblem: Error { let text: String }

    static func bool(_ value: TOMLValueConvertible, _ name: String) throws -> Bool {
        guard let bool = value.bool else { throw ValueProblem(text: "\(name) must be true or false") }
        return bool
    }

    static func minutes(_ value: TOMLValueConvertible, _ name: String) throws -> Int {
        guard let number = value.int, number >= 0 else {
            throw ValueProblem(text: "\(name) must be a whole number of minutes, 0 or more (0 turns it off)")
        }
        return number
    }

    static func seconds(_ value: TOMLValueConvertible, _ name: String, minimum: Int, unit: String = "seconds") throws -> Int {
        guard let number = value.int, number >= minimum else {
            throw ValueProblem(text: "\(name) must be a whole number of \(unit), \(minimum) or more")
        }
        return number
    }

    /// A command as argv: a non-empty array of strings, run without a shell.
    static func argv(_ value: TOMLValueConvertible, _ name: String) throws -> [String] {
        guard let array = value.array, !array.isEmpty else {
            throw ValueProblem(text: "\(name) must be a non-empty array of strings, e.g. [\"/usr/local/bin/post-reply\", \"--channel\", \"x\"] (no shell runs it)")
        }
        var words: [String] = []
        for element in array {
            guard let word = element.string else { throw ValueProblem(text: "\(name) must hold only strings") }
            words.append(word)
        }
        guard !words[0].isEmpty else { throw ValueProblem(text: "\(name) must start with the program to run") }
        return words
    }

    static func choice<E: RawRepresentable & CaseIterable>(_ value: TOMLValueConvertible, _ name: String, _: E.Type) throws -> E
    where E.RawValue == String {
        let options = E.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = value.string, let parsed = E(rawValue: text) else {
            throw ValueProblem(text: "\(name) must be one of \(options)")
        }
        return parsed
    }

    /// The 1-based line of `[section]` or of `key =` inside it, for messages; nil if not found.
    static func lineOf(section: String, key: String?, in text: String) -> Int? {
        var inSection = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                inSection = line.hasPrefix("[\(section)]")
                if inSection && key == nil { return index + 1 }
                continue
            }
            if inSection, let key, line.hasPrefix(key),
               line.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                return index + 1
            }
        }
        return nil
    }
}
