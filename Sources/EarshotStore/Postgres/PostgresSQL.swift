import Foundation
import GRDB
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One transaction's statements on a PostgreSQL connection, written as the SQLite session writes
/// them: `?` placeholders, arguments as database values, rows back as GRDB `Row`s read by column
/// name, so the store's row decoding serves both stores.
struct PostgresSQL {
    typealias Argument = (any DatabaseValueConvertible)?

    let connection: PostgresConnection
    let location: PostgresLocation
    private static let logger = Logger(label: "earshot.postgres")

    /// The rows of a query, each by column name.
    func rows(_ sql: String, _ arguments: [Argument] = []) throws -> [Row] {
        let collected = RowCollector()
        _ = try run(sql, arguments) { row in collected.add(Self.values(row)) }
        return collected.values.map { Row($0) }
    }

    func row(_ sql: String, _ arguments: [Argument] = []) throws -> Row? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row.
    func value<T: DatabaseValueConvertible>(_ sql: String, _ arguments: [Argument] = []) throws -> T? {
        guard let row = try row(sql, arguments), !row.isEmpty else { return nil }
        return row[0]
    }

    /// Runs a statement; how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [Argument] = []) throws -> Int {
        try run(sql, arguments) { _ in }.rows ?? 0
    }

    /// Commits; a transaction that a failed statement had already aborted answers COMMIT with
    /// ROLLBACK, which is an error here, never a silent loss.
    func commit() throws {
        let metadata = try run("COMMIT", []) { _ in }
        guard metadata.command == "COMMIT" else {
            throw PostgresFailure(StoreError.conflict("the transaction was rolled back: a statement in it had failed"), location: location)
        }
    }

    /// Streams the rows of a large read (the statistics pass) without holding them all.
    func forEach(_ sql: String, _ arguments: [Argument] = [], _ body: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        _ = try run(sql, arguments, body)
    }

    /// Sends statements one after another without waiting between them (the connection keeps
    /// their order), then waits for all: one round trip instead of one each. For statements
    /// whose rows nobody reads; the first failure is thrown.
    func executePipelined(_ statements: [(sql: String, arguments: [Argument])]) throws {
        try requireOpen()
        let futures = try statements.map { statement in
            connection.query(try Self.query(statement.sql, statement.arguments), logger: Self.logger) { _ in }
        }
        var failure: (any Error)?
        for future in futures {
            do { _ = try future.wait() } catch { failure = failure ?? error }
        }
        if let failure { throw PostgresFailure(failure, location: location) }
    }

    private func run(_ sql: String, _ arguments: [Argument], _ onRow: @escaping @Sendable (PostgresRow) throws -> Void) throws -> PostgresQueryMetadata {
        let query = try Self.query(sql, arguments)
        try requireOpen()
        do {
            return try connection.query(query, logger: Self.logger, onRow).wait()
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }

    /// postgres-nio never answers a query sent on a connection that has closed: fail at once.
    private func requireOpen() throws {
        guard connection.isClosed else { return }
        throw PostgresFailure(ClosedConnection(), location: location)
    }

    private struct ClosedConnection: Error, CustomStringConvertible {
        var description: String { "the connection is closed; the daemon opens a new one" }
    }

    private static func query(_ sql: String, _ arguments: [Argument]) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch (argument?.databaseValue ?? .null).storage {
            case .null: binds.appendNull()
            case let .int64(value): try binds.append(value)
            case let .double(value): try binds.append(value)
            case let .string(value): try binds.append(value)
            case let .blob(value): try binds.append(ByteBuffer(bytes: value))
            }
        }
        return PostgresQuery(unsafeSQL: numbered(sql), binds: binds)
    }

    /// A PostgreSQL row's values by column name, for a GRDB row: integers as Int64, text as
    /// String, NULL as NULL.
    static func values(_ row: PostgresRow) -> [String: DatabaseValue] {
        var values: [String: DatabaseValue] = [:]
        for cell in row {
            values[cell.columnName] = value(of: cell)
        }
        return values
    }

    static func value(of cell: PostgresCell) -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2:
            return (try? cell.decode(Int64.self)).map { $0.databaseValue } ?? .null
        case .float8, .float4, .numeric:
            return (try? cell.decode(Double.self)).map { $0.databaseValue } ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { ($0 ? 1 : 0 as Int64).databaseValue } ?? .null
        default:
            return (try? cell.decode(String.self)).map { $0.databaseValue } ?? .null
        }
    }

    /// A script's statements, one each: the driver sends one statement per query. Splits at
    /// semicolons outside quotes and outside `$$` function bodies; `--` comments are dropped.
    static func statements(_ script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quoted = false
        var dollarQuoted = false
        var previous: Character = " "
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.trimmingCharacters(in: .whitespaces).hasPrefix("--") ? "" : line
        }
        for character in lines.joined(separator: "\n") {
            if character == "'" && !dollarQuoted { quoted.toggle() }
            if character == "$" && previous == "$" && !quoted { dollarQuoted.toggle() }
            if character == ";" && !quoted && !dollarQuoted {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    private static let numberedCache = Mutex<[String: String]>([:])

    /// `?` placeholders as PostgreSQL's `$1, $2…`, leaving quoted text alone.
    static func numbered(_ sql: String) -> String {
        if let cached = numberedCache.withLock({ $0[sql] }) { return cached }
        var out = ""
        var index = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?" && !quoted {
                index += 1
                out += "$\(index)"
            } else {
                out.append(character)
            }
        }
        numberedCache.withLock { $0[sql] = out }
        return out
    }
}

/// Rows gathered on the event loop for the waiting caller.
private final class RowCollector: Sendable {
    private let collected = Mutex<[[String: DatabaseValue]]>([])
    func add(_ row: [String: DatabaseValue]) { collected.withLock { $0.append(row) } }
    var values: [[String: DatabaseValue]] { collected.withLock { $0 } }
}
