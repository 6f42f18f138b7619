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
        try RawWire.exchange(lines, expecting: count, path: server.socketPath)
    }

    @Test func helloIdentifiesTheCallerFromTheKernel() throws {
        defer { server.stop() }
        let connection = try DaemonConnection(path: server.socketPath)
        #expect(connection.login == me)
        #expect(connection.role == .supervisor)
        #expect(try connection.call(Inbox.WhoAmI()).response.login == me)
    }

    @Test func requestsGetResponsesWithTheirIdAndServiceErrorsKeepTheirMessages() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let connection = try DaemonConnection(path: server.socketPath)
        let remote = RemoteInbox(connection: connection)
        #expect(try remote.send(Inbox.Claim(id)).assigneeID != nil)
        #expect(try remote.send(Inbox.ResponderLogin(try #require(try fixture.get(id).assigneeID))) == me)
        do {
            _ = try remote.send(Inbox.Claim(ConversationID(999)))
            Issue.record("claimed a conversation that does not exist")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.details.conversation == ConversationID(999))
            #expect(error.description == "no conversation 999; `earshot queue` lists them")
        }
        do {
            _ = try remote.send(Inbox.Assign(id, to: "nobody"))
            Issue.record("assigned to a login that is not a responder")
        } catch {
            // The reason travels as a code and details, not as words to pick apart.
            #expect(error.code == .unknownResponder)
            #expect(error.details.login == "nobody")
        }
        let note = try remote.send(Inbox.AddNote(id, text: "through the daemon"))
        #expect(note.text == "through the daemon")
        #expect(try fixture.lastEvent(id)?.actor == .responder(login: me))
    }

    @Test func malformedAndUnknownRequestsGetErrorsAndTheConnectionLives() throws {
        defer { server.stop() }
        let replies = try exchange([
            RawWire.hello, "not json", #"{"method":"whoami"}"#, #"{"id":7,"method":"fly"}"#,
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
        // A client of protocol 1 (the untyped format) is told both versions, in words and in details.
        let replies = try exchange([#"{"hello":{"protocol":1}}"#], expecting: 1)
        let error = try #require(replies.first?["error"] as? [String: Any])
        #expect(error["code"] as? String == "version")
        #expect((error["message"] as? String)?.contains("this daemon speaks protocol 2, the client protocol 1") == true)
        let details = try #require(error["details"] as? [String: Any])
        #expect((details["daemonProtocol"] as? NSNumber)?.intValue == 2)
        #expect((details["clientProtocol"] as? NSNumber)?.intValue == 1)
        let noHello = try exchange([#"{"id":1,"method":"whoami"}"#], expecting: 1)
        #expect((noHello.first?["error"] as? [String: Any])?["code"] as? String == "hello_expected")
    }

    @Test func anOversizedMessageIsRefusedAndTheDaemonCarriesOn() throws {
        defer { server.stop() }
        let huge = #"{"id":1,"method":"note","params":{"text":""# + String(repeating: "a", count: WireProtocol.maximumMessageBytes + 10) + #""}}"#
        let replies = try exchange([RawWire.hello, huge], expecting: 2)
        #expect((replies.last?["error"] as? [String: Any])?["code"] as? String == "too_large")
        // Others are served as before.
        #expect(try DaemonConnection(path: server.socketPath).login == me)
    }

    @Test func everyClientSeesChangesMadeByOthers() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let watcher = try DaemonConnection(path: server.socketPath)
        let actor = try DaemonConnection(path: server.socketPath)
        _ = try RemoteInbox(connection: actor).send(Inbox.Claim(id))
        var seen: Event?
        for _ in 0..<10 {
            seen = try watcher.nextEvent()
            if seen?.kind == .claimed { break }
        }
        #expect(seen?.kind == .claimed)
        #expect(seen?.conversationID == id)
        #expect(seen?.actor == .responder(login: me))
    }

    @Test func aUserWhoIsNotAResponderIsToldHowToGetAdded() throws {
        defer { server.stop() }
        try fixture.service.removeResponder(me, by: "admin")
        do {
            _ = try DaemonConnection(path: server.socketPath)
            Issue.record("a removed responder was let in")
        } catch let error as InboxError {
            #expect(error.code == .notAResponder)
            #expect(error.details.login == me)
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
        _ = try typist.call(Inbox.SetPresence(id, .viewing))
        _ = try typist.call(Inbox.SetPresence(id, .composing))
        var update: PresenceUpdate?
        for _ in 0..<5 {
            update = try watcher.nextPresence()
            if update?.people.first?.state == .composing { break }
        }
        #expect(update?.conversation == id)
        #expect(update?.people.first?.login == me)
        let listed = try watcher.call(Inbox.GetPresence(id)).response
        #expect(listed == [PresenceEntry(login: me, state: .composing)])

        // The typist's connection drops: everyone learns the conversation is empty again.
        typist.close()
        for _ in 0..<5 {
            update = try watcher.nextPresence()
            if update?.people.isEmpty == true { break }
        }
        #expect(update?.people.isEmpty == true)
        let bad = try exchange([RawWire.hello, #"{"id":1,"method":"presence.set","params":{"conversation":\#(id),"state":"dancing"}}"#], expecting: 2)
        let error = try #require(bad.last?["error"] as? [String: Any])
        #expect(error["code"] as? String == "bad_request")
        #expect((error["details"] as? [String: Any])?["param"] as? String == "state")
    }

    @Test func aClientThatStopsReadingIsDroppedWithoutHoldingUpOthers() throws {
        defer { server.stop() }
        for _ in 0..<300 { try fixture.conversation() }
        // Ask for big answers and never read them: the kernel's socket buffer fills, then the
        // daemon's bounded queue for this client, and the daemon lets it go.
        let greedy = try UnixSocket.connect(to: server.socketPath)
        defer { greedy.close() }
        try greedy.write(Array(RawWire.hello.utf8) + [0x0A])
        let request = Array(#"{"id":1,"method":"queue","params":{"view":"open","limit":300}}"#.utf8) + [0x0A]
        let other = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        var sent = 0
        // Writes succeed until the daemon stops reading this client (or drops it).
        while sent < 400, (try? greedy.write(request)) != nil { sent += 1 }
        // Meanwhile another client is served at once.
        let id = ConversationID(1)
        #expect(try other.send(Inbox.Claim(id)).assigneeID != nil)
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
        #expect(try other.send(Inbox.Queue(view: .open, limit: 5)).count == 5)
    }

    @Test func statsComeThroughTheDaemonAsTheServiceComputesThem() throws {
        defer { server.stop() }
        let id = try fixture.conversation()
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        _ = try remote.send(Inbox.Claim(id))
        fixture.clock.advance(minutes: 3)
        _ = try remote.send(Inbox.Resolve(id))
        let overTheWire = try remote.send(Inbox.Stats(by: .responder))
        let local = try fixture.service.stats(grouping: .responder, since: nil, until: nil, by: me)
        #expect(overTheWire == local)
        #expect(overTheWire.total.resolved == 1)
        #expect(overTheWire.live.responders.contains { $0.login == me })
    }
}
