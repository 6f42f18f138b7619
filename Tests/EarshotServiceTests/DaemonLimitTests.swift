import EarshotCore
@testable import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// What the daemon takes and gives over a real socket: params of the wrong JSON type are
/// refused, no answer is bigger than a client accepts (long ones come in pages), and a client
/// that receives something it cannot read says so and carries on (docs/protocol.md, Limits).
@Suite(.serialized) struct DaemonLimitTests {
    let fixture: ServiceFixture
    let server: DaemonServer
    let me: String

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        (server, me) = try fixture.daemon()
        try server.start()
    }

    /// Raw lines in after a hello, the answers to them out (pushed messages left out).
    func answers(_ lines: [String]) throws -> [[String: Any]] {
        let socket = try UnixSocket.connect(to: server.socketPath)
        defer { socket.close() }
        try socket.write(Array(([RawWire.hello] + lines).joined(separator: "\n").utf8) + [0x0A])
        var framer = MessageFramer()
        var messages: [[String: Any]] = []
        while messages.count < lines.count + 1 {
            let bytes = try socket.read()
            if bytes.isEmpty { break }
            for case let .message(line) in framer.feed(bytes) {
                let message = try RawWire.object(line)
                if message["event"] == nil && message["presence"] == nil { messages.append(message) }
            }
        }
        return Array(messages.dropFirst())
    }

    func error(_ message: [String: Any]) -> (code: String?, text: String) {
        let error = message["error"] as? [String: Any]
        return (error?["code"] as? String, error?["message"] as? String ?? "")
    }

    @Test func paramsOfTheWrongJSONTypeAreBadRequestsNamingTheParamAndTheType() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let replies = try answers([
            #"{"id":1,"method":"claim","params":{"conversation":true}}"#,
            #"{"id":2,"method":"claim","params":{"conversation":1.5}}"#,
            #"{"id":3,"method":"label","params":{"conversation":1,"label":"refund","add":1}}"#,
            #"{"id":4,"method":"events","params":{"after":null,"limit":"5"}}"#,
            #"{"id":5,"method":"queue","params":{"view":"open","limit":true}}"#,
            #"{"id":6,"method":"whoami","params":[1]}"#,
            #"{"id":7,"method":"presence.set","params":{"conversation":true,"state":"viewing"}}"#,
            #"{"id":8,"method":"note","params":{"conversation":1,"text":7}}"#,
            #"{"id":""# + String(repeating: "i", count: 2_000) + #"","method":"whoami"}"#,
        ])
        #expect(replies.count == 9)
        #expect(replies.prefix(8).allSatisfy { error($0).code == "bad_request" })
        #expect(error(replies[8]) == ("malformed", #"a request's "id" is over 1024 bytes; use a number"#))
        #expect(error(replies[0]).text == #"claim: "conversation" must be a conversation id (a whole number), not true (docs/protocol.md)"#)
        #expect(error(replies[1]).text.contains(#""conversation" must be a conversation id (a whole number), not the number 1.5"#))
        #expect(error(replies[2]).text == #"label: "add" must be true or false, not the number 1 (docs/protocol.md)"#)
        #expect(error(replies[3]).text.contains(#"events: "limit" must be a whole number, not the string "5""#))
        #expect(error(replies[4]).text.contains(#"queue: "limit" must be a whole number, not true"#))
        #expect(error(replies[5]).text.contains(#"whoami: "params" must be an object, not an array"#))
        #expect(error(replies[6]).text.contains(#""conversation" must be a conversation id"#))
        #expect(error(replies[7]).text.contains(#"note: "text" must be a string, not the number 7"#))
        // The param at fault is in the details too, for programs.
        let details = (replies[2]["error"] as? [String: Any])?["details"] as? [String: Any]
        #expect(details?["param"] as? String == "add")
        // Nothing happened to conversation 1.
        #expect(try fixture.assignee(id) == nil)
        #expect(try fixture.get(id).labels.isEmpty)

        let hello = try UnixSocket.connect(to: server.socketPath)
        defer { hello.close() }
        try hello.write(Array(#"{"hello":{"protocol":true}}"#.utf8) + [0x0A])
        var framer = MessageFramer()
        var answer: [String: Any] = [:]
        while answer.isEmpty {
            let bytes = try hello.read()
            if bytes.isEmpty { break }
            for case let .message(line) in framer.feed(bytes) { answer = try RawWire.object(line) }
        }
        #expect(error(answer).code == "hello_expected")
    }

    @Test func eventsComeInPagesThatEachFitOneMessage() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let at = fixture.clock.now()
        // 10,000 events of about 330 bytes each: over 3 MB, three times what a client accepts.
        try fixture.store.write { writer in
            for number in 0..<10_000 {
                try writer.setLabels(["l"], on: id, because: EventDraft(
                    .labelAdded, by: .system, at: at, conversation: id, detail: ["label": String(repeating: "x", count: 190), "n": "\(number)"]))
            }
        }
        let stored = try fixture.store.read { try $0.events(after: EventID(0), limit: 100_000) }.map(\.id)
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        var read: [EventID] = []
        var after = EventID(0)
        var pages = 0
        while true {
            let batch = try remote.send(Inbox.Events(after: after, limit: 10_000))
            if batch.events.isEmpty { break }
            pages += 1
            read += batch.events.map(\.id)
            #expect(batch.lastID == batch.events.last?.id)
            after = try #require(batch.lastID)
        }
        #expect(pages > 1)
        #expect(read == stored)
    }

    @Test func aQueueWindowOverOneMessageArrivesWholeInPages() throws {
        defer { server.stop() }
        let at = fixture.clock.now()
        let customer = try fixture.customer()
        try fixture.store.write { writer in
            for _ in 0..<2_000 {
                _ = try writer.insertConversation(
                    NewConversation(
                        channelID: fixture.channel.id, customerID: customer, priority: .normal, triageClass: .question,
                        startedAt: at, slaDueAt: nil, preview: String(repeating: "p", count: 200)),
                    because: EventDraft(.opened, by: .ingest, at: at))
            }
        }
        let connection = try DaemonConnection(path: server.socketPath)
        let (first, partial) = try connection.call(Inbox.Queue(view: .open, limit: 2_000))
        #expect(partial)
        #expect(first.count < 2_000)
        let rows = try RemoteInbox(connection: connection).send(Inbox.Queue(view: .open, limit: 2_000))
        let local = try fixture.service.queue(.open, limit: 2_000, for: me)
        #expect(rows.map(\.conversation.id) == local.map(\.conversation.id))
        #expect(rows.count == 2_000)
    }

    @Test func anOversizedLabelStoredBeforeTheLimitsDoesNotBreakTheQueueOrEvents() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let huge = String(repeating: "é", count: 900_000)  // 1.8 MB of UTF-8
        let at = fixture.clock.now()
        try fixture.store.write { writer in
            try writer.setLabels([huge], on: id, because: EventDraft(.labelAdded, by: .system, at: at, conversation: id, detail: ["label": huge]))
        }
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        let rows = try remote.send(Inbox.Queue(view: .open, limit: 50))
        #expect(rows.first?.conversation.labels == [String(repeating: "é", count: FieldLimits.label) + "…"])
        #expect(try remote.send(Inbox.GetThread(id)).conversation.labels == rows.first?.conversation.labels)
        #expect(try remote.send(Inbox.Events(after: EventID(0), limit: 10_000)).events.count > 1)
        // A new one that long is refused (100,000 characters: a request must fit in a message too).
        do {
            _ = try remote.send(Inbox.Label(id, String(repeating: "é", count: 100_000), add: true))
            Issue.record("a 100,000-character label was taken")
        } catch {
            #expect(error.code == .invalid)
            #expect(error.description == "a label is 100000 characters; the limit is 64: shorten it (docs/protocol.md, Limits)")
        }
    }

    /// Pushed events are cut like answers: an event whose detail holds a huge value (an
    /// ingested record's id, say) reaches every client readable, not as an oversized line.
    @Test func aPushedEventWithAHugeDetailArrivesCut() throws {
        defer { server.stop() }
        let client = try DaemonConnection(path: server.socketPath)
        defer { client.close() }
        let huge = String(repeating: "x", count: 2_000_000)
        try fixture.store.write { writer in
            _ = try writer.appendEvent(EventDraft(.ingested, by: .ingest, at: fixture.clock.now(), detail: ["mention": huge]))
        }
        let event = try client.nextEvent()
        let value = try #require(event.detail["mention"])
        #expect(value.count <= 201)
        #expect(value.hasSuffix("…"))
    }

    @Test func anAnswerThatCannotFitIsRefusedAndTheConnectionCarriesOn() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let author = try #require(try fixture.store.read { try $0.responder(login: me) }).id
        let at = fixture.clock.now()
        // 150 notes at the limit, of two-byte characters: a 1.2 MB thread.
        try fixture.store.write { writer in
            for _ in 0..<150 {
                _ = try writer.insertNote(
                    conversation: id, author: author, text: String(repeating: "é", count: FieldLimits.note), at: at,
                    because: EventDraft(.noted, by: .system, at: at, conversation: id))
            }
        }
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        do {
            _ = try remote.send(Inbox.GetThread(id))
            Issue.record("a 1.2 MB thread was sent")
        } catch {
            #expect(error.code == .tooLarge)
            #expect(error.description.hasPrefix("the answer to thread is "))
        }
        #expect(try remote.send(Inbox.Summary()).me.login == me)
    }
}

/// A client facing a daemon that sends what cannot be read: a stand-in daemon on a socket.
@Suite struct UnreadableMessageTests {
    @Test func aClientSaysWhatItCouldNotReadAndTheConnectionCarriesOn() throws {
        let directory = try TemporaryDirectory("earshot-fake")
        let listener = try UnixSocket.listen(at: directory.file("fake.sock"))
        defer { listener.close() }
        let oversized = String(repeating: "x", count: WireProtocol.maximumMessageBytes + 100)
        // For each line the client sends, what the stand-in answers.
        let script = [
            Self.welcome,
            oversized + "\n" + #"{"id":1,"result":{"login":"late"}}"#,
            Self.event(5, "claimed") + "\n" + #"{"event":{"detail":""# + oversized + "\n"
                + #"{"id":2,"result":{"login":"dana"}}"# + "\n"
                + "not json\n" + Self.event(6, "released"),
        ]
        let served = Thread { Self.serve(listener, script) }
        served.start()
        let connection = try DaemonConnection(path: directory.file("fake.sock"))
        do {
            _ = try connection.call(Inbox.WhoAmI())
            Issue.record("an oversized answer was taken")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.description == "the daemon's answer to whoami could not be read (over the 1048576-byte message limit); try again")
        }
        // The late answer to request 1 is skipped, and so is an oversized pushed event (it
        // cannot be the answer); request 2 gets its own.
        #expect(try connection.call(Inbox.WhoAmI()).response.login == "dana")
        #expect(try connection.nextEvent().id == EventID(5))
        do {
            _ = try connection.nextEvent()
            Issue.record("a line that is not JSON was taken")
        } catch let error as InboxError {
            #expect(error.code == .unreadable)
            #expect(error.description == "skipped a message from the daemon that could not be read (not a message this client can read)")
        }
        #expect(try connection.nextEvent().id == EventID(6))
        connection.close()
    }

    /// Pushed events are taken without a request, including those that came along with the
    /// hello's answer, and a line that could not be read among them says some were lost (the
    /// caller then reads the log from its last event).
    @Test func takingPushedEventsSaysWhenSomeWereLost() throws {
        let directory = try TemporaryDirectory("earshot-fake")
        let listener = try UnixSocket.listen(at: directory.file("fake.sock"))
        defer { listener.close() }
        let script = [
            Self.welcome + "\n" + Self.event(7, "claimed") + "\nnot json\n" + Self.event(8, "released"),
        ]
        let served = Thread { Self.serve(listener, script) }
        served.start()
        let connection = try DaemonConnection(path: directory.file("fake.sock"))
        defer { connection.close() }
        let deadline = Date().addingTimeInterval(10)
        while !connection.hasPushed && Date() < deadline { usleep(5_000) }
        #expect(connection.hasPushed)
        // All of it may have come with the hello's answer, or some only now: wait for the last.
        var taken: [Event] = []
        var complete = true
        while taken.count < 2 && Date() < deadline {
            let (events, whole) = try connection.takePushedEvents()
            taken += events
            complete = complete && whole
            usleep(5_000)
        }
        #expect(taken.map(\.id.rawValue) == [7, 8])
        #expect(!complete, "a line that could not be read among pushed events is a loss")
        let (nothing, whole) = try connection.takePushedEvents()
        #expect(nothing.isEmpty && whole)
        #expect(!connection.hasPushed)
    }

    static let welcome = #"{"hello":{"login":"dana","name":"Dana","protocol":\#(WireProtocol.version),"role":"agent"}}"#

    /// A pushed event as the daemon writes it.
    static func event(_ id: Int, _ kind: String) -> String {
        #"{"event":{"actor":"system","at":1700000000000,"detail":{},"id":\#(id),"kind":"\#(kind)"}}"#
    }

    /// Accepts one client and answers each line it sends with the next entry of `script`.
    static func serve(_ listener: UnixSocket, _ script: [String]) {
        guard let client = try? listener.accept() else { return }
        defer { client.close() }
        var framer = MessageFramer()
        var next = 0
        while next < script.count, let bytes = try? client.read(), !bytes.isEmpty {
            for case .message(_) in framer.feed(bytes) where next < script.count {
                try? client.write(Array(script[next].utf8) + [0x0A])
                next += 1
            }
        }
        // Keep the connection open until the client is done.
        _ = try? client.read()
    }
}
