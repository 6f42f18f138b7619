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
    private var listener: UnixSocket?
    private var running = false
    /// False under socket activation: systemd owns the socket file.
    private var ownsSocketFile = true
    let presence = PresenceBoard()
    /// Delivers the outbox; woken when a client queues a reply. Set before `start`.
    public var deliverer: OutboxDeliverer?
    /// How often the broadcaster looks at the event log.
    public var pollInterval: TimeInterval = 0.05

    public init(service: InboxService, socketPath: String, log: @escaping @Sendable (String) -> Void) {
        self.service = service
        self.socketPath = socketPath
        self.log = log
    }

    /// Listens on `socketPath`, or on a socket systemd passed in (socket activation).
    public func start(inherited: UnixSocket? = nil) throws {
        let listener = try inherited ?? UnixSocket.listen(at: socketPath)
        let lastEvent = try service.store.read { try $0.counts().events }
        lock.withLock {
            self.listener = listener
            running = true
            ownsSocketFile = inherited == nil
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
                // Out of descriptors or memory: wait a little rather than spin.
                log("accept failed (\(failure)); retrying")
                Thread.sleep(forTimeInterval: 0.1)
                continue
            } catch {
                continue
            }
            let session = ClientSession(socket: socket, server: self)
            lock.withLock { sessions[ObjectIdentifier(session)] = session }
            session.start()
        }
    }

    func forget(_ session: ClientSession) {
        _ = lock.withLock { sessions.removeValue(forKey: ObjectIdentifier(session)) }
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
            "detail": event.detail,
        ]
        if let conversation = event.conversationID { object["conversation"] = conversation.rawValue }
        return object
    }
}
