import EarshotCore
import Foundation
import Synchronization

/// A client's connection to the daemon: hello, then requests answered in order; events the
/// daemon pushes meanwhile are kept for whoever wants them (the TUI), in arrival order.
/// One request at a time: a second caller waits for the first's answer.
public final class DaemonConnection: Sendable {
    let socket: UnixSocket
    public let login: String
    public let role: ResponderRole

    /// What arrived and is not yet taken, and the request numbering.
    private struct State {
        var reader = MessageReader()
        var nextID: Int64 = 1
        /// Events received while waiting for answers.
        var events: [Event] = []
        /// Presence updates received while waiting for answers.
        var presenceUpdates: [PresenceUpdate] = []
        /// Whether the last answer was cut to fit one message (`"partial": true`).
        var lastWasPartial = false
        /// Set when pushed events were lost (over `pushedLimit`, or unreadable) since the last take.
        var droppedPushes = false

        mutating func keep(_ event: Event) {
            if events.count >= DaemonConnection.pushedLimit { events.removeFirst(events.count - DaemonConnection.pushedLimit + 1) }
            events.append(event)
        }

        mutating func keep(_ update: PresenceUpdate) {
            if presenceUpdates.count >= DaemonConnection.pushedLimit { presenceUpdates.removeFirst() }
            presenceUpdates.append(update)
        }
    }
    private let state: Mutex<State>

    /// The most pushed messages kept; older ones are dropped.
    static let pushedLimit = 10_000

    /// How long connecting and the hello may take: a daemon that accepts but never answers is down.
    public static let helloTimeout: TimeInterval = 10

    /// Connects and says hello. Throws `UnixSocket.Failure` when nobody listens at `path`
    /// (EAGAIN: no answer within `helloTimeout`), `SocketTrust.Refusal` when the daemon runs as
    /// someone `trust` does not expect (checked before anything is sent), and `InboxError` when
    /// the daemon refuses (not a responder, another protocol version, full).
    public init(path: String, trust: SocketTrust? = nil) throws {
        socket = try UnixSocket.connect(to: path, timeout: Self.helloTimeout)
        if let trust { try trust.checkPeer(uid: try socket.peer().uid) }
        // A daemon that refuses the connection (full, too many) writes why and closes at once,
        // so the hello may not go through while the refusal is already there to be read.
        let helloFailure: Error?
        do {
            try socket.write(WireProtocol.line(HelloMessage(hello: .init(protocol: WireProtocol.version, client: "earshot"))))
            helloFailure = nil
        } catch {
            helloFailure = error
        }
        var reader = MessageReader()
        var message: MessageReader.Incoming
        do {
            repeat { message = try reader.next(from: socket) } while message.head?.event != nil || message.head?.presence != nil
        } catch let closed as InboxError where closed.code == .closed {
            throw helloFailure ?? closed
        }
        try socket.setTimeout(nil)  // after the hello, waiting for events is normal
        if let error = message.head?.error { throw error }
        guard let welcome = message.head?.hello else {
            throw InboxError(.protocol, "the daemon did not answer the hello")
        }
        login = welcome.login
        role = welcome.role
        state = Mutex(State(reader: reader))
    }

    /// Sends a request and waits for its answer (one message; see `RemoteInbox` for answers cut
    /// to fit). Pushed events and presence that arrive meanwhile are kept.
    public func call<Request: InboxRequest>(_ request: Request) throws(InboxError) -> (response: Request.Response, partial: Bool) {
        do {
            return try state.withLock { state in try Self.call(request, on: socket, &state) }
        } catch let error as InboxError {
            throw error
        } catch {
            throw InboxError(.closed, "the daemon went away (\(error))")
        }
    }

    private static func call<Request: InboxRequest>(
        _ request: Request, on socket: UnixSocket, _ state: inout State
    ) throws -> (response: Request.Response, partial: Bool) {
        let id = RequestID.number(state.nextID)
        state.nextID += 1
        try socket.write(WireProtocol.line(RequestMessage(id: id, request: request)))
        while true {
            let message = try state.reader.next(from: socket)
            guard let head = message.head else {
                // A pushed message is not the answer: wait on. Otherwise it may have been ours;
                // either way the connection is at the next message again, and a late answer to
                // this request is skipped by its id.
                if message.pushed { continue }
                throw InboxError(.unreadable, "the daemon's answer to \(Request.method) could not be read (\(message.problem)); try again")
            }
            if let event = head.event {
                state.keep(event)
                continue
            }
            if let update = head.presence {
                state.keep(update)
                continue
            }
            guard head.id == id else {
                // An error without an id is about the connection; one with another id answers
                // an earlier request that already gave up.
                if head.id == nil, let error = head.error { throw error }
                continue
            }
            if let error = head.error { throw error }
            do {
                let answer = try WireProtocol.decode(ResponseMessage<Request.Response>.self, message.line)
                return (answer.result, answer.partial == true)
            } catch {
                throw InboxError(.unreadable, "the daemon's answer to \(Request.method) is not what this client expects (\(error)); is it the same earshot version?")
            }
        }
    }

    /// Waits for the next pushed event (for live clients and tests). A message that cannot be
    /// read throws `unreadable`; the connection is still good for the next one.
    public func nextEvent() throws -> Event {
        try state.withLock { state in
            if !state.events.isEmpty { return state.events.removeFirst() }
            while true {
                let message = try state.reader.next(from: socket)
                guard let head = message.head else {
                    throw InboxError(.unreadable, "skipped a message from the daemon that could not be read (\(message.problem))")
                }
                if let event = head.event { return event }
                if let update = head.presence { state.keep(update) }
            }
        }
    }

    /// Waits for the next presence update.
    public func nextPresence() throws -> PresenceUpdate {
        try state.withLock { state in
            if !state.presenceUpdates.isEmpty { return state.presenceUpdates.removeFirst() }
            while true {
                let message = try state.reader.next(from: socket)
                if let update = message.head?.presence { return update }
                if let event = message.head?.event { state.keep(event) }
            }
        }
    }

    public func close() { socket.close() }

    /// The events the daemon has pushed so far, read without waiting: whatever is in the
    /// socket now is read and sorted (presence kept for `nextPresence`). `complete` is false
    /// when some were lost (more arrived than are kept, or one could not be read): the caller
    /// reads the log instead.
    public func takePushedEvents() throws -> (events: [Event], complete: Bool) {
        try state.withLock { state in
            while socket.isReadable() { try state.reader.readChunk(from: socket) }
            var kept: [MessageReader.Incoming] = []
            for message in state.reader.pending {
                if let event = message.head?.event {
                    state.keep(event)
                } else if let update = message.head?.presence {
                    state.keep(update)
                } else if message.head == nil {
                    state.droppedPushes = true  // no request is waiting: it was an event, or nothing we asked for
                } else {
                    kept.append(message)
                }
            }
            state.reader.pending = kept
            defer {
                state.events.removeAll()
                state.droppedPushes = false
            }
            return (state.events, !state.droppedPushes && state.events.count < Self.pushedLimit)
        }
    }

    /// Whether pushed messages wait to be taken: in the socket, or already read (an answer's
    /// read can bring the events after it along).
    public var hasPushed: Bool {
        state.withLock { !$0.events.isEmpty || !$0.reader.pending.isEmpty } || socket.isReadable()
    }
}

/// Reads the daemon's messages off the socket, each routed by its head; what cannot be read is
/// queued in its place, not thrown: throwing would lose the messages read after it.
struct MessageReader {
    struct Incoming {
        /// Nil when the message could not be read.
        var head: IncomingHead?
        var line: [UInt8]
        var problem = ""
        /// For an unreadable message: whether it began as a pushed event or presence update would.
        var pushed = false
    }

    private var framer = MessageFramer()
    var pending: [Incoming] = []

    mutating func next(from socket: UnixSocket) throws -> Incoming {
        while pending.isEmpty { try readChunk(from: socket) }
        return pending.removeFirst()
    }

    /// Reads what the socket has (waiting for it) and queues the messages in it.
    mutating func readChunk(from socket: UnixSocket) throws {
        let bytes = try socket.read()
        if bytes.isEmpty { throw InboxError(.closed, "the daemon closed the connection") }
        for output in framer.feed(bytes) {
            switch output {
            case let .message(line):
                do {
                    pending.append(Incoming(head: try WireProtocol.decode(IncomingHead.self, line), line: line))
                } catch {
                    let pushed = [#"{"event""#, #"{"presence""#].contains { line.starts(with: Array($0.utf8)) }
                    pending.append(Incoming(head: nil, line: [], problem: "not a message this client can read", pushed: pushed))
                }
            case let .tooLong(start):
                let pushed = [#"{"event""#, #"{"presence""#].contains { start.starts(with: Array($0.utf8)) }
                pending.append(Incoming(head: nil, line: [], problem: "over the \(WireProtocol.maximumMessageBytes)-byte message limit", pushed: pushed))
            }
        }
    }
}

/// The service through the daemon: the same requests, identity from the kernel.
public struct RemoteInbox: InboxAPI {
    public let connection: DaemonConnection

    public init(connection: DaemonConnection) { self.connection = connection }

    /// Sends the request; an answer the daemon cut to fit one message is completed with the
    /// requests for the rest.
    public func send<Request: InboxRequest>(_ request: Request) throws(InboxError) -> Request.Response {
        var (response, partial) = try connection.call(request)
        while partial, let rest = request.remainder(after: response) {
            let more = try connection.call(rest)
            response = request.joining(response, more.response)
            partial = more.partial
        }
        return response
    }
}
