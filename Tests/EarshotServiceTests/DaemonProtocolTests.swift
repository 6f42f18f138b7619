import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import Testing

/// The daemon over a real Unix socket in this process. The kernel reports this test
/// process's own user, so that login is made a responder first.
@Suite(.serialized) struct DaemonProtocolTests {
    let fixture: ServiceFixture
    let server: DaemonServer
    let me: String

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        (server, me) = try fixture.daemon()
        try server.start()
    }

    /// Raw lines in, raw lines out, for protocol edge cases.
    func exchange(_ lines: [String], expecting count: Int) throws -> [[String: Any]] {
        let socket = try UnixSocket.connect(to: server.socketPath)
        defer { socket.close() }
        try socket.write(Array(lines.joined(separator: "\n").utf8) + [0x0A])
        var framer = MessageFramer()
        var messages: [[String: Any]] = []
        while messages.count < count {
            let bytes = try socket.read()
            if bytes.isEmpty { break }
            for case let .message(line) in framer.feed(bytes) { messages.append(try WireProtocol.decode(line)) }
        }
        return messages
    }

    @Test func helloIdentifiesTheCallerFromTheKernel() throws {
        defer { server.stop() }
        let connection = try DaemonConnection(path: server.socketPath)
        #expect(connection.login == me)
        #expect(connection.role == "supervisor")
        let whoami = try #require(try connection.call("whoami") as? [String: Any])
        #expect(whoami["login"] as? String == me)
    }

    @Test func requestsGetResponsesWithTheirIdAndServiceErrorsKeepTheirMessages() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let connection = try DaemonConnection(path: server.socketPath)
        let remote = RemoteInbox(connection: connection)
        #expect(try remote.claim(id).assigneeID != nil)
        #expect(try remote.login(of: try #require(try fixture.get(id).assigneeID)) == me)
        do {
            _ = try remote.claim(ConversationID(999))
            Issue.record("claimed a conversation that does not exist")
        } catch let error as DaemonConnection.RemoteError {
            #expect(error.code == "not_found")
            #expect(error.description == "no conversation 999; `earshot queue` lists them")
        }
        let note = try remote.addNote(id, text: "through the daemon")
        #expect(note.text == "through the daemon")
        #expect(try fixture.lastEvent(id)?.actor == .responder(login: me))
    }

    @Test func malformedAndUnknownRequestsGetErrorsAndTheConnectionLives() throws {
        defer { server.stop() }
        let replies = try exchange([
            #"{"hello":{"protocol":1}}"#, "not json", #"{"method":"whoami"}"#, #"{"id":7,"method":"fly"}"#,
            #"{"id":8,"method":"whoami"}"#,
        ], expecting: 5)
        #expect((replies[0]["hello"] as? [String: Any])?["login"] as? String == me)
        #expect((replies[1]["error"] as? [String: Any])?["code"] as? String == "malformed")
        #expect((replies[2]["error"] as? [String: Any])?["code"] as? String == "malformed")
        #expect((replies[3]["error"] as? [String: Any])?["code"] as? String == "unknown_method")
        #expect((replies[3]["id"] as? NSNumber)?.intValue == 7)
        #expect(((replies[4]["result"] as? [String: Any])?["login"] as? String) == me)
    }

    @Test func aWrongProtocolVersionIsRefusedClearly() throws {
        defer { server.stop() }
        let replies = try exchange([#"{"hello":{"protocol":99}}"#], expecting: 1)
        let error = try #require(replies.first?["error"] as? [String: Any])
        #expect(error["code"] as? String == "version")
        #expect((error["message"] as? String)?.contains("this daemon speaks protocol 1, the client 99") == true)
        let noHello = try exchange([#"{"id":1,"method":"whoami"}"#], expecting: 1)
        #expect((noHello.first?["error"] as? [String: Any])?["code"] as? String == "hello_expected")
    }

    @Test func anOversizedMessageIsRefusedAndTheDaemonCarriesOn() throws {
        defer { server.stop() }
        let huge = #"{"id":1,"method":"note","params":{"text":""# + String(repeating: "a", count: WireProtocol.maximumMessageBytes + 10) + #""}}"#
        let replies = try exchange([#"{"hello":{"protocol":1}}"#, huge], expecting: 2)
        #expect((replies.last?["error"] as? [String: Any])?["code"] as? String == "too_large")
        // Others are served as before.
        #expect(try DaemonConnection(path: server.socketPath).login == me)
    }

    @Test func everyClientSeesChangesMadeByOthers() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let watcher = try DaemonConnection(path: server.socketPath)
        let actor = try DaemonConnection(path: server.socketPath)
        _ = try RemoteInbox(connection: actor).claim(id)
        var seen: [String: Any] = [:]
        for _ in 0..<10 {
            seen = try watcher.nextEvent()
            if seen["kind"] as? String == "claimed" { break }
        }
        #expect(seen["kind"] as? String == "claimed")
        #expect((seen["conversation"] as? NSNumber)?.int64Value == id.rawValue)
        #expect(seen["actor"] as? String == "responder:\(me)")
    }

    @Test func aUserWhoIsNotAResponderIsToldHowToGetAdded() throws {
        defer { server.stop() }
        try fixture.service.removeResponder(me, by: "admin")
        do {
            _ = try DaemonConnection(path: server.socketPath)
            Issue.record("a removed responder was let in")
        } catch let error as DaemonConnection.RemoteError {
            #expect(error.code == "not_a_responder")
            #expect(error.description.contains("ask a supervisor to run `earshot responder add \(me)"))
        }
    }
}

extension DaemonProtocolTests {
    @Test func everyoneSeesWhoIsViewingAndComposingUntilTheyLeave() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let watcher = try DaemonConnection(path: server.socketPath)
        let typist = try DaemonConnection(path: server.socketPath)
        _ = try typist.call("presence.set", ["conversation": id.rawValue, "state": "viewing"])
        _ = try typist.call("presence.set", ["conversation": id.rawValue, "state": "composing"])
        var update: [String: Any] = [:]
        for _ in 0..<5 {
            update = try watcher.nextPresence()
            let people = update["people"] as? [[String: Any]] ?? []
            if people.first?["state"] as? String == "composing" { break }
        }
        #expect((update["conversation"] as? NSNumber)?.int64Value == id.rawValue)
        #expect((update["people"] as? [[String: Any]])?.first?["login"] as? String == me)
        let listed = try #require(try watcher.call("presence.get", ["conversation": id.rawValue]) as? [[String: Any]])
        #expect(listed.count == 1 && listed.first?["state"] as? String == "composing")

        // The typist's connection drops: everyone learns the conversation is empty again.
        typist.close()
        for _ in 0..<5 {
            update = try watcher.nextPresence()
            if (update["people"] as? [[String: Any]])?.isEmpty == true { break }
        }
        #expect((update["people"] as? [[String: Any]])?.isEmpty == true)
        let bad = try? watcher.call("presence.set", ["conversation": id.rawValue, "state": "dancing"])
        #expect(bad == nil)
    }

    @Test func aClientThatStopsReadingIsDroppedWithoutHoldingUpOthers() throws {
        defer { server.stop() }
        for _ in 0..<300 { try fixture.conversation() }
        // Ask for big answers and never read them: the kernel's socket buffer fills, then the
        // daemon's bounded queue for this client, and the daemon lets it go.
        let greedy = try UnixSocket.connect(to: server.socketPath)
        defer { greedy.close() }
        try greedy.write(Array(#"{"hello":{"protocol":1}}"#.utf8) + [0x0A])
        let request = Array(#"{"id":1,"method":"queue","params":{"view":"open","limit":300}}"#.utf8) + [0x0A]
        let other = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        var sent = 0
        // Writes succeed until the daemon stops reading this client (or drops it).
        while sent < 400, (try? greedy.write(request)) != nil { sent += 1 }
        // Meanwhile another client is served at once.
        let id = ConversationID(1)
        #expect(try other.claim(id).assigneeID != nil)
        // The daemon lets the greedy client go once its queue overflows (it has not read a byte).
        let deadline = Date().addingTimeInterval(120)
        while server.clientCount > 1 && Date() < deadline { usleep(20_000) }
        #expect(server.clientCount == 1)
        // Reading now ends (the connection is closed) before every answer arrived.
        var framer = MessageFramer()
        var answers = 0
        while true {
            guard let bytes = try? greedy.read(), !bytes.isEmpty else { break }
            for case .message(_) in framer.feed(bytes) { answers += 1 }
        }
        #expect(sent > 20)
        #expect(answers < sent)
        #expect(try other.queue("open", limit: 5).count == 5)
    }

    @Test func statsComeThroughTheDaemonAsTheServiceComputesThem() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        _ = try remote.claim(id)
        fixture.clock.advance(minutes: 3)
        _ = try remote.resolve(id)
        let overTheWire = try remote.stats(grouping: .responder, since: nil, until: nil)
        let local = try fixture.service.stats(grouping: .responder, since: nil, until: nil, by: me)
        #expect(overTheWire == local)
        #expect(overTheWire.total.resolved == 1)
        #expect(overTheWire.live.responders.contains { $0.login == me })
    }
}
