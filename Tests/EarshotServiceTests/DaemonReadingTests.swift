import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import Testing

/// The read side through the daemon returns exactly what the service returns in-process,
/// plus presence, which only the daemon knows.
extension DaemonProtocolTests {
    /// Conversations with labels, notes, replies and a draft, for the reads to show.
    func populateForReading() throws -> ConversationID {
        let now = fixture.clock.now()
        let dana = try fixture.customer("dana")
        let earlier = try fixture.conversation(customer: dana, due: now.adding(seconds: -600))
        fixture.clock.advance(minutes: 1)
        for minutes in [30, -5, 90, 10, 240, 15] { try fixture.conversation(due: now.adding(seconds: Int64(minutes) * 60)) }
        let id = try fixture.conversation(customer: dana, priority: .high, due: now.adding(seconds: 3600))
        let at = fixture.clock.now()
        let channel = fixture.channel.id
        _ = try fixture.store.write { writer in
            try writer.insertMention(
                NewMention(
                    platform: .x, externalID: "m1", channelID: channel, customerID: dana, conversationID: id,
                    text: "@AcmeSupport where is my parcel?", createdAt: at, rawPayload: "{}"),
                because: EventDraft(.ingested, by: .ingest, at: at, conversation: id))
        }
        try fixture.service.label(id, "refund", add: true, by: me)
        try fixture.service.addNote(id, text: "called the warehouse", by: me)
        try fixture.service.addNote(earlier, text: "same parcel", by: me)
        fixture.clock.advance(minutes: 2)
        try fixture.service.sendReply(id, text: "@dana on its way", by: me)
        try fixture.service.saveDraft(id, text: "@dana anything else?", by: me)
        fixture.clock.advance(minutes: 50)
        return id
    }

    @Test func queueWindowsThreadSummaryAndEventsAreTheSameThroughTheDaemon() throws {
        defer { server.stop() }
        let id = try populateForReading()
        let local = LocalInbox(service: fixture.service, login: me)
        let remote = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))

        let top = try local.send(QueueWindowRequest(view: .open, limit: 3))
        let middle = try #require(top.last?.position)
        let requests = [
            QueueWindowRequest(view: .open, limit: 3),
            QueueWindowRequest(view: .open, anchor: .last, limit: 2),
            QueueWindowRequest(view: .open, anchor: .after(middle), limit: 2),
            QueueWindowRequest(view: .open, anchor: .before(middle), limit: 5),
            QueueWindowRequest(view: .breached, limit: 10),
            QueueWindowRequest(view: .mine, filter: QueueFilter(label: "refund", priority: .high, search: "DANA"), limit: 10),
            QueueWindowRequest(view: .unassigned, filter: QueueFilter(channel: "AcmeSupport", triageClass: .question), limit: 10),
        ]
        for request in requests {
            let overTheWire = try remote.send(request)
            #expect(overTheWire == (try local.send(request)), "\(request)")
            #expect(!overTheWire.isEmpty, "\(request) shows nothing: the comparison would prove little")
        }

        var thread = try remote.send(Inbox.GetThread(id))
        #expect(thread.presence.isEmpty)
        thread.presence = []
        #expect(thread == (try local.send(Inbox.GetThread(id))))
        #expect(thread.entries.count == 3 && thread.earlier.count == 1 && thread.myDraft != nil)

        #expect(try remote.send(Inbox.Summary()) == (try local.send(Inbox.Summary())))

        let start = try remote.send(Inbox.Events(after: nil, limit: 10))
        #expect(start == (try local.send(Inbox.Events(after: nil, limit: 10))))
        #expect(start.events.isEmpty && start.lastID != nil)
        let log = try remote.send(Inbox.Events(after: EventID(0), limit: 10_000))
        #expect(log == (try local.send(Inbox.Events(after: EventID(0), limit: 10_000))))
        #expect(log.events.contains { $0.kind == .noted && $0.actor == .responder(login: me) && $0.conversationID == id })
        #expect(log.lastID == start.lastID)
    }

    @Test func aThreadThroughTheDaemonShowsWhoElseIsThere() throws {
        defer { server.stop() }
        let id = try populateForReading()
        let reader = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        let typist = RemoteInbox(connection: try DaemonConnection(path: server.socketPath))
        _ = try reader.send(Inbox.SetPresence(id, .viewing))
        _ = try typist.send(Inbox.SetPresence(id, .composing))
        // Each connection sees the other, never itself (both are this test's login).
        #expect(try reader.send(Inbox.GetThread(id)).presence == [PresenceEntry(login: me, state: .composing)])
        #expect(try typist.send(Inbox.GetThread(id)).presence == [PresenceEntry(login: me, state: .viewing)])
        // Going nowhere clears the place; presence.set with "none" needs no conversation.
        _ = try typist.send(Inbox.SetPresence(nil, .none))
        #expect(try reader.send(Inbox.GetThread(id)).presence.isEmpty)
        #expect(try LocalInbox(service: fixture.service, login: me).send(Inbox.GetThread(id)).presence.isEmpty)
    }

    /// Requests written by hand, as a client in another language would: the JSON of
    /// docs/protocol.md, the answer read as plain JSON.
    func call(_ method: String, _ params: String) throws -> Any {
        let line = #"{"id":1,"method":"\#(method)","params":\#(params)}"#
        let answer = try #require(try RawWire.exchange([RawWire.hello, line], expecting: 2, path: server.socketPath).last)
        if let error = answer["error"] as? [String: Any] { throw InboxError(.badRequest, error["message"] as? String ?? "?") }
        return try #require(answer["result"])
    }

    func window(_ params: String) throws -> [QueueRow] {
        try JSONDecoder().decode([QueueRow].self, from: JSONSerialization.data(withJSONObject: try call("queue", params)))
    }

    @Test func theReadMethodsTakeTheDocumentedJSON() throws {
        defer { server.stop() }
        let id = try populateForReading()
        let local = LocalInbox(service: fixture.service, login: me)
        let last = try window(#"{"view": "open", "anchor": "last", "limit": 2}"#)
        #expect(last == (try local.send(QueueWindowRequest(view: .open, anchor: .last, limit: 2))))
        let position = try #require(last.first?.position)
        let before = try window(#"{"view": "open", "anchor": {"before": {"sortKey": \#(position.sortKey), "id": \#(position.id)}}, "limit": 50}"#)
        #expect(before == (try local.send(QueueWindowRequest(view: .open, anchor: .before(position), limit: 50))))
        let searched = try window(#"{"view": "open", "filter": {"search": "dana", "label": "refund", "priority": "high"}}"#)
        #expect(searched.map(\.conversation.id) == [id])
        #expect(searched.first?.sla == .warning)  // 53 of 60 minutes waited

        let thread = try #require(try call("thread", #"{"conversation": \#(id)}"#) as? [String: Any])
        let entries = try #require(thread["entries"] as? [[String: Any]])
        #expect(entries.map { $0.keys.sorted() } == [["message"], ["author", "note"], ["author", "initials", "reply"]])
        #expect(entries.last?["initials"] as? String == "ME")
        let summary = try #require(try call("summary", "{}") as? [String: Any])
        #expect((summary["mine"] as? NSNumber)?.intValue == 1)
        let events = try #require(try call("events", #"{"after": null, "limit": 5}"#) as? [String: Any])
        #expect((events["events"] as? [Any])?.isEmpty == true)
        let batch = try #require(try call("events", #"{"after": 0, "limit": 1}"#) as? [String: Any])
        let first = try #require((batch["events"] as? [[String: Any]])?.first)
        #expect(first["actor"] as? String == "system")
        #expect(first["at"] is NSNumber, "times are milliseconds since the epoch")
        #expect(throws: InboxError.self, "a window without a view was served") { try call("queue", #"{"limit": 5}"#) }
    }
}
