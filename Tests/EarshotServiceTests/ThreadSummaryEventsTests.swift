import EarshotCore
import EarshotService
import EarshotStore
import Testing

/// The thread pane, the status line and the event stream as a client reads them in-process.
@Suite struct ThreadSummaryEventsTests {
    let fixture: ServiceFixture
    let ann: LocalInbox

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        try fixture.responder("bob")
        ann = LocalInbox(service: fixture.service, login: "ann")
    }

    /// A customer message stored as ingest stores it, at the clock's now.
    @discardableResult
    func message(_ text: String, in id: ConversationID) throws -> Mention {
        let conversation = try fixture.get(id)
        let at = fixture.clock.now()
        let channel = fixture.channel.id
        let outcome = try fixture.store.write { writer in
            try writer.insertMention(
                NewMention(
                    platform: .x, externalID: "m\(at.millisecondsSinceEpoch)", channelID: channel,
                    customerID: conversation.customerID, conversationID: id, text: text, createdAt: at, rawPayload: #"{"id":"raw"}"#),
                because: EventDraft(.ingested, by: .ingest, at: at, conversation: id))
        }
        guard case var .inserted(mention) = outcome else { throw ServiceError.invalid("duplicate mention") }
        #expect(mention.rawPayload == #"{"id":"raw"}"#)
        mention.rawPayload = ""  // as the thread shows it
        return mention
    }

    @Test func theThreadIsChronologicalWithNotesApartAndDraftsLeftOut() throws {
        let dana = try fixture.customer("dana")
        let id = try fixture.conversation(customer: dana, due: fixture.clock.now().adding(seconds: 4 * 3600))
        let first = try message("@AcmeSupport where is my order?", in: id)
        // Same time as the message: a message comes before a note.
        let early = try fixture.service.addNote(id, text: "same customer as last week", by: "bob")
        fixture.clock.advance(minutes: 2)
        let delivered = try fixture.service.sendReply(id, text: "@dana looking now", by: "ann")
        fixture.clock.advance(minutes: 3)
        let note = try fixture.service.addNote(id, text: "checked the warehouse", by: "ann")
        fixture.clock.advance(minutes: 2)
        let queued = try fixture.service.sendReply(id, text: "@dana it left today", by: "ann")
        fixture.clock.advance(minutes: 3)
        let second = try message("@AcmeSupport thanks!", in: id)
        fixture.clock.advance(minutes: 2)
        // The first reply is confirmed by the platform only now: it sorts by its send time.
        var sent = delivered
        sent.state = .sent
        sent.sentAt = fixture.clock.now()
        try fixture.store.write { try $0.updateReply(sent, because: EventDraft(.replied, by: .system, at: sent.sentAt!, conversation: id)) }
        try fixture.service.saveDraft(id, text: "@dana anything else?", by: "ann")
        try fixture.service.saveDraft(id, text: "bob's draft", by: "bob")

        let thread = try ann.send(Inbox.GetThread(id))
        #expect(thread.entries == [
            .message(first), .note(early, author: "bob"), .note(note, author: "ann"),
            .reply(queued, author: "ann", initials: "AN"), .message(second), .reply(sent, author: "ann", initials: "AN"),
        ])
        #expect(thread.entries.map(\.time) == thread.entries.map(\.time).sorted())
        #expect(thread.myDraft?.text == "@dana anything else?")
        #expect(try LocalInbox(service: fixture.service, login: "bob").send(Inbox.GetThread(id)).myDraft?.text == "bob's draft")
        #expect(thread.conversation == (try fixture.get(id)))
        #expect(thread.customer.handle == "dana")
        #expect(thread.channel == fixture.channel)
        #expect(thread.assignee == "ann")  // replying claimed it
        #expect(thread.presence.isEmpty)
        #expect(thread.earlier.isEmpty)
    }

    @Test func theThreadShowsTheSLAMarkAndNoDraftOnceItIsCleared() throws {
        let id = try fixture.conversation(due: fixture.clock.now().adding(seconds: 60))
        try fixture.service.saveDraft(id, text: "", by: "ann")
        let thread = try ann.send(Inbox.GetThread(id))
        #expect(thread.myDraft == nil)
        #expect(thread.sla == .ok)
        fixture.clock.advance(minutes: 1)
        #expect(try ann.send(Inbox.GetThread(id)).sla == .breached)
        #expect(throws: InboxError(ServiceError.unknownConversation(ConversationID(99)))) { try ann.send(Inbox.GetThread(ConversationID(99))) }
        #expect(throws: InboxError(ServiceError.notAResponder(login: "mallory"))) {
            try LocalInbox(service: fixture.service, login: "mallory").send(Inbox.GetThread(id))
        }
    }

    @Test func earlierConversationsAreTheCustomersOthersNewestFirstAtMostTen() throws {
        let dana = try fixture.customer("dana")
        var others: [ConversationID] = []
        for _ in 0..<12 {
            others.append(try fixture.conversation(customer: dana))
            fixture.clock.advance(minutes: 60)
        }
        try fixture.conversation(customer: try fixture.customer("eli"))
        let id = try fixture.conversation(customer: dana)
        fixture.clock.advance(minutes: 1)
        let newer = try fixture.conversation(customer: dana)
        try fixture.service.resolve(others[11], by: "admin")
        try fixture.service.addNote(others[10], text: "one", by: "ann")
        try fixture.service.addNote(others[10], text: "two", by: "bob")
        try fixture.service.addNote(id, text: "not an earlier one", by: "ann")

        let earlier = try ann.send(Inbox.GetThread(id)).earlier
        #expect(earlier.map(\.id) == [newer] + others.suffix(9).reversed())
        #expect(earlier.first { $0.id == others[11] }?.status == .resolved)
        #expect(earlier.first { $0.id == others[10] }?.notes == 2)
        #expect(earlier.first { $0.id == others[9] }?.notes == 0)
        let oldest = try #require(earlier.last)
        #expect(oldest.startedAt == (try fixture.get(others[3])).createdAt)
        #expect(oldest.preview == "help?")
    }

    @Test func theSummaryCountsFromTheStoreAtTheServiceClock() throws {
        let now = fixture.clock.now()
        let late = try fixture.conversation(due: now.adding(seconds: -60))
        let lateAndMine = try fixture.conversation(due: now.adding(seconds: -30))
        let mine = try fixture.conversation(due: now.adding(seconds: 600))
        let pending = try fixture.conversation(due: nil)
        let snoozed = try fixture.conversation(due: now.adding(seconds: -10))
        try fixture.conversation(triage: .spam, due: now.adding(seconds: -90))
        try fixture.conversation(due: now.adding(seconds: 60))
        for id in [lateAndMine, mine, pending, snoozed] { try fixture.service.assign(id, to: "ann", by: "admin") }
        var waiting = try fixture.get(pending)
        waiting.status = .pending
        try fixture.store.write { try $0.updateConversation(waiting, because: EventDraft(.statusChanged, by: .system, at: now)) }
        try fixture.service.snooze(snoozed, until: now.adding(seconds: 3600), by: "admin")
        fixture.clock.advance(seconds: 45)

        let summary = try ann.send(Inbox.Summary())
        #expect(summary.me.login == "ann")
        #expect(summary.mine == 3)  // open and pending, not snoozed
        #expect(summary.mine == (try fixture.store.read { try $0.openLoads() })[summary.me.id])
        #expect(summary.unassigned == 2)  // spam is set aside
        #expect(summary.breached == 2)  // late and lateAndMine; the next one is due in 15 seconds
        #expect(try ann.send(QueueWindowRequest(view: .breached, limit: 100)).map(\.conversation.id) == [late, lateAndMine])
        #expect(summary.oldestWaitSince == now)
        #expect(summary.now == now.adding(seconds: 45))
        fixture.clock.advance(seconds: 15)
        #expect(try ann.send(Inbox.Summary()).breached == 3)
        #expect(throws: InboxError(ServiceError.notAResponder(login: "mallory"))) { try LocalInbox(service: fixture.service, login: "mallory").send(Inbox.Summary()) }
    }

    @Test func eventsComeInBatchesFromWhereTheClientLeftOff() throws {
        let start = try ann.send(Inbox.Events(after: nil, limit: 10))
        #expect(start.events.isEmpty)
        let newest = try fixture.store.read { try $0.events(after: nil, limit: 10_000) }.last?.id
        #expect(start.lastID == newest)

        let id = try fixture.conversation()
        _ = try ann.send(Inbox.Claim(id))
        _ = try ann.send(Inbox.AddNote(id, text: "on it"))
        let batch = try ann.send(Inbox.Events(after: start.lastID, limit: 10))
        #expect(batch.events.map(\.kind) == [.customerAdded, .opened, .claimed, .noted])
        #expect(batch.events.last?.actor == .responder(login: "ann"))
        #expect(batch.lastID == batch.events.last?.id)
        let nothingNew = try ann.send(Inbox.Events(after: batch.lastID, limit: 10))
        #expect(nothingNew == EventBatch(events: [], lastID: batch.lastID))

        // Small batches, each from the last one's end, read the whole log once, in order.
        let all = try fixture.store.read { try $0.events(after: nil, limit: 10_000) }
        var read: [Event] = []
        var cursor = EventID(0)
        while true {
            let next = try ann.send(Inbox.Events(after: cursor, limit: 3))
            #expect(next.events.count <= 3)
            if next.events.isEmpty { break }
            read += next.events
            cursor = try #require(next.lastID)
        }
        #expect(read == all)
        #expect(throws: InboxError(ServiceError.invalid("limit must be between 1 and 10000"))) { try ann.send(Inbox.Events(after: nil, limit: 0)) }
    }
}
