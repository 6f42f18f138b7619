import EarshotCore
import EarshotStore
import Foundation
import Synchronization

/// `earshot serve`: the one process that owns the database. Every TUI and CLI command on the
/// box connects to its Unix socket; the kernel tells it who each client is (SO_PEERCRED).
///
/// Threads: one accepts; each client has a reader (requests are handled in order) and a
/// writer draining a bounded queue, so a client that stops reading is dropped without
/// blocking anyone else; a broadcaster pushes every new event of the log to every client.
public final class DaemonServer: Sendable {
    public let service: InboxService
    public let socketPath: String
    let log: @Sendable (String) -> Void

    /// What the accept thread, the sessions and `stop` share.
    private struct State {
        var sessions: [ObjectIdentifier: ClientSession] = [:]
        /// Open connections per Unix user, for `limits.connectionsPerUser`.
        var perUser: [uid_t: Int] = [:]
        /// The most connections at once: the descriptor limit less a reserve (set by `start`).
        var connectionLimit = Int.max
        /// A descriptor kept open to be given up when the table is full, so a connection can
        /// still be accepted and told why it is refused instead of waiting in the backlog.
        var reserveDescriptor: Int32 = -1
        var listener: UnixSocket?
        var running = false
        /// False under socket activation: systemd owns the socket file.
        var ownsSocketFile = true
    }
    private let state = Mutex(State())

    /// Set before `start` (tests and `earshot serve`).
    private struct Settings {
        var deliverer: OutboxDeliverer?
        var pollInterval: TimeInterval = 0.05
        var limits = ConnectionLimits()
    }
    private let settings = Mutex(Settings())

    let presence = PresenceBoard()
    /// Delivers the outbox; woken when a client queues a reply.
    public var deliverer: OutboxDeliverer? {
        get { settings.withLock { $0.deliverer } }
        set { settings.withLock { $0.deliverer = newValue } }
    }
    /// How often the broadcaster looks at the event log for other processes' writes (this
    /// process's commits wake it at once).
    public var pollInterval: TimeInterval {
        get { settings.withLock { $0.pollInterval } }
        set { settings.withLock { $0.pollInterval = newValue } }
    }
    /// Per-user cap and hello timeout.
    public var limits: ConnectionLimits {
        get { settings.withLock { $0.limits } }
        set { settings.withLock { $0.limits = newValue } }
    }
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
        let lastEvent = try service.store.read { try $0.latestEventID()?.rawValue ?? 0 }
        state.withLock { state in
            state.listener = listener
            state.running = true
            state.ownsSocketFile = inherited == nil
            state.connectionLimit = ConnectionLimits.total(forDescriptorLimit: DescriptorLimit.current)
            state.reserveDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        Thread.detachNewThread { [self] in acceptLoop(listener) }
        Thread.detachNewThread { [self] in broadcastLoop(after: Int64(lastEvent)) }
        service.store.onBroadcast { [weak self] note in self?.receive(note: note) }
        log(inherited == nil ? "listening on \(socketPath)" : "listening on the socket systemd passed in")
    }

    public func stop() {
        let (listener, sessions) = state.withLock { state -> (UnixSocket?, [ClientSession]) in
            state.running = false
            defer { state.sessions.removeAll() }
            return (state.listener, Array(state.sessions.values))
        }
        listener?.close()
        for session in sessions { session.close() }
        state.withLock { state in
            if state.reserveDescriptor >= 0 { Glibc.close(state.reserveDescriptor) }
            state.reserveDescriptor = -1
        }
        if state.withLock({ $0.ownsSocketFile }) { unlink(socketPath) }
        service.store.commits.signal()  // the broadcaster sees it should stop, not at its next look
    }

    var isRunning: Bool { state.withLock { $0.running } }

    /// Clients connected now.
    var clientCount: Int { state.withLock { $0.sessions.count } }

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
            let perUserCap = limits.connectionsPerUser
            let refusal = state.withLock { state -> InboxError? in
                if state.sessions.count >= state.connectionLimit { return InboxError(.full, Self.fullMessage) }
                if let uid, state.perUser[uid, default: 0] >= perUserCap {
                    return InboxError(.tooManyConnections, Self.tooManyMessage(uid, cap: perUserCap))
                }
                state.sessions[ObjectIdentifier(session)] = session
                if let uid { state.perUser[uid, default: 0] += 1 }
                return nil
            }
            if let refusal {
                quietLog.note(refusal.code.rawValue, "refused a connection from \(uid.map { loginName(of: $0) ?? "uid \($0)" } ?? "an unknown user"): \(refusal.message)")
                Self.refuse(socket, refusal)
                continue
            }
            session.start()
        }
    }

    static let fullMessage = "the earshot daemon has as many connections as it can hold; try again in a moment, and tell an admin (docs/admin.md#connections)"

    private static func tooManyMessage(_ uid: uid_t, cap: Int) -> String {
        "\(loginName(of: uid) ?? "uid \(uid)") already has \(cap) connections to the earshot daemon, the most one user may have: close some (other earshot sessions, watchers, scripts) and try again; an admin can raise [daemon] connections_per_user (docs/config.md)"
    }

    /// Out of descriptors: frees the reserve to accept one waiting connection and tell it so,
    /// rather than leave it hanging in the backlog. False when even that fails.
    private func refuseWithReserve(_ listener: UnixSocket) -> Bool {
        let reserve = state.withLock { state -> Int32 in
            defer { state.reserveDescriptor = -1 }
            return state.reserveDescriptor
        }
        guard reserve >= 0 else { return false }
        Glibc.close(reserve)
        defer { state.withLock { $0.reserveDescriptor = open("/dev/null", O_RDONLY | O_CLOEXEC) } }
        guard let socket = try? listener.accept() else { return false }
        quietLog.note("full", "refused a connection: out of file descriptors (limit \(DescriptorLimit.current))")
        Self.refuse(socket, InboxError(.full, Self.fullMessage))
        return true
    }

    /// Tells a connection why it is refused (one error line, as after a failed hello) and closes it.
    private static func refuse(_ socket: UnixSocket, _ refusal: InboxError) {
        try? socket.setTimeout(0.5)  // a fresh socket's buffer takes the line at once; never wait on it
        if let line = try? WireProtocol.line(ErrorMessage(error: refusal)) { try? socket.write(line) }
        socket.close()
    }

    func forget(_ session: ClientSession) {
        state.withLock { state in
            guard state.sessions.removeValue(forKey: ObjectIdentifier(session)) != nil, let uid = session.uid else { return }
            state.perUser[uid, default: 1] -= 1
            if state.perUser[uid] == 0 { state.perUser[uid] = nil }
        }
        if let conversation = presence.clear(ObjectIdentifier(session)) { announcePresence(in: [conversation]) }
    }

    /// Tells every client who is now viewing or composing in these conversations, and the other
    /// daemons sharing the database what this one's clients are doing there.
    func announcePresence(in conversations: [ConversationID]) {
        for conversation in conversations {
            let note = PresenceNote(daemon: service.store.instance, conversation: conversation,
                                    people: presence.people(in: conversation, localOnly: true))
            if let text = try? String(decoding: JSONEncoder().encode(note), as: UTF8.self) { try? service.store.broadcast(text) }
        }
        pushPresence(in: conversations)
    }

    /// Another daemon's note: its clients' places, shown to this one's clients.
    func receive(note text: String) {
        guard let note = try? JSONDecoder().decode(PresenceNote.self, from: Data(text.utf8)),
              note.daemon != service.store.instance else { return }
        presence.setRemote(note.daemon, conversation: note.conversation, people: note.people)
        pushPresence(in: [note.conversation])
    }

    /// Forgets the people of daemons that have gone (their clients left with them).
    func forgetGoneDaemons() {
        for daemon in presence.remoteDaemons where !((try? service.store.isRunning(daemon)) ?? true) {
            pushPresence(in: presence.forgetRemote(daemon))
        }
    }

    private func pushPresence(in conversations: [ConversationID]) {
        let targets = state.withLock { Array($0.sessions.values) }
        for conversation in conversations {
            let update = PresenceUpdate(conversation: conversation, people: presence.people(in: conversation))
            guard let message = try? WireProtocol.line(PresenceMessage(presence: update)) else { continue }
            for session in targets where session.isIdentified { session.send(message) }
        }
    }

    /// Pushes each new event of the log to every identified client, in order.
    private func broadcastLoop(after start: Int64) {
        var last = EventID(start)
        let interval = pollInterval
        var lastPrune = Date()
        while isRunning {
            if Date().timeIntervalSince(lastPrune) > 5 {
                lastPrune = Date()
                forgetGoneDaemons()
            }
            let events = (try? service.store.read { try $0.events(after: last, limit: 1_000) }) ?? []
            if let newest = events.last { last = newest.id }
            if !events.isEmpty {
                let targets = state.withLock { Array($0.sessions.values) }
                for event in events {
                    guard let message = try? WireProtocol.line(EventMessage(event: ReadClipping.event(event))) else { continue }
                    for session in targets where session.isIdentified { session.send(message) }
                }
            }
            // Woken by this process's next commit; the interval catches other processes' writes.
            if events.count < 1_000 { service.store.commits.wait(seconds: interval) }
        }
    }
}
