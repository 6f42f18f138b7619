import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import Testing

/// Every operation of `Inbox.requests` through a real daemon on a real socket, as typed values:
/// each is encoded as the client sends it, served, and its answer decoded as its typed
/// response. The same session, as the lines on the wire, is the examples section of
/// docs/protocol.md (`RECORD_SNAPSHOTS=1` rewrites it; otherwise the docs must match).
@Suite(.serialized) struct ProtocolExampleTests {
    static let docs = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/protocol.md")

    @Test func everyRequestRoundTripsThroughTheSocketAndTheDocsShowTheSession() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        let (server, me) = try fixture.daemon()
        let sam = try fixture.responder("sam")
        let kim = try fixture.conversation(customer: try fixture.customer("kim"), due: fixture.clock.now().adding(seconds: 3600))
        let lee = try fixture.conversation(customer: try fixture.customer("lee"))
        let max = try fixture.conversation(customer: try fixture.customer("max"))
        fixture.clock.advance(minutes: 12)
        try server.start()
        defer { server.stop() }

        let session = try WireSession(path: server.socketPath, login: me)
        #expect(try session.step(Inbox.WhoAmI(), "Who the kernel says the caller is.").login == me)
        let rows = try session.step(Inbox.Queue(view: .unassigned, limit: 2), "The top of a queue view.")
        #expect(rows.map(\.conversation.id) == [kim, lee])
        #expect(try session.step(Inbox.Claim(kim), "Take a conversation.").assigneeID != nil)
        #expect(try session.step(Inbox.Assign(lee, to: "sam"), "Give one to a teammate (supervisors).").assigneeID == sam.id)
        #expect(try session.step(Inbox.Release(lee), "Back to the queue.").assigneeID == nil)
        #expect(try session.step(Inbox.SetPriority(kim, to: .high)).priority == .high)
        #expect(try session.step(Inbox.SetClass(kim, to: .complaint), "Correct the classifier.").triageLocked)
        #expect(try session.step(Inbox.Label(kim, "billing", add: true)).labels == ["billing"])
        #expect(try session.step(Inbox.AddNote(kim, text: "called the warehouse")).text == "called the warehouse")
        _ = try session.step(Inbox.SaveDraft(kim, text: "@kim on its"), "Drafts are kept as they are typed.")
        #expect(try session.step(Inbox.GetDraft(kim))?.text == "@kim on its")
        let queued = try session.step(Inbox.SendReply(kim, text: "@kim it is on its way"), "The signature is added.")
        #expect(queued.state == .queued && queued.text.hasSuffix(" ^ME"))
        #expect(try session.step(Inbox.GetReply(queued.id)).id == queued.id)
        #expect(try session.step(Inbox.CancelReply(queued.id), "Within the undo window.").state == .draft)
        let again = try session.step(Inbox.SendReply(kim, text: "@kim it is on its way, tracking 1Z999", confirmed: true))
        #expect(try session.step(Inbox.Outbox(all: true)).map(\.id) == [again.id])
        session.refused(Inbox.RetryReply(again.id), "Only a failed reply can be retried.", code: .wrongState)
        let thread = try session.step(Inbox.GetThread(kim), "Messages, replies and notes in order; who else is there.")
        #expect(thread.conversation.id == kim)
        #expect(try session.step(Inbox.Summary(), "The status line.").mine == 1)
        let start = try session.step(Inbox.Events(after: nil), "Where the log ends now.")
        #expect(start.events.isEmpty && start.lastID != nil)
        let first = try #require(start.lastID)
        #expect(try session.step(Inbox.Events(after: EventID(first.rawValue - 2), limit: 2), "The log from a point.").events.count == 2)
        _ = try session.step(Inbox.SetPresence(kim, .composing), "Where this client is; everyone else is told.")
        #expect(try session.step(Inbox.GetPresence(kim)) == [PresenceEntry(login: me, state: .composing)])
        _ = try session.step(Inbox.ReportActivity(), "The person did something (for idle-away).")
        #expect(try session.step(Inbox.Resolve(kim)).status == .resolved)
        #expect(try session.step(Inbox.Reopen(kim), "A new cycle.").status == .open)
        let until = fixture.clock.now().adding(seconds: 7_200)
        #expect(try session.step(Inbox.Snooze(max, until: until)).snoozedUntil == until)
        #expect(try session.step(Inbox.Stats(by: .channel), "Latency and SLA figures.").total.resolved == 1)
        #expect(try session.step(Inbox.Forecast(ForecastOptions(days: 1)), "Responders needed per hour (docs/forecast.md); options may be left out.").hours.count == 24)
        _ = try session.step(Inbox.Supervisor(), "The supervisor pane's picture.")
        #expect(try session.step(Inbox.ResponderLogin(sam.id)) == "sam")
        _ = try session.step(Inbox.Route(), "Route waiting conversations now.")
        fixture.service.accounts.update("acme-mastodon", platform: .mastodon, at: fixture.clock.now()) { status in
            status.channel = "acme@mastodon.social"
            status.state = .streaming
        }
        #expect(try session.step(Inbox.ListAccounts(), "The live accounts this daemon reads (docs/accounts.md).").map(\.state) == [.streaming])
        let crash = try session.step(Inbox.OpenWave(.conversation(kim), name: "login crash"), "Start a wave from a conversation (supervisors).")
        let app = try session.step(Inbox.OpenWave(.conversation(lee), name: "app crashes"))
        #expect(try session.step(Inbox.MergeWaves(app.id, into: crash.id), "One wave's conversations into another.").id == crash.id)
        #expect(try session.step(Inbox.Waves(), "Waves as the queue shows them (docs/waves.md).").map(\.size) == [2])
        #expect(try session.step(Inbox.GetWave(crash.id)).members.count == 2)
        #expect(try session.step(Inbox.TakeOutOfWave(kim), "Answer this one on its own.") == crash.id)
        let answered = try session.step(Inbox.AnswerWave(crash.id, variants: ["en": "Fixed now, sorry! Please try again."]),
                                        "One reply per customer, each with its own undo window.")
        #expect(answered.replies.count == 1)
        let eve = NewResponder(login: "eve", displayName: "Eve", initials: "EV", role: .agent, availability: .available, capacity: 3)
        #expect(try session.step(Inbox.AddResponder(eve)).login == "eve")
        #expect(try session.step(Inbox.UpdateResponder("eve", ResponderChanges(capacity: 5))).capacity == 5)
        #expect(try session.step(Inbox.ListResponders(all: false)).contains { $0.responder.login == "eve" })
        #expect(try session.step(Inbox.RemoveResponder("eve"), "Their open conversations go back to the queue.").isEmpty)

        // Refusals: a code for programs, words for people, the facts in details.
        session.refused(Inbox.Claim(ConversationID(999)), "No such conversation.", code: .notFound)
        session.raw(#"{"id":"x1","method":"claim","params":{"conversation":"kim"}}"#, "A param of the wrong type.", code: .badRequest)
        session.raw(#"{"id":"x2","method":"fly"}"#, "A method the daemon does not know.", code: .unknownMethod)

        let covered = Set(session.methods)
        let every = Set(Inbox.requests.map { $0.method })
        #expect(covered == every, "not round-tripped: \(every.subtracting(covered).sorted())")
        #expect(every.count == Inbox.requests.count, "two requests share a method name")
        try checkDocs(session.transcript(me: me, pushed: try #require(session.pushedClaim)))
    }

    /// The version check, as its own example: a client of protocol 1 is told both versions.
    @Test func aClientOfAnotherVersionIsToldBoth() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        let (server, _) = try fixture.daemon()
        try server.start()
        defer { server.stop() }
        let answer = try RawWire.exchange([#"{"hello":{"protocol":1}}"#], expecting: 1, path: server.socketPath)
        let error = try #require(answer.first?["error"] as? [String: Any])
        #expect(error["code"] as? String == "version")
        #expect(error["message"] as? String
            == "this daemon speaks protocol 2, the client protocol 1: use the earshot that matches the daemon")
    }

    func checkDocs(_ generated: String) throws {
        let text = try String(contentsOf: Self.docs, encoding: .utf8)
        let begin = "<!-- generated: session (swift test rewrites this with RECORD_SNAPSHOTS=1) -->\n"
        let end = "<!-- end generated: session -->"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
            Issue.record("docs/protocol.md has no \(begin.dropLast()) ... \(end) block")
            return
        }
        let current = String(text[start.upperBound..<stop.lowerBound])
        if current == generated { return }
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: generated)
                .write(to: Self.docs, atomically: true, encoding: .utf8)
            return
        }
        let firstDifference = zip(current.split(separator: "\n"), generated.split(separator: "\n")).first { $0 != $1 }
        Issue.record("docs/protocol.md's session differs from what the daemon sends (rerun with RECORD_SNAPSHOTS=1): \(String(describing: firstDifference))")
    }
}

/// One client connection driven line by line, recording what crosses the socket.
final class WireSession {
    private let socket: UnixSocket
    private var framer = MessageFramer()
    private var pending: [[UInt8]] = []
    private var nextID: Int64 = 1
    private(set) var methods: [String] = []
    private(set) var pushedClaim: String?
    /// (note, request line, answer line), in order.
    private var exchanges: [(note: String, sent: String, answer: String)] = []
    private var hello: (sent: String, answer: String)

    init(path: String, login: String) throws {
        socket = try UnixSocket.connect(to: path)
        let sent = String(decoding: try WireProtocol.line(HelloMessage(hello: .init(protocol: WireProtocol.version, client: "earshot"))).dropLast(), as: UTF8.self)
        try socket.write(Array(sent.utf8) + [0x0A])
        hello = (sent, "")
        hello = (sent, try Self.text(next()))
    }

    deinit { socket.close() }

    /// Sends a typed request and decodes its typed answer.
    func step<Request: InboxRequest>(_ request: Request, _ note: String = "") throws -> Request.Response {
        let answer = try send(request, note)
        let line = Array(answer.utf8)
        if let error = try? WireProtocol.decode(ErrorMessage.self, line) { throw error.error }
        return try WireProtocol.decode(ResponseMessage<Request.Response>.self, line).result
    }

    /// Sends a typed request that must be refused with `code`.
    func refused<Request: InboxRequest>(_ request: Request, _ note: String, code: InboxError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            let answer = try send(request, note)
            let error = try WireProtocol.decode(ErrorMessage.self, Array(answer.utf8)).error
            #expect(error.code == code, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(Request.method): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// Sends a line as written by hand; it must be refused with `code`.
    func raw(_ line: String, _ note: String, code: InboxError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try socket.write(Array(line.utf8) + [0x0A])
            let answer = try answerLine()
            exchanges.append((note, line, answer))
            #expect(try WireProtocol.decode(ErrorMessage.self, Array(answer.utf8)).error.code == code, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(line): \(error)", sourceLocation: sourceLocation)
        }
    }

    private func send<Request: InboxRequest>(_ request: Request, _ note: String) throws -> String {
        let id = RequestID.number(nextID)
        nextID += 1
        let line = try WireProtocol.line(RequestMessage(id: id, request: request))
        try socket.write(line)
        methods.append(Request.method)
        let answer = try answerLine()
        exchanges.append((note.isEmpty ? "" : note, Self.text(line.dropLast()), answer))
        return answer
    }

    /// The next message that is not pushed; the first pushed `claimed` event is kept as an example.
    private func answerLine() throws -> String {
        while true {
            let line = try next()
            let text = Self.text(line)
            if text.hasPrefix(#"{"event""#) || text.hasPrefix(#"{"presence""#) {
                if pushedClaim == nil, text.contains(#""kind":"claimed""#) { pushedClaim = text }
                continue
            }
            return text
        }
    }

    private func next() throws -> [UInt8] {
        while pending.isEmpty {
            let bytes = try socket.read()
            if bytes.isEmpty { throw InboxError(.closed, "the daemon closed the connection") }
            for case let .message(line) in framer.feed(bytes) { pending.append(line) }
        }
        return pending.removeFirst()
    }

    private static func text(_ bytes: some Sequence<UInt8>) -> String { String(decoding: Array(bytes), as: UTF8.self) }

    /// The session as markdown: `→` the client's line, `←` the daemon's. The test's login
    /// becomes `dana`, so the docs read the same on every machine.
    func transcript(me: String, pushed: String) -> String {
        func person(_ line: String) -> String {
            line.replacingOccurrences(of: "\"\(me)\"", with: "\"dana\"").replacingOccurrences(of: "responder:\(me)\"", with: "responder:dana\"")
                .replacingOccurrences(of: "set by \(me) (", with: "set by dana (")
        }
        var out = "```\n→ \(hello.sent)\n← \(person(hello.answer))\n```\n\n"
        var previousMethod = ""
        for exchange in exchanges {
            let method = (try? JSONSerialization.jsonObject(with: Data(exchange.sent.utf8)) as? [String: Any])?["method"] as? String ?? "?"
            if method != previousMethod || !exchange.note.isEmpty {
                out += "**`\(method)`**" + (exchange.note.isEmpty ? "" : ": \(exchange.note)") + "\n\n"
            }
            previousMethod = method
            out += "```\n→ \(person(exchange.sent))\n← \(person(exchange.answer))\n```\n\n"
        }
        out += "**A pushed event** (the claim above, as every connected client saw it):\n\n```\n← \(person(pushed))\n```\n"
        return out
    }
}
