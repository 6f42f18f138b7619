import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// A few PostgreSQL connections for the store's synchronous transactions. The store's callers
/// are threads of their own (request handlers, the clock, delivery lanes, the accounts'
/// executor), never NIO's event loops, so a caller waits for its statement's future; at most
/// `size` transactions run at once and the rest wait for a connection. A connection the server
/// closed is dropped and a new one opened on the next use, so a restarted PostgreSQL costs the
/// transactions that were running then, not the daemon.
final class PostgresConnectionPool: Sendable {
    let location: PostgresLocation
    private let configuration: PostgresConnection.Configuration
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore
    private let nextID = Atomic<Int>(1)
    private let closed = Atomic<Bool>(false)
    private let logger = Logger(label: "earshot.postgres")

    init(location: PostgresLocation, size: Int) throws {
        self.location = location
        configuration = try Self.configuration(for: location)
        slots = DispatchSemaphore(value: size)
    }

    /// Runs `body` on a connection of the pool; waits while all are busy.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        slots.wait()
        defer { slots.signal() }
        // A connection the server closed meanwhile (a restart) is left behind, not handed out.
        let connection = try idle.withLock { idle -> PostgresConnection? in
            while let candidate = idle.popLast() { if !candidate.isClosed { return candidate } }
            return nil
        } ?? open()
        do {
            let result = try body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// A new connection outside the pool (the commit listener keeps one of its own).
    func open() throws -> PostgresConnection {
        guard !closed.load(ordering: .acquiring) else {
            throw PostgresFailure(StoreError.conflict("this daemon has closed its PostgreSQL store"), location: location)
        }
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                id: nextID.add(1, ordering: .relaxed).oldValue, logger: logger
            ).wait()
        } catch {
            throw PostgresFailure(error, location: location)
        }
    }

    private func release(_ connection: PostgresConnection) {
        if connection.isClosed { return }
        // One still busy as the pool closed is closed when its transaction ends.
        let kept = idle.withLock { idle in
            guard !closed.load(ordering: .acquiring) else { return false }
            idle.append(connection)
            return true
        }
        if !kept { try? connection.close().wait() }
    }

    /// Closes the idle connections; later work fails instead of opening new ones.
    func close() {
        let connections = idle.withLock { all in
            closed.store(true, ordering: .releasing)
            defer { all.removeAll() }
            return all
        }
        for connection in connections { try? connection.close().wait() }
    }

    /// TLS as libpq's sslmode means it: prefer tries TLS and falls back, require insists without
    /// checking the certificate, verify-ca checks the chain, verify-full the host name as well.
    static func configuration(for location: PostgresLocation) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        func context(_ verification: CertificateVerification) throws -> NIOSSLContext {
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = verification
            return try NIOSSLContext(configuration: settings)
        }
        switch location.sslMode {
        case .disable: tls = .disable
        case .allow, .prefer: tls = .prefer(try context(.none))
        case .require: tls = .require(try context(.none))
        case .verifyCA: tls = .require(try context(.noHostnameVerification))
        case .verifyFull: tls = .require(try context(.fullVerification))
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

/// A PostgreSQL failure as a person reads it: the server's own message and SQLSTATE, or why
/// the server could not be reached. Never the password, never the bound values.
public struct PostgresFailure: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// The SQLSTATE, when the server answered (23505: a unique constraint, 40P01: a deadlock).
    public let sqlState: String?
    /// True when the server could not be reached or the connection broke: worth trying again.
    public let isConnectionLost: Bool

    init(_ error: any Error, location: PostgresLocation) {
        if let failure = error as? PostgresFailure { self = failure; return }
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo {
                sqlState = info[.sqlState]
                isConnectionLost = false
                let detail = info[.detail].map { " (\($0))" } ?? ""
                description = "PostgreSQL at \(location): \(info[.message] ?? "error")\(detail) [SQLSTATE \(sqlState ?? "?")]"
                return
            }
            sqlState = nil
            isConnectionLost = psql.code == .connectionError || psql.code == .serverClosedConnection || psql.code == .clientClosedConnection
            let cause = psql.underlying.map { "\($0)" } ?? "\(psql.code)"
            description = "PostgreSQL at \(location) cannot be reached (\(cause)): check that the server runs "
                + "and accepts this user; the daemon tries again"
            return
        }
        sqlState = nil
        isConnectionLost = true
        description = "PostgreSQL at \(location): \(error)"
    }
}
