import EarshotCore
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// The outbox with real delivery commands (sh scripts run through posix_spawn) and a manual clock.
@Suite struct OutboxTests {
    let fixture: ServiceFixture
    let id: ConversationID
    let sentFile: String

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        try fixture.responder("bob")
        try fixture.responder("boss", role: .supervisor)
        sentFile = fixture.directory.file("sent.jsonl")
        let customer = try fixture.customer("kim")
        let at = fixture.clock.now()
        let channel = fixture.channel.id
        id = try fixture.store.write { writer in
            try writer.insertConversation(
                NewConversation(channelID: channel, customerID: customer, triageClass: .question, startedAt: at, preview: "where is my order?"),
                because: EventDraft(.opened, by: .ingest, at: at, detail: ["message_at": String(at.millisecondsSinceEpoch)])).id
        }
        // Delivered: appends stdin to the file, prints a platform id.
        useCommand(["/bin/sh", "-c", "cat >> \"$0\"; echo x-post-77", sentFile])
    }

    func useCommand(_ argv: [String], attempts: Int = 5, timeout: Int = 30) {
        fixture.service.delivery.command = argv
        fixture.service.delivery.maxAttempts = attempts
        fixture.service.delivery.timeoutSeconds = timeout
    }

    func deliverer() -> OutboxDeliverer { OutboxDeliverer(service: fixture.service, log: { _ in }) }

    func events(_ kind: EventKind) throws -> [Event] { try fixture.store.read { try $0.events(for: id) }.filter { $0.kind == kind } }

    @Test func aSentReplyCarriesTheSignatureWaitsOutTheUndoWindowAndClaims() throws {
        let draft = try fixture.service.saveDraft(id, text: "@kim typing", by: "ann")
        let reply = try fixture.service.sendReply(id, text: "@kim It ships today!", by: "ann")
        #expect(reply.id == draft.id)  // the draft became the reply
        #expect(reply.text == "@kim It ships today! ^AN")
        #expect(reply.state == .queued)
        #expect(reply.nextAttemptAt == fixture.clock.now().adding(seconds: 5))
        #expect(try fixture.assignee(id) == "ann")
        #expect(try fixture.service.draft(of: id, by: "ann") == nil)
        #expect(try events(.replyQueued).count == 1)
        // Nothing is delivered inside the undo window.
        fixture.clock.advance(milliseconds: 4_999)
        #expect(try deliverer().deliverDue() == 0)
        fixture.clock.advance(milliseconds: 1)
        #expect(try deliverer().deliverDue() == 1)
    }

    /// A channel a live account reads (as recorded in the database, by whichever daemon runs it)
    /// is posted by that account only: the command leaves its replies alone, while a reply on
    /// another channel of the same platform still goes through the command.
    @Test func aLiveAccountsChannelIsLeftToItsAccountWhereverItRuns() throws {
        let at = fixture.clock.now()
        let (other, otherChannel) = try fixture.store.write { writer in
            let channel = try writer.insertChannel(platform: .x, handle: "OtherBrand", displayName: "Other", because: EventDraft(.channelAdded, by: .system, at: at))
            let customer = try writer.insertCustomer(platform: .x, handle: "lee", displayName: "Lee", firstSeen: at, because: EventDraft(.customerAdded, by: .ingest, at: at))
            try writer.setAccountCursor("acme-x", to: "1", channel: OutboxDeliverer.key("x", "AcmeSupport"), at: at)
            let conversation = try writer.insertConversation(
                NewConversation(channelID: channel.id, customerID: customer.id, triageClass: .question, startedAt: at, preview: "hi"),
                because: EventDraft(.opened, by: .ingest, at: at, detail: ["message_at": String(at.millisecondsSinceEpoch)]))
            return (conversation.id, channel)
        }
        #expect(otherChannel.handle == "OtherBrand")
        fixture.service.delivery.undoSeconds = 0
        let reserved = try fixture.service.sendReply(id, text: "@kim on it", by: "ann")
        let free = try fixture.service.sendReply(other, text: "@lee on it", by: "bob")
        let outbox = deliverer()
        outbox.reserve(accounts: ["acme-x"])
        outbox.start()
        defer { outbox.stop() }
        let deadline = Date().addingTimeInterval(10)
        while try fixture.service.reply(free.id, by: "bob").state != .sent && Date() < deadline { usleep(20_000) }
        #expect(try fixture.service.reply(free.id, by: "bob").state == .sent)
        usleep(300_000)
        let waiting = try fixture.service.reply(reserved.id, by: "ann")
        #expect(waiting.state == .queued && waiting.attempts == 0, "left for the account: \(waiting)")
    }

    @Test func theCommandGetsTheReplyAsJSONAndItsIdIsRecordedAsSent() throws {
        let reply = try fixture.service.sendReply(id, text: "@kim It ships today!", by: "ann")
        fixture.clock.advance(seconds: 65)
        #expect(try deliverer().deliverDue() == 1)
        let sent = try fixture.service.reply(reply.id, by: "ann")
        #expect(sent.state == .sent)
        #expect(sent.platformID == "x-post-77")
        #expect(sent.platform == .x)
        #expect(sent.sentAt == fixture.clock.now())
        #expect(sent.attempts == 1)
        let line = try String(contentsOfFile: sentFile, encoding: .utf8)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(payload["text"] as? String == "@kim It ships today! ^AN")
        #expect(payload["customer"] as? String == "kim")
        #expect(payload["channel"] as? String == "AcmeSupport")
        #expect(payload["author"] as? String == "ann")
        // The key chosen before the first attempt, kept on the reply (so a retry in another run carries it too).
        let key = try #require(payload["idempotency_key"] as? String)
        #expect(key.hasPrefix("earshot-") && key.count == "earshot-".count + 36)
        #expect(sent.deliveryKey == key)
        // The conversation now waits for the customer, and the reply is a latency sample.
        let conversation = try fixture.get(id)
        #expect(conversation.status == .pending)
        #expect(conversation.waitingSince == nil)
        let report = try StatsEngine(store: fixture.store, sla: SLAPolicy(), clock: fixture.clock).report(grouping: .responder)
        #expect(report.total.repliesSent == 1)
        #expect(report.total.firstResponse.p50 == 65_000)
    }

    @Test func cancellingInTheUndoWindowGivesTheDraftBackAndDeliveryStartedIsFinal() throws {
        let reply = try fixture.service.sendReply(id, text: "@kim wrong answer", by: "ann")
        try fixture.service.saveDraft(id, text: "and more", by: "ann")
        let draft = try fixture.service.cancelReply(reply.id, by: "ann")
        #expect(draft.state == .draft)
        #expect(try fixture.service.draft(of: id, by: "ann")?.text == "@kim wrong answer\nand more")
        #expect(try events(.replyCancelled).count == 1)
        fixture.clock.advance(seconds: 10)
        #expect(try deliverer().deliverDue() == 0)

        let second = try fixture.service.sendReply(id, text: "@kim right answer", by: "ann")
        fixture.clock.advance(seconds: 5)
        _ = try #require(try fixture.service.beginNextDelivery())
        #expect(throws: ServiceError.wrongState("reply \(second.id) is already being delivered; it can no longer be cancelled")) {
            try fixture.service.cancelReply(second.id, by: "ann")
        }
        #expect(throws: ServiceError.self) { try fixture.service.cancelReply(second.id, by: "bob") }
    }

    @Test func failuresAreRetriedWithGrowingWaitsThenMarkedFailedWithTheCommandsError() throws {
        useCommand(["/bin/sh", "-c", "echo 'rate limited, try later' >&2; exit 3"], attempts: 3)
        let reply = try fixture.service.sendReply(id, text: "@kim hello", by: "ann")
        fixture.clock.advance(seconds: 5)
        #expect(try deliverer().deliverDue() == 1)
        var now = try fixture.service.reply(reply.id, by: "ann")
        #expect(now.state == .queued)
        #expect(now.lastError == "/bin/sh exited with status 3: rate limited, try later")
        #expect(now.nextAttemptAt == fixture.clock.now().adding(seconds: 2))
        fixture.clock.advance(seconds: 1)
        #expect(try deliverer().deliverDue() == 0)
        fixture.clock.advance(seconds: 1)
        #expect(try deliverer().deliverDue() == 1)
        now = try fixture.service.reply(reply.id, by: "ann")
        #expect(now.nextAttemptAt == fixture.clock.now().adding(seconds: 4))
        fixture.clock.advance(seconds: 4)
        #expect(try deliverer().deliverDue() == 1)
        now = try fixture.service.reply(reply.id, by: "ann")
        #expect(now.state == .failed)
        #expect(now.attempts == 3)
        #expect(try fixture.service.outbox(all: false, by: "ann").map(\.id) == [reply.id])
        #expect(try events(.replyFailed).last?.detail["final"] == "true")
        // The conversation still waits for an answer.
        #expect(try fixture.get(id).waitingSince != nil)
        // A retry starts over once the command works.
        useCommand(["/bin/sh", "-c", "cat > /dev/null; echo x-9"])
        try fixture.service.retryReply(reply.id, by: "ann")
        #expect(try deliverer().deliverDue() == 1)
        #expect(try fixture.service.reply(reply.id, by: "ann").state == .sent)
        #expect(try fixture.service.outbox(all: false, by: "ann").isEmpty)
    }

    @Test func aCommandThatHangsOrPrintsNoIdIsAFailure() throws {
        useCommand(["/bin/sh", "-c", "sleep 20"], timeout: 1)
        let reply = try fixture.service.sendReply(id, text: "@kim hello", by: "ann")
        fixture.clock.advance(seconds: 5)
        try deliverer().deliverDue()
        #expect(try fixture.service.reply(reply.id, by: "ann").lastError == "/bin/sh did not finish within 1 s and was killed")
        useCommand(["/bin/sh", "-c", "cat > /dev/null"])
        fixture.clock.advance(seconds: 10)
        try deliverer().deliverDue()
        #expect(try fixture.service.reply(reply.id, by: "ann").lastError == "/bin/sh exited 0 but printed no platform id on stdout")
        useCommand(["/nonexistent/post-reply"])
        fixture.clock.advance(seconds: 10)
        try deliverer().deliverDue()
        #expect(try fixture.service.reply(reply.id, by: "ann").lastError?.hasPrefix("/nonexistent/post-reply could not be started") == true)
    }

    @Test func aConversationThatChangedSinceTheDraftBeganNeedsConfirmation() throws {
        try fixture.service.claim(id, by: "ann")
        try fixture.service.saveDraft(id, text: "@kim let me check", by: "ann")
        fixture.clock.advance(minutes: 1)
        let at = fixture.clock.now()
        let conversation = id
        try fixture.store.write { writer in
            try writer.appendEvent(EventDraft(.ingested, by: .ingest, at: at, conversation: conversation))
            try writer.appendEvent(EventDraft(.replied, by: .responder(login: "boss"), at: at, conversation: conversation))
        }
        let expected = ServiceError.changedSinceDraft(conversation: id, changes: ["a new customer message", "a reply by boss"])
        #expect(throws: expected) { try fixture.service.sendReply(id, text: "@kim let me check", by: "ann") }
        #expect(expected.description.contains("--confirm"))
        #expect(try fixture.service.draft(of: id, by: "ann") != nil)  // nothing lost
        // Read again (basedOn now) or confirmed: it goes.
        #expect(try fixture.service.sendReply(id, text: "@kim let me check", basedOn: fixture.clock.now(), by: "ann").state == .queued)
        try fixture.service.saveDraft(id, text: "@kim more", by: "ann")
        fixture.clock.advance(minutes: 1)
        let later = fixture.clock.now()
        _ = try fixture.store.write { writer in
            try writer.appendEvent(EventDraft(.ingested, by: .ingest, at: later, conversation: conversation))
        }
        #expect(try fixture.service.sendReply(id, text: "@kim more", confirmed: true, by: "ann").state == .queued)
    }

    @Test func overTheLimitOrSomeoneElsesConversationIsRefusedAndNothingIsQueued() throws {
        let long = "@kim " + String(repeating: "a", count: 131)  // 136 + " ^AN" = 140: fits
        #expect(try fixture.service.sendReply(id, text: long, by: "ann").text.count == 140)
        #expect(throws: ServiceError.invalid(
            "the reply is 141 characters with your signature \"^AN\"; the limit is 140: shorten it by 1")) {
            try fixture.service.sendReply(id, text: long + "b", by: "ann")
        }
        // A URL counts 23 however long it is.
        let withLink = "@kim see https://example.com/" + String(repeating: "x", count: 150)
        #expect(try fixture.service.sendReply(id, text: withLink, by: "ann").state == .queued)
        #expect(throws: ServiceError.self) { try fixture.service.sendReply(id, text: "@kim me too", by: "bob") }
        #expect(throws: ServiceError.invalid("a reply needs some text")) { try fixture.service.sendReply(id, text: "  \n", by: "ann") }
        #expect(try fixture.service.outbox(all: true, by: "boss").count == 2)
        #expect(throws: ServiceError.supervisorsOnly(action: "seeing everyone's outbox")) { try fixture.service.outbox(all: true, by: "ann") }
    }

    @Test func aDeliveryInterruptedByACrashIsDeliveredAgainAndRecordedOnce() throws {
        let reply = try fixture.service.sendReply(id, text: "@kim hello", by: "ann")
        fixture.clock.advance(seconds: 5)
        let request = try #require(try fixture.service.beginNextDelivery())
        // The daemon dies here, after the command may have posted (on PostgreSQL its leases go
        // with it, and with them the mark that it runs). A new one starts:
        (fixture.store as? PostgresInboxStore)?.releaseLeases()
        let restarted = InboxService(store: try fixture.reopenedStore(), clock: fixture.clock)
        #expect(try restarted.recoverInterruptedDeliveries() == 1)
        let again = try #require(try restarted.beginNextDelivery())
        #expect(again.replyID == request.replyID)
        #expect(again.attempt == 2)
        #expect(again.idempotencyKey == request.idempotencyKey)
        try restarted.finishDelivery(reply.id, outcome: .delivered(platformID: "x-1"))
        // A late report of the first attempt changes nothing.
        try restarted.finishDelivery(reply.id, outcome: .delivered(platformID: "x-2"))
        #expect(try fixture.service.reply(reply.id, by: "ann").platformID == "x-1")
        #expect(try events(.replied).count == 1)
    }
}
