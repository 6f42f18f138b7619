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
        sendError("hello_timeout", "no hello within \(seconds) seconds: the first message must be {\"hello\": {\"protocol\": \(WireProtocol.version)}}")
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

    /// Queues an error: about a request when `id` is given, else about the connection.
    private func sendError(_ code: String, _ message: String, id: Any? = nil) {
        var object: [String: Any] = ["error": ["code": code, "message": message]]
        if let id { object["id"] = id }
        send(WireProtocol.encode(object))
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
                    sendError("too_large", "a message is over \(WireProtocol.maximumMessageBytes) bytes")
                    return
                case let .message(line):
                    if !handle(line) { return }
                }
            }
        }
    }

    /// Handles one message; false ends the connection.
    private func handle(_ line: [UInt8]) -> Bool {
        let message: [String: Any]
        do {
            message = try WireProtocol.decode(line)
        } catch {
            sendError("malformed", "\(error)")
            return true
        }
        guard let login = state.withLock({ $0.login }) else { return hello(message) }
        guard let id = message["id"], let method = message["method"] as? String else {
            sendError("malformed", "a request needs \"id\" and \"method\"")
            return true
        }
        // Every answer echoes the id, so it must stay small for answers to fit a message.
        guard ResponseBudget.size(of: id) <= Self.idLimit else {
            sendError("malformed", "a request's \"id\" is over \(Self.idLimit) bytes; use a number")
            return true
        }
        guard let params = (message["params"] ?? [String: Any]()) as? [String: Any] else {
            sendError("bad_request", "\"params\" must be an object", id: id)
            return true
        }
        if method.hasPrefix("presence.") {
            handlePresence(method, params, id: id, login: login)
            return true
        }
        var handler = RequestHandler(service: server.service, login: login)
        handler.outboxChanged = { [weak server] in server?.deliverer?.wake() }
        handler.presence = { [weak server, session = ObjectIdentifier(self)] conversation in
            (server?.presence.people(in: conversation.rawValue, excluding: session) ?? [])
                .map { PresenceEntry(login: $0.login, state: $0.state.rawValue) }
        }
        do {
            respond(id: id, method: method, try handler.handle(method: method, params: params))
        } catch let error as ServiceError {
            sendError(RequestHandler.code(for: error), error.description, id: id)
        } catch let error as RequestHandler.RequestError {
            sendError(error.code, error.message, id: id)
        } catch {
            sendError("internal", "\(error)", id: id)
        }
        return true
    }

    /// Sends a result, with `"partial": true` when it was cut to fit. An answer still over the
    /// client's limit is refused with `too_large` rather than sent: the client could not read it.
    private func respond(id: Any, method: String, _ result: Any) {
        var response: [String: Any] = ["id": id, "result": result]
        if let partial = result as? ResponseBudget.Partial {
            response = ["id": id, "result": partial.result, "partial": true]
        }
        let encoded = WireProtocol.encode(response)
        guard encoded.count > WireProtocol.maximumMessageBytes else { return send(encoded) }
        let error: [String: Any] = ["code": "too_large", "message":
            "the answer to \(ServiceError.quoted(method)) is \(encoded.count) bytes, over the \(WireProtocol.maximumMessageBytes)-byte message limit; ask for less (a smaller limit)"]
        send(WireProtocol.encode(["id": id, "error": error]))
    }

    /// `presence.set {conversation, state: viewing|composing|none}` and `presence.get {conversation}`.
    /// With `none` the conversation may be left out: the client is nowhere now.
    private func handlePresence(_ method: String, _ params: [String: Any], id: Any, login: String) {
        let request = RequestParams(method: method, values: params)
        let conversation: Int64?
        let stateName: String
        do {
            conversation = try request.integer("conversation", "a conversation id (a whole number above 0)")
            stateName = try request.string("state", "viewing, composing or none") ?? ""
        } catch {
            let error = error as? RequestHandler.RequestError ?? .init(code: "internal", message: "\(error)")
            sendError(error.code, error.message, id: id)
            return
        }
        switch method {
        case "presence.set":
            let state = PresenceBoard.State(rawValue: stateName)
            guard stateName == "none" || (state != nil && conversation != nil) else {
                sendError("bad_request", "presence.set needs \"conversation\" and \"state\": viewing, composing or none", id: id)
                return
            }
            let changed = server.presence.set(
                ObjectIdentifier(self), login: login, conversation: state == nil ? nil : conversation, state: state)
            send(WireProtocol.encode(["id": id, "result": ["ok": true]]))
            let announce = changed.isEmpty ? conversation.map { [$0] } ?? [] : changed
            if !announce.isEmpty { server.announcePresence(in: announce) }
        case "presence.get":
            guard let conversation else {
                sendError("bad_request", "presence.get needs \"conversation\"", id: id)
                return
            }
            let people = server.presence.people(in: conversation).map { ["login": $0.login, "state": $0.state.rawValue] }
            send(WireProtocol.encode(["id": id, "result": people]))
        default:
            sendError("unknown_method", "no method \"\(ServiceError.quoted(method))\"; see docs/protocol.md", id: id)
        }
    }

    /// The first message: the protocol version. Identity comes from the kernel, not from it.
    private func hello(_ message: [String: Any]) -> Bool {
        guard let hello = message["hello"] as? [String: Any], let number = hello["protocol"] as? NSNumber,
              !RequestParams.isBoolean(number), let version = Int(exactly: number.doubleValue)
        else {
            sendError("hello_expected", "the first message must be {\"hello\": {\"protocol\": \(WireProtocol.version)}}")
            return false
        }
        guard version == WireProtocol.version else {
            sendError("version", "this daemon speaks protocol \(WireProtocol.version), the client \(version): use the earshot that matches the daemon")
            return false
        }
        guard let peer = try? socket.peer(), let name = loginName(of: peer.uid) else {
            sendError("unknown_user", "cannot tell which Unix user this is")
            return false
        }
        guard let responder = try? server.service.store.read({ try $0.responder(login: name) }), responder.removedAt == nil else {
            sendError("not_a_responder", ServiceError.notAResponder(login: name).description)
            return false
        }
        // The hello is queued before the session counts as identified, so no pushed event overtakes it.
        send(WireProtocol.encode(["hello": [
            "protocol": WireProtocol.version, "login": responder.login, "name": responder.displayName, "role": responder.role.rawValue,
        ]]))
        state.withLock { $0.login = name }
        return true
    }
}
