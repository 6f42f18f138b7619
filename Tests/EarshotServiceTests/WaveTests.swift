import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import Testing

/// Waves on either store (`make test` runs this suite on PostgreSQL too): found in the stream
/// of customer messages, marked, merged, taken apart, and answered one reply per customer.
@Suite struct WaveTests {
    /// A day of ordinary traffic (every word at its usual rate), then the trouble.
    func quietDay(_ fixture: ServiceFixture) throws {
        let start = fixture.clock.now()
        let ordinary = ["where is my order", "my parcel never arrived", "thanks for the quick help", "how do I change my address",
                        "the invoice looks wrong", "can I return these shoes"]
        for index in 0..<24 {
            fixture.clock.set(start.adding(milliseconds: Int64(index) * 3_600_000))
            try post(fixture, "regular\(index)", ordinary[index % ordinary.count] + " #\(index)")
        }
        fixture.clock.set(start.adding(milliseconds: 24 * 3_600_000))
        try fixture.service.detectWaves()
    }

    @discardableResult
    func post(_ fixture: ServiceFixture, _ handle: String, _ text: String, triage: TriageClass = .complaint) throws -> ConversationID {
        let customer = try fixture.customer(handle)
        let at = fixture.clock.now()
        return try fixture.store.write { writer in
            try writer.openConversation(
                NewConversation(channelID: fixture.channel.id, customerID: customer, triageClass: triage, startedAt: at, preview: text),
                with: NewMention(platform: .x, externalID: "\(handle)-\(at.millisecondsSinceEpoch)", channelID: fixture.channel.id,
                                 customerID: customer, conversationID: ConversationID(0), text: "@AcmeSupport " + text, createdAt: at,
                                 rawPayload: "{}"),
                because: EventDraft(.opened, by: .ingest, at: at)).0.id
        }
    }

    /// Five customers within minutes, in two languages, about checkout error 503.
    static let burst = [
        ("ann", "checkout fails with error 503"), ("bo", "error 503 at checkout again"), ("cy", "payment page error 503"),
        ("dee", "¿el pago no funciona? error 503 desde hace rato"), ("eve", "getting error 503 when paying"),
    ]

    @Test func aBurstFormsAWaveAtItsFifthPostAndLaterPostsJoinIt() throws {
        let fixture = try ServiceFixture()
        try quietDay(fixture)
        var ids: [ConversationID] = []
        for (index, (handle, text)) in Self.burst.enumerated() {
            fixture.clock.advance(milliseconds: 40_000)
            ids.append(try post(fixture, handle, text))
            let report = try fixture.service.detectWaves()
            #expect(report.formed.count == (index == 4 ? 1 : 0), "after post \(index + 1): \(report)")
        }
        let waves = try fixture.service.waves(for: "admin")
        #expect(waves.count == 1)
        let wave = try #require(waves.first)
        #expect(wave.size == 5 && wave.wave.state == .detected)
        #expect(wave.wave.topic == "503" || wave.wave.topic == "error")
        #expect(wave.wave.name == "503 error")
        #expect(wave.languages == [.english, .spanish])
        #expect(wave.channels == ["AcmeSupport"])
        #expect(try wave.oldestWaitSince == fixture.get(ids[0]).waitingSince)

        // A sixth on the same trouble joins; an ordinary message does not.
        fixture.clock.advance(milliseconds: 30_000)
        let sixth = try post(fixture, "fay", "still error 503 here")
        let ordinary = try post(fixture, "gus", "where is my parcel")
        // Spam set aside by triage quoting the error joins nothing: a wave is of customers to answer.
        let spam = try post(fixture, "promo", "error 503? fix it with our VPN, DM us", triage: .spam)
        #expect(try fixture.service.detectWaves().joined == 1)
        let detail = try fixture.service.wave(wave.wave.id, for: "admin")
        #expect(detail.members.map(\.member.conversationID) == ids + [sixth])
        #expect(!detail.members.contains { $0.member.conversationID == ordinary || $0.member.conversationID == spam })
        // A wave changes nobody's class.
        #expect(try ids.allSatisfy { try fixture.get($0).triageClass == .complaint })

        // The customer who writes again leaves the wave: their new message is answered as itself.
        fixture.clock.advance(milliseconds: 60_000)
        try fixture.store.write { writer in
            var conversation = try #require(try writer.conversation(ids[1]))
            conversation.lastCustomerMessageAt = fixture.clock.now()
            let customer = conversation.customerID
            _ = try writer.addMention(
                NewMention(platform: .x, externalID: "bo-again", channelID: fixture.channel.id, customerID: customer,
                           conversationID: ids[1], text: "@AcmeSupport and now my card was charged twice", createdAt: fixture.clock.now(),
                           rawPayload: "{}"),
                to: conversation, because: EventDraft(.ingested, by: .ingest, at: fixture.clock.now()))
        }
        #expect(try fixture.service.detectWaves().left == 1)
        #expect(try fixture.store.read { try $0.waveMember(of: ids[1]) }?.leftAt != nil)
        #expect(try fixture.service.wave(wave.wave.id, for: "admin").members.count == 5)
    }

    /// Shares, not counts: six hours of two messages a minute, every eighth about an order.
    /// Each half hour then holds seven or eight "order" messages, more than the five a wave
    /// needs, at its usual eighth of the traffic: no wave. Forty "order" messages in under
    /// seven minutes, with nothing else, are over half of the window: a wave on "order".
    @Test func aCommonWordAtItsUsualShareIsNoWaveAndFarAboveItIsOne() throws {
        let fixture = try ServiceFixture()
        let texts = ["where is my order", "the app crashes on start", "refund for the shoes please", "the parcel came damaged",
                     "my password reset email never arrives", "do you ship to Lisbon", "the invoice shows the wrong name",
                     "can I change the delivery address"]
        let start = fixture.clock.now()
        for index in 0..<720 {
            fixture.clock.set(start.adding(milliseconds: Int64(index) * 30_000))
            try post(fixture, "c\(index)", texts[index % texts.count] + " #\(index)")
        }
        #expect(try fixture.service.detectWaves().formed.isEmpty)
        for index in 0..<40 {
            fixture.clock.advance(milliseconds: 10_000)
            try post(fixture, "o\(index)", "where is my order #o\(index)")
        }
        #expect(try fixture.service.detectWaves().formed.count == 1)
        #expect(try fixture.store.read { try $0.activeWaves() }.map(\.topic) == ["order"])
    }

    /// After a restart the detector is rebuilt from the messages before its watermark, each
    /// with its language: a burst that spans the restart forms its wave at the fifth post, and
    /// the Spanish customer read back is still Spanish.
    @Test func aBurstSpanningARestartFormsItsWaveWithTheLanguagesKept() throws {
        let fixture = try ServiceFixture()
        try quietDay(fixture)
        var ids: [ConversationID] = []
        for (handle, text) in Self.burst.prefix(4) {
            fixture.clock.advance(milliseconds: 40_000)
            ids.append(try post(fixture, handle, text))
        }
        #expect(try fixture.service.detectWaves().formed.isEmpty)
        // A new daemon over the same store: its detector starts empty.
        let restarted = InboxService(store: fixture.store, clock: fixture.clock)
        fixture.clock.advance(milliseconds: 40_000)
        ids.append(try post(fixture, Self.burst[4].0, Self.burst[4].1))
        #expect(try restarted.detectWaves().formed.count == 1)
        let members = try fixture.store.read { reader in try reader.activeWaves().flatMap { try reader.waveMembers($0.id) } }
        #expect(members.map(\.conversationID) == ids)
        #expect(members.map(\.language) == [.english, .english, .english, .spanish, .english])
    }

    @Test func supervisorsMarkMergeAndTakeOut() throws {
        let fixture = try ServiceFixture()
        try fixture.responder("ann")
        try fixture.responder("sue", role: .supervisor)
        let one = try post(fixture, "kim", "the app crashes on login")
        let two = try post(fixture, "lee", "login page crashes the app")
        #expect(throws: ServiceError.supervisorsOnly(action: "opening a wave")) {
            try fixture.service.openWave(.conversation(one), name: "login crash", by: "ann")
        }
        let first = try fixture.service.openWave(.conversation(one), name: "login crash", by: "sue")
        #expect(first.state == .open && first.topic == "crash login" && first.openedBy == "sue")
        let second = try fixture.service.openWave(.conversation(two), name: "app crashes", by: "sue")
        #expect(throws: ServiceError.wrongState("conversation \(one) is already in wave \(first.id); take it out first (`:wave out`)")) {
            try fixture.service.openWave(.conversation(one), name: "again", by: "sue")
        }
        let merged = try fixture.service.mergeWaves(second.id, into: first.id, by: "sue")
        #expect(merged.topic == "app crash crashes login")
        #expect(try fixture.service.waves(for: "ann").map(\.size) == [2])
        // A later message on the marked wave's topic joins it.
        let third = try post(fixture, "mo", "crash on login since the update")
        try fixture.service.detectWaves()
        #expect(try fixture.store.read { try $0.waveMember(of: third) }?.waveID == first.id)
        #expect(try fixture.service.takeOutOfWave(two, by: "sue") == first.id)
        #expect(try fixture.service.wave(first.id, for: "ann").members.map(\.member.conversationID) == [one, third])
    }

    @Test func answeringSendsEachCustomerTheirOwnReplyInTheirLanguage() throws {
        let fixture = try ServiceFixture()
        try fixture.responder("ann")
        fixture.service.delivery.undoSeconds = 10
        try quietDay(fixture)
        var ids: [ConversationID] = []
        for (handle, text) in Self.burst {
            fixture.clock.advance(milliseconds: 40_000)
            ids.append(try post(fixture, handle, text))
        }
        try fixture.service.detectWaves()
        let wave = try #require(try fixture.service.waves(for: "ann").first)

        // Spanish is missing: nothing is queued.
        #expect(throws: ServiceError.invalid("wave \(wave.wave.id) has customers writing in Spanish: give the answer in each too (--text-es, or a canned reply with NAME.es)")) {
            try fixture.service.answerWave(wave.wave.id, variants: ["en": "Checkout is fixed, sorry! Please try again."], by: "ann")
        }
        // Too long for one customer: nothing is queued, and the message says whose.
        let long = String(repeating: "x", count: 140)
        #expect(throws: (any Error).self) { try fixture.service.answerWave(wave.wave.id, variants: ["en": long, "es": "ok"], by: "ann") }
        #expect(try fixture.store.read { try $0.replies(in: ids[0]) }.isEmpty)

        let now = fixture.clock.now()
        let report = try fixture.service.answerWave(wave.wave.id, variants: [
            "en": "Checkout is fixed, sorry! Please try again.", "es": "¡Ya funciona el pago! Perdón por las molestias.",
        ], by: "ann")
        #expect(report.replies.count == 5 && report.skipped.isEmpty)
        for (index, id) in ids.enumerated() {
            let replies = try fixture.store.read { try $0.replies(in: id) }
            #expect(replies.count == 1)
            let reply = try #require(replies.first)
            let handle = Self.burst[index].0
            #expect(reply.text == (index == 3 ? "@\(handle) ¡Ya funciona el pago! Perdón por las molestias. ^AN"
                                              : "@\(handle) Checkout is fixed, sorry! Please try again. ^AN"))
            #expect(reply.state == .queued)
            // Its own undo window, then one every 20 s on the X account.
            #expect(reply.nextAttemptAt == now.adding(milliseconds: 10_000 + Int64(index) * 20_000))
            #expect(ReplyLength.measure(reply.text).reason == nil)
            #expect(try fixture.assignee(id) == "ann")
        }
        #expect(report.lastDeliveryAt == now.adding(milliseconds: 90_000))
        #expect(try fixture.service.waves(for: "ann").first?.wave.state == .answered)
        #expect(throws: ServiceError.wrongState("wave \(wave.wave.id) has nobody left to answer")) {
            try fixture.service.answerWave(wave.wave.id, variants: ["en": "again"], by: "ann")
        }
        // Each reply can be taken back on its own in its undo window.
        _ = try fixture.service.cancelReply(report.replies[2], by: "ann")
        #expect(try fixture.store.read { try $0.replies(in: ids[2]) }.first?.state == .draft)
        #expect(try fixture.store.read { try $0.replies(in: ids[3]) }.first?.state == .queued)
        // The one taken back is answered again with the next answer, as the same reply; nobody else twice.
        let again = try fixture.service.answerWave(wave.wave.id, variants: ["en": "Fixed for good now, sorry!"], by: "ann")
        #expect(again.replies == [report.replies[2]])
        let retaken = try fixture.store.read { try $0.replies(in: ids[2]) }
        #expect(retaken.count == 1 && retaken.first?.state == .queued && retaken.first?.text == "@cy Fixed for good now, sorry! ^AN")
    }
}
