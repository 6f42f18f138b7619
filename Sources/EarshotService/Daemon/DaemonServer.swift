import EarshotCore
import EarshotStore
import Foundation

/// `earshot serve`: the one process that owns the database. Every TUI and CLI command on the
/// box connects to its Unix socket; the kernel tells it who each client is (SO_PEERCRED).
///
/// Threads: one accepts; each client has a reader (requests are handled in order) and a
/// writer draining a bounded queue, so a client that stops reading is dropped without
/// blocking anyone else; a broadcaster pushes every new event of the log to every client.
public final class DaemonServer: @unchecked Sendable {
    // @unchecked: mutable state (`sessions`, `running`) is only touched under `lock`.
    public let service: InboxService
    public let socketPath: String
    let log: @Sendable (String) -> Void
    private let lock = NSLock()
    private var sessions: [ObjectIdentifier: ClientSession] = [:]
    /// Open connections per Unix user, for `limits.connectionsPerUser`.
    private var perUser: [uid_t: Int] = [:]
    /// The most connections at once: the descriptor limit less a reserve (set by `start`).
    private var connectionLimit = Int.max
    /// A descriptor kept open to be given up when the table is full, so a connection can still
    /// be accepted and told why it is refused instead of waiting in the backlog.
    private var reserveDescriptor: Int32 = -1
    private var listener: UnixSocket?
    private var running = false
    /// False under socket activation: systemd owns the socket file.
    private var ownsSocketFile = true
    let presence = PresenceBoard()
    /// Delivers the outbox; woken when a client queues a reply. Set before `start`.
    public var deliverer: OutboxDeliverer?
    /// How often the broadcaster looks at the event log.
    public var pollInterval: TimeInterval = 0.05
    /// Per-user cap and hello timeout. Set before `start`.
    public var limits = ConnectionLimits()
    /// Refusals and dropped connections: logged, but not once per connection.
    let quietLog: RateLimitedLog

    public init(service: InboxService, socketPath: String, log: @escaping @Sendable (String) -> Void) {
        self.service = service
        self.socketPath = socketPath
        self.log = log
        quietLog = RateLimitedLog(log: log)
    }

    /// Listens on `socketPath`, or on a socket systemd passed in (socket activation).
    public func start(inherited: UnixSocket? = nil) throws {
        let listener = try inherited ?? UnixSocket.listen(at: socketPath)
        let lastEvent = try service.store.read { try $0.counts().events }
        lock.withLock {
            self.listener = listener
            running = true
            ownsSocketFile = inherited == nil
            connectionLimit = ConnectionLimits.total(forDescriptorLimit: DescriptorLimit.current)
            reserveDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        Thread.detachNewThread { [self] in acceptLoop(listener) }
        Thread.detachNewThread { [self] in broadcastLoop(after: Int64(lastEvent)) }
        log(inherited == nil ? "listening on \(socketPath)" : "listening on the socket systemd passed in")
    }

    public func stop() {
        let (listener, sessions) = lock.withLock { () -> (UnixSocket?, [ClientSession]) in
            running = false
            defer { self.sessions.removeAll() }
            return (self.listener, Array(self.sessions.values))
        }
        listener?.close()
        for session in sessions { session.close() }
        lock.withLock {
            if reserveDescriptor >= 0 { Glibc.close(reserveDescriptor) }
            reserveDescriptor = -1
        }
        if lock.withLock({ ownsSocketFile }) { unlink(socketPath) }
    }

    var isRunning: Bool { lock.withLock { running } }

    /// Clients connected now.
    var clientCount: Int { lock.withLock { sessions.count } }

    private func acceptLoop(_ listener: UnixSocket) {
        while isRunning {
            let socket: UnixSocket
            do {
                socket = try listener.accept()
            } catch let failure as UnixSocket.Failure {
                guard isRunning else { return }
                if [EBADF, ENOTSOCK, EINVAL].contains(failure.code) {
                    // Not a listening socket (a broken hand-over): nothing will ever connect.
                    log("cannot accept connections (\(failure)); stopping")
                    stop()
                    exit(1)
                }
                if [EMFILE, ENFILE].contains(failure.code), refuseWithReserve(listener) { continue }
                // Out of memory, or the whole system out of descriptors: wait a little rather than spin.
                quietLog.note("accept", "accept failed (\(failure)); retrying")
                Thread.sleep(forTimeInterval: 0.1)
                continue
            } catch {
                continue
            }
            let uid = try? socket.peer().uid
            let session = ClientSession(socket: socket, server: self, uid: uid)
            let refusal = lock.withLock { () -> (code: String, message: String)? in
                if sessions.count >= connectionLimit { return ("full", Self.fullMessage) }
                if let uid, perUser[uid, default: 0] >= limits.connectionsPerUser { return ("too_many_connections", tooManyMessage(uid)) }
                sessions[ObjectIdentifier(session)] = session
                if let uid { perUser[uid, default: 0] += 1 }
                return nil
            }
            if let refusal {
                quietLog.note(refusal.code, "refused a connection from \(uid.map { loginName(of: $0) ?? "uid \($0)" } ?? "an unknown user"): \(refusal.message)")
                Self.refuse(socket, code: refusal.code, message: refusal.message)
                continue
            }
            session.start()
        }
    }

    static let fullMessage = "the earshot daemon has as many connections as it can hold; try again in a moment, and tell an admin (docs/admin.md#connections)"

    private func tooManyMessage(_ uid: uid_t) -> String {
        "\(loginName(of: uid) ?? "uid \(uid)") already has \(limits.connectionsPerUser) connections to the earshot daemon, the most one user may have: close some (other earshot sessions, watchers, scripts) and try again; an admin can raise [daemon] connections_per_user (docs/config.md)"
    }

    /// Out of descriptors: frees the reserve to accept one waiting connection and tell it so,
    /// rather than leave it hanging in the backlog. False when even that fails.
    private func refuseWithReserve(_ listener: UnixSocket) -> Bool {
        let reserve = lock.withLock { () -> Int32 in
            defer { reserveDescriptor = -1 }
            return reserveDescriptor
        }
        guard reserve >= 0 else { return false }
        Glibc.close(reserve)
        defer { lock.withLock { reserveDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC) } }
        guard let socket = try? listener.accept() else { return false }
        quietLog.note("full", "refused a connection: out of file descriptors (limit \(DescriptorLimit.current))")
        Self.refuse(socket, code: "full", message: Self.fullMessage)
        return true
    }

    /// Tells a connection why it is refused (one error line, as after a failed hello) and closes it.
    private static func refuse(_ socket: UnixSocket, code: String, message: String) {
        try? socket.setTimeout(0.5)  // a fresh socket's buffer takes the line at once; never wait on it
        try? socket.write(WireProtocol.encode(["error": ["code": code, "message": message]]))
        socket.close()
    }

    func forget(_ session: ClientSession) {
        lock.withLock {
            guard sessions.removeValue(forKey: ObjectIdentifier(session)) != nil, let uid = session.uid else { return }
            perUser[uid, default: 1] -= 1
            if perUser[uid] == 0 { perUser[uid] = nil }
        }
        if let conversation = presence.clear(ObjectIdentifier(session)) { announcePresence(in: [conversation]) }
    }

    /// Tells every client who is now viewing or composing in these conversations.
    func announcePresence(in conversations: [Int64]) {
        let targets = lock.withLock { Array(sessions.values) }
        for conversation in conversations {
            let message = WireProtocol.encode(PresenceBoard.message(conversation: conversation, people: presence.people(in: conversation)))
            for session in targets where session.isIdentified { session.send(message) }
        }
    }

    /// Pushes each new event of the log to every identified client, in order.
    private func broadcastLoop(after start: Int64) {
        var last = EventID(start)
        while isRunning {
            let events = (try? service.store.read { try $0.events(after: last, limit: 1_000) }) ?? []
            if let newest = events.last { last = newest.id }
            if !events.isEmpty {
                let targets = lock.withLock { Array(sessions.values) }
                for event in events {
                    let message = WireProtocol.encode(["event": Self.describe(event)])
                    for session in targets where session.isIdentified { session.send(message) }
                }
            }
            if events.count < 1_000 { Thread.sleep(forTimeInterval: pollInterval) }
        }
    }

    static func describe(_ event: Event) -> [String: Any] {
        var object: [String: Any] = [
            "id": event.id.rawValue, "kind": event.kind.rawValue, "actor": event.actor.description, "at": event.at.iso8601,
            "detail": ReadClipping.event(event).detail,
        ]
        if let conversation = event.conversationID { object["conversation"] = conversation.rawValue }
        return object
    }
}
