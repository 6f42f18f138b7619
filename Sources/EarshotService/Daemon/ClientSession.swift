import EarshotCore
import Foundation
import Synchronization

/// One connected client: its identity (from the kernel), its reader and its writer.
final class ClientSession: Sendable {
    /// Thread-safe for one reader and one writer.
    let socket: UnixSocket
    /// Strong: a session's threads may still be finishing a request after the server was
    /// stopped and let go of (tests do this); the server lives until its last session closes,
    /// and `server.forget(self)` on close breaks the cycle.
    let server: DaemonServer
    private struct State {
        var outbox: [[UInt8]] = []
        var outboxBytes = 0
        var closed = false
        /// The connection ends once what is queued has been written (a final error).
        var closing = false
        var login: String?
    }
    private let state = Mutex(State())
    /// Signalled whenever the writer has something to do (a message queued, closing, closed).
    private let ready = DispatchSemaphore(value: 0)
    /// The Unix user on the other end (SO_PEERCRED at accept), for the per-user cap.
    let uid: uid_t?
    /// A client further behind than this is dropped rather than slowing the daemon.
    static let outboxLimit = 4 << 20
    /// The most bytes a request's `id` may take as JSON.
    static let idLimit = 1_024

    init(socket: UnixSocket, server: DaemonServer, uid: uid_t? = nil) {
        self.socket = socket
        self.server = server
        self.uid = uid
    }

    var isIdentified: Bool { state.withLock { $0.login != nil && !$0.closed } }

    func start() {
        Thread.detachNewThread { [self] in readLoop() }
        Thread.detachNewThread { [self] in writeLoop() }
        // Unidentified connections hold a descriptor each and cost nothing to open: they get a few seconds.
        let timeout = server.limits.helloTimeoutSeconds
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(timeout)) { [weak self] in self?.dropIfUnidentified(after: timeout) }
    }

    private func dropIfUnidentified(after seconds: Int) {
        guard state.withLock({ $0.login == nil && !$0.closed }) else { return }
        server.quietLog.note("hello_timeout", "dropped a connection that sent no hello within \(seconds) s")
        sendError(.helloTimeout, "no hello within \(seconds) seconds: the first message must be {\"hello\": {\"protocol\": \(WireProtocol.version)}}")
        finish()
    }

    /// Queues a message; never blocks. A client whose queue overflows is disconnected.
    func send(_ message: [UInt8]) {
        enum Outcome { case queued, closed, overflow(String) }
        let outcome = state.withLock { state -> Outcome in
            guard !state.closed else { return .closed }
            if state.outboxBytes + message.count > Self.outboxLimit { return .overflow(state.login ?? "unidentified") }
            state.outbox.append(message)
            state.outboxBytes += message.count
            return .queued
        }
        switch outcome {
        case .queued: ready.signal()
        case .closed: break
        case let .overflow(who):
            server.log("dropping a client that stopped reading (\(who))")
            close()
        }
    }

    /// Queues an error about the connection (not about one request).
    private func sendError(_ code: InboxError.Code, _ message: String, details: InboxError.Details = .init()) {
        sendError(InboxError(code, message, details: details))
    }

    private func sendError(_ error: InboxError) {
        send(RequestDispatcher.error(nil, error))
    }

    func close() {
        let wasOpen = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        guard wasOpen else { return }
        // Forgotten before the socket closes: once the client sees the end, the server no
        // longer counts the connection (against the per-user cap, or in its client count).
        server.forget(self)
        socket.close()
        ready.signal()
    }

    /// Ends the connection after the queued messages are written, so a final error reaches the client.
    func finish() {
        state.withLock { $0.closing = true }
        ready.signal()
    }

    private func writeLoop() {
        while true {
            let (batch, end) = state.withLock { state -> ([[UInt8]], Bool) in
                if state.closed || (state.outbox.isEmpty && state.closing) { return ([], true) }
                defer {
                    state.outbox.removeAll()
                    state.outboxBytes = 0
                }
                return (state.outbox, false)
            }
            if end {
                close()
                return
            }
            if batch.isEmpty {
                ready.wait()
                continue
            }
            do {
                for message in batch { try socket.write(message) }
            } catch {
                close()
                return
            }
        }
    }

    private func readLoop() {
        var framer = MessageFramer()
        defer { finish() }
        while true {
            guard let bytes = try? socket.read(), !bytes.isEmpty else { return }
            for output in framer.feed(bytes) {
                // A dropped client's remaining requests (a read can hold hundreds) are not served:
                // the work would be wasted, and would outlive a server that is stopping.
                guard !state.withLock({ $0.closed }) else { return }
                switch output {
                case .tooLong:
                    sendError(.tooLarge, "a message is over \(WireProtocol.maximumMessageBytes) bytes")
                    return
                case let .message(line):
                    if !handle(line) { return }
                }
            }
        }
    }

    /// Handles one message; false ends the connection.
    private func handle(_ line: [UInt8]) -> Bool {
        guard let login = state.withLock({ $0.login }) else { return hello(line) }
        guard let head = try? WireProtocol.decode(RequestHead.self, line) else {
            sendError(.malformed, "not a request: a JSON object with \"id\" (a number or string), \"method\" and \"params\" (docs/protocol.md)")
            return true
        }
        guard let id = head.id, let method = head.method else {
            sendError(.malformed, "a request needs \"id\" and \"method\"")
            return true
        }
        // Every answer echoes the id, so it must stay small for answers to fit a message.
        guard id.size <= Self.idLimit else {
            sendError(.malformed, "a request's \"id\" is over \(Self.idLimit) bytes; use a number")
            return true
        }
        send(RequestDispatcher(context: context(for: login)).answer(id: id, method: method, line: line))
        return true
    }

    /// What the requests of this connection may know of it: who else is where, and its own place.
    private func context(for login: String) -> RequestContext {
        var context = RequestContext(service: server.service, login: login)
        let session = ObjectIdentifier(self)
        context.outboxChanged = { [weak server] in server?.deliverer?.wake() }
        context.othersPresent = { [weak server] in server?.presence.people(in: $0, excluding: session) ?? [] }
        context.everyonePresent = { [weak server] in server?.presence.people(in: $0) ?? [] }
        context.place = { [weak server] conversation, state in
            guard let server else { return }
            let changed = server.presence.set(session, login: login, conversation: conversation, state: state)
            if !changed.isEmpty { server.announcePresence(in: changed) }
        }
        return context
    }

    /// The first message: the protocol version. Identity comes from the kernel, not from it.
    private func hello(_ line: [UInt8]) -> Bool {
        guard let hello = try? WireProtocol.decode(HelloMessage.self, line).hello else {
            sendError(.helloExpected, "the first message must be {\"hello\": {\"protocol\": \(WireProtocol.version)}}")
            return false
        }
        guard hello.protocol == WireProtocol.version else {
            sendError(.version,
                "this daemon speaks protocol \(WireProtocol.version), the client protocol \(hello.protocol): use the earshot that matches the daemon",
                details: .init(daemonProtocol: WireProtocol.version, clientProtocol: hello.protocol))
            return false
        }
        guard let peer = try? socket.peer(), let name = loginName(of: peer.uid) else {
            sendError(.unknownUser, "cannot tell which Unix user this is")
            return false
        }
        guard let responder = try? server.service.store.read({ try $0.responder(login: name) }), responder.removedAt == nil else {
            sendError(InboxError(.notAResponder(login: name)))
            return false
        }
        // The hello is queued before the session counts as identified, so no pushed event overtakes it.
        let welcome = WelcomeMessage(hello: .init(
            protocol: WireProtocol.version, login: responder.login, name: responder.displayName, role: responder.role))
        guard let message = try? WireProtocol.line(welcome) else { return false }
        send(message)
        state.withLock { $0.login = name }
        return true
    }
}
