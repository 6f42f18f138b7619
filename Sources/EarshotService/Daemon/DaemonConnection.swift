import EarshotCore
import Foundation

/// A client's connection to the daemon: hello, then requests answered in order; events the
/// daemon pushes meanwhile are kept for whoever wants them (the TUI), in arrival order.
public final class DaemonConnection: @unchecked Sendable {
    // @unchecked: used from one thread at a time (a CLI command, or the TUI's client loop).
    let socket: UnixSocket
    private var framer = MessageFramer()
    private var pendingMessages: [[String: Any]] = []
    private var nextID = 1
    /// Events received while waiting for responses.
    public private(set) var events: [[String: Any]] = []
    /// Presence updates received while waiting for responses.
    public private(set) var presenceUpdates: [[String: Any]] = []
    public let login: String
    public let role: String
    /// The most pushed messages kept; older ones are dropped.
    static let pushedLimit = 10_000
    /// Whether the last response was cut to fit one message (`"partial": true`): ask again
    /// from where it stopped.
    public private(set) var lastWasPartial = false
    /// Stands in the queue of received messages for one that could not be read.
    private static let unreadableKey = "\u{0}unreadable"
    /// Marks an unreadable message that began as a pushed event or presence update would.
    private static let pushedKey = "\u{0}pushed"

    /// An error the daemon sent back; its message is written for the person.
    public struct RemoteError: Error, CustomStringConvertible, Equatable {
        public let code: String
        public let description: String
    }

    /// How long connecting and the hello may take: a daemon that accepts but never answers is down.
    public static let helloTimeout: TimeInterval = 10

    /// Connects and says hello. Throws `UnixSocket.Failure` when nobody listens at `path`
    /// (EAGAIN: no answer within `helloTimeout`), `SocketTrust.Refusal` when the daemon runs as
    /// someone `trust` does not expect (checked before anything is sent).
    public init(path: String, trust: SocketTrust? = nil) throws {
        socket = try UnixSocket.connect(to: path, timeout: Self.helloTimeout)
        if let trust { try trust.checkPeer(uid: try socket.peer().uid) }
        // A daemon that refuses the connection (full, too many) writes why and closes at once,
        // so the hello may not go through while the refusal is already there to be read.
        let helloFailure: Error?
        do {
            try socket.write(WireProtocol.encode(["hello": ["protocol": WireProtocol.version, "client": "earshot"]]))
            helloFailure = nil
        } catch {
            helloFailure = error
        }
        var framer = MessageFramer()
        var pending: [[String: Any]] = []
        var reply: [String: Any]
        do {
            reply = try Self.nextMessage(socket, &framer, &pending)
        } catch let closed as RemoteError where closed.code == "closed" {
            throw helloFailure ?? closed
        }
        while reply["event"] != nil || reply["presence"] != nil { reply = try Self.nextMessage(socket, &framer, &pending) }
        try socket.setTimeout(nil)  // after the hello, waiting for events is normal
        self.framer = framer
        self.pendingMessages = pending
        if let error = reply["error"] as? [String: Any] {
            throw RemoteError(code: error["code"] as? String ?? "error", description: error["message"] as? String ?? "refused")
        }
        guard let hello = reply["hello"] as? [String: Any], let login = hello["login"] as? String else {
            throw RemoteError(code: "protocol", description: "the daemon did not answer the hello")
        }
        self.login = login
        role = hello["role"] as? String ?? "agent"
    }

    /// Sends a request and waits for its response.
    public func call(_ method: String, _ params: [String: Any] = [:]) throws -> Any {
        let id = nextID
        nextID += 1
        try socket.write(WireProtocol.encode(["id": id, "method": method, "params": params]))
        while true {
            let message = try Self.nextMessage(socket, &framer, &pendingMessages)
            if let reason = message[Self.unreadableKey] as? String {
                // A pushed message is not the answer: wait on. Otherwise it may have been ours;
                // either way the connection is at the next message again, and a late answer to
                // this request is skipped by its id.
                if (message[Self.pushedKey] as? Bool) == true { continue }
                throw RemoteError(code: "unreadable", description: "the daemon's answer to \(method) could not be read (\(reason)); try again")
            }
            if let event = message["event"] as? [String: Any] {
                Self.keep(event, in: &events)
                continue
            }
            if let presence = message["presence"] as? [String: Any] {
                Self.keep(presence, in: &presenceUpdates)
                continue
            }
            guard (message["id"] as? NSNumber)?.intValue == id else {
                // An error without an id is about the connection; one with another id answers
                // an earlier request that already gave up.
                if message["id"] == nil, let error = message["error"] as? [String: Any] {
                    throw RemoteError(code: error["code"] as? String ?? "error", description: error["message"] as? String ?? "error")
                }
                continue
            }
            if let error = message["error"] as? [String: Any] {
                throw RemoteError(code: error["code"] as? String ?? "error", description: error["message"] as? String ?? "error")
            }
            lastWasPartial = (message["partial"] as? Bool) == true
            return message["result"] ?? NSNull()
        }
    }

    /// Waits for the next pushed event (for live clients and tests). A message that cannot be
    /// read throws `unreadable`; the connection is still good for the next one.
    public func nextEvent() throws -> [String: Any] {
        if !events.isEmpty { return events.removeFirst() }
        while true {
            let message = try Self.nextMessage(socket, &framer, &pendingMessages)
            if let reason = message[Self.unreadableKey] as? String {
                throw RemoteError(code: "unreadable", description: "skipped a message from the daemon that could not be read (\(reason))")
            }
            if let event = message["event"] as? [String: Any] { return event }
            if let presence = message["presence"] as? [String: Any] { presenceUpdates.append(presence) }
        }
    }

    /// Waits for the next presence update: `{"conversation": N, "people": [{"login", "state"}]}`.
    public func nextPresence() throws -> [String: Any] {
        if !presenceUpdates.isEmpty { return presenceUpdates.removeFirst() }
        while true {
            let message = try Self.nextMessage(socket, &framer, &pendingMessages)
            if let presence = message["presence"] as? [String: Any] { return presence }
            if let event = message["event"] as? [String: Any] { events.append(event) }
        }
    }

    public func close() { socket.close() }

    /// The events the daemon has pushed so far, read without waiting: whatever is in the
    /// socket now is read and sorted (presence kept for `nextPresence`). `complete` is false
    /// when more arrived than are kept (`pushedLimit`): the caller reads the log instead.
    public func takePushedEvents() throws -> (events: [[String: Any]], complete: Bool) {
        while socket.isReadable() { try Self.readChunk(socket, &framer, &pendingMessages) }
        var kept: [[String: Any]] = []
        for message in pendingMessages {
            if message[Self.unreadableKey] != nil {
                droppedPushes = true  // no request is waiting: it was an event, or nothing we asked for
            } else if let event = message["event"] as? [String: Any] {
                Self.keep(event, in: &events)
            } else if let presence = message["presence"] as? [String: Any] {
                Self.keep(presence, in: &presenceUpdates)
            } else {
                kept.append(message)
            }
        }
        pendingMessages = kept
        defer {
            events.removeAll()
            droppedPushes = false
        }
        return (events, !droppedPushes && events.count < Self.pushedLimit)
    }

    /// Whether pushed messages wait to be taken: in the socket, or already read (an answer's
    /// read can bring the events after it along).
    public var hasPushed: Bool { !events.isEmpty || !pendingMessages.isEmpty || socket.isReadable() }

    /// Set when pushed events were lost (over `pushedLimit`, or unreadable) since the last take.
    private var droppedPushes = false

    private static func keep(_ message: [String: Any], in list: inout [[String: Any]]) {
        if list.count >= pushedLimit { list.removeFirst(list.count - pushedLimit + 1) }
        // (the caller learns of a loss from the count: `takePushedEvents` reports it)
        list.append(message)
    }

    private static func nextMessage(_ socket: UnixSocket, _ framer: inout MessageFramer, _ pending: inout [[String: Any]]) throws -> [String: Any] {
        while pending.isEmpty { try readChunk(socket, &framer, &pending) }
        return pending.removeFirst()
    }

    /// Reads what the socket has (waiting for it) and queues the messages in it. What cannot be
    /// read is queued in its place, not thrown: throwing would lose the messages read after it.
    private static func readChunk(_ socket: UnixSocket, _ framer: inout MessageFramer, _ pending: inout [[String: Any]]) throws {
        let bytes = try socket.read()
        if bytes.isEmpty { throw RemoteError(code: "closed", description: "the daemon closed the connection") }
        for output in framer.feed(bytes) {
            switch output {
            case let .message(line):
                pending.append((try? WireProtocol.decode(line)) ?? [unreadableKey: "not a JSON object"])
            case let .tooLong(start):
                let pushed = [#"{"event""#, #"{"presence""#].contains { start.starts(with: Array($0.utf8)) }
                pending.append([unreadableKey: "over the \(WireProtocol.maximumMessageBytes)-byte message limit", pushedKey: pushed])
            }
        }
    }
}

/// The service through the daemon: same operations, identity from the kernel.
public struct RemoteInbox: InboxAPI {
    public let connection: DaemonConnection

    public init(connection: DaemonConnection) { self.connection = connection }

    private func conversation(_ method: String, _ id: ConversationID, _ extra: [String: Any] = [:]) throws -> Conversation {
        var params = extra
        params["conversation"] = id.rawValue
        return try WireProtocol.value(Conversation.self, from: try connection.call(method, params))
    }

    public func claim(_ id: ConversationID) throws -> Conversation { try conversation("claim", id) }
    public func assign(_ id: ConversationID, to login: String) throws -> Conversation { try conversation("assign", id, ["to": login]) }
    public func release(_ id: ConversationID) throws -> Conversation { try conversation("release", id) }
    public func resolve(_ id: ConversationID) throws -> Conversation { try conversation("resolve", id) }
    public func reopen(_ id: ConversationID) throws -> Conversation { try conversation("reopen", id) }
    public func snooze(_ id: ConversationID, until: Timestamp) throws -> Conversation {
        try conversation("snooze", id, ["until": until.iso8601])
    }
    public func setPriority(_ id: ConversationID, to priority: Priority) throws -> Conversation {
        try conversation("priority", id, ["priority": priority.name])
    }
    public func setTriageClass(_ id: ConversationID, to triageClass: TriageClass) throws -> Conversation {
        try conversation("class", id, ["class": triageClass.rawValue])
    }
    public func label(_ id: ConversationID, _ label: String, add: Bool) throws -> Conversation {
        try conversation("label", id, ["label": label, "add": add])
    }
    public func addNote(_ id: ConversationID, text: String) throws -> Note {
        try WireProtocol.value(Note.self, from: try connection.call("note", ["conversation": id.rawValue, "text": text]))
    }
    public func saveDraft(_ id: ConversationID, text: String) throws -> Reply {
        try WireProtocol.value(Reply.self, from: try connection.call("draft.save", ["conversation": id.rawValue, "text": text]))
    }
    public func draft(of id: ConversationID) throws -> Reply? {
        let result = try connection.call("draft.get", ["conversation": id.rawValue])
        return result is NSNull ? nil : try WireProtocol.value(Reply.self, from: result)
    }
    public func sendReply(_ id: ConversationID, text: String, basedOn: Timestamp?, confirmed: Bool) throws -> Reply {
        var params: [String: Any] = ["conversation": id.rawValue, "text": text, "confirmed": confirmed]
        if let basedOn { params["based_on"] = basedOn.iso8601 }
        return try WireProtocol.value(Reply.self, from: try connection.call("reply.send", params))
    }
    public func cancelReply(_ id: ReplyID) throws -> Reply {
        try WireProtocol.value(Reply.self, from: try connection.call("reply.cancel", ["reply": id.rawValue]))
    }
    public func retryReply(_ id: ReplyID) throws -> Reply {
        try WireProtocol.value(Reply.self, from: try connection.call("reply.retry", ["reply": id.rawValue]))
    }
    public func reply(_ id: ReplyID) throws -> Reply {
        try WireProtocol.value(Reply.self, from: try connection.call("reply.get", ["reply": id.rawValue]))
    }
    public func outbox(all: Bool) throws -> [Reply] {
        try WireProtocol.value([Reply].self, from: try connection.call("outbox", ["all": all]))
    }
    public func reportActivity() throws { _ = try connection.call("activity") }
    public func supervisor() throws -> SupervisorSnapshot {
        try WireProtocol.value(SupervisorSnapshot.self, from: try connection.call("supervisor"))
    }
    public func stats(grouping: StatsGrouping, since: Timestamp?, until: Timestamp?) throws -> StatsReport {
        var params: [String: Any] = ["by": grouping.rawValue]
        if let since { params["since"] = since.iso8601 }
        if let until { params["until"] = until.iso8601 }
        return try WireProtocol.value(StatsReport.self, from: try connection.call("stats", params))
    }
    public func route(policy: RoutingPolicy?) throws -> [RoutingAssignment] {
        try WireProtocol.value([RoutingAssignment].self, from: try connection.call("route", policy.map { ["policy": $0.rawValue] } ?? [:]))
    }
    public func login(of responder: ResponderID) throws -> String? {
        try connection.call("responder.login", ["responder": responder.rawValue]) as? String
    }
    public func queue(_ view: String, limit: Int) throws -> [QueueRow] {
        let rows = try WireProtocol.value([QueueRow].self, from: try connection.call("queue", ["view": view, "limit": limit]))
        return try rest(of: rows, QueueWindowRequest(view: view, limit: limit))
    }
    public func queueWindow(_ request: QueueWindowRequest) throws -> [QueueRow] {
        let rows = try WireProtocol.value([QueueRow].self, from: try connection.call("queue.window", ["request": WireProtocol.object(request)]))
        return try rest(of: rows, request)
    }
    /// A window the daemon cut to fit one message goes on after its last row until it has what was asked.
    private func rest(of first: [QueueRow], _ request: QueueWindowRequest) throws -> [QueueRow] {
        var rows = first
        while connection.lastWasPartial, rows.count < request.limit, let last = rows.last {
            var next = request
            next.anchor = .after(last.position)
            next.limit = request.limit - rows.count
            rows += try WireProtocol.value([QueueRow].self, from: try connection.call("queue.window", ["request": WireProtocol.object(next)]))
        }
        return rows
    }
    public func thread(_ id: ConversationID) throws -> ConversationThread {
        try WireProtocol.value(ConversationThread.self, from: try connection.call("thread", ["conversation": id.rawValue]))
    }
    public func summary() throws -> InboxSummary {
        try WireProtocol.value(InboxSummary.self, from: try connection.call("summary"))
    }
    public func events(after: EventID?, limit: Int) throws -> EventBatch {
        var params: [String: Any] = ["limit": limit]
        if let after { params["after"] = after.rawValue }
        return try WireProtocol.value(EventBatch.self, from: try connection.call("events", params))
    }
    public func setPresence(_ id: ConversationID?, composing: Bool) throws {
        guard let id else {
            _ = try connection.call("presence.set", ["state": "none"])
            return
        }
        _ = try connection.call("presence.set", ["conversation": id.rawValue, "state": composing ? "composing" : "viewing"])
    }
    public func addResponder(_ responder: NewResponder) throws -> Responder {
        try WireProtocol.value(Responder.self, from: try connection.call("responder.add", ["responder": WireProtocol.object(responder)]))
    }
    public func updateResponder(_ login: String, _ changes: ResponderChanges) throws -> Responder {
        try WireProtocol.value(Responder.self, from: try connection.call(
            "responder.set", ["login": login, "changes": WireProtocol.object(changes)]))
    }
    public func removeResponder(_ login: String) throws -> [ConversationID] {
        try WireProtocol.value([ConversationID].self, from: try connection.call("responder.remove", ["login": login]))
    }
    public func responders(includingRemoved: Bool) throws -> [ResponderLoad] {
        try WireProtocol.value([ResponderLoad].self, from: try connection.call("responder.list", ["all": includingRemoved]))
    }
}
