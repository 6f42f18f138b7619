import EarshotCore
@testable import EarshotService
import EarshotStore
import Testing

/// The stats engine over a real store whose event log was written the way ingest and the
/// service write it; every figure below is computed by hand from the times in the test.
@Suite struct StatsEngineTests {
    static let day0 = Timestamp(secondsSinceEpoch: 1_700_006_400)  // 2023-11-15T00:00:00Z
    static func t(_ minutes: Int64) -> Timestamp { day0.adding(seconds: minutes * 60) }
    static let minute: Int64 = 60_000

    /// Writes a conversation: customer messages at `messages` minutes, replies `(minute, login)`.
    func history(
        _ fixture: ServiceFixture, messages: [Int64], replies: [(Int64, String)], resolvedAt: (Int64, String)? = nil,
        priority: Priority = .normal
    ) throws -> ConversationID {
        let customer = try fixture.customer()
        let responders = try fixture.store.read { reader in
            try Dictionary(uniqueKeysWithValues: reader.responders(includingRemoved: false).map { ($0.login, $0) })
        }
        return try fixture.store.write { writer in
            let first = messages[0]
            var conversation = try writer.insertConversation(
                NewConversation(channelID: fixture.channel.id, customerID: customer, priority: priority, startedAt: Self.t(first)),
                because: EventDraft(.opened, by: .ingest, at: Self.t(first), detail: ["message_at": String(Self.t(first).millisecondsSinceEpoch)]))
            var timeline: [(Int64, Bool, String)] = messages.dropFirst().map { ($0, true, "") } + replies.map { ($0.0, false, $0.1) }
            timeline.sort { $0.0 < $1.0 }
            for (minute, isMessage, login) in timeline {
                if isMessage {
                    try writer.appendEvent(EventDraft(.ingested, by: .ingest, at: Self.t(minute), conversation: conversation.id,
                                                      detail: ["message_at": String(Self.t(minute).millisecondsSinceEpoch)]))
                } else {
                    let author = try #require(responders[login])
                    _ = try writer.insertReply(
                        NewReply(conversationID: conversation.id, cycle: 1, authorID: author.id, text: "on it", state: .sent,
                                 createdAt: Self.t(minute), sentAt: Self.t(minute)),
                        because: EventDraft(.replied, by: .responder(login: login), at: Self.t(minute),
                                            detail: ["sent_at": String(Self.t(minute).millisecondsSinceEpoch)]))
                }
            }
            // As ingest and delivery do: an answered conversation no longer waits.
            if let lastReply = replies.map(\.0).max(), lastReply > messages.max()! {
                conversation.waitingSince = nil
                conversation.status = .pending
                try writer.updateConversation(conversation, because: EventDraft(.statusChanged, by: .system, at: Self.t(lastReply)))
            }
            if let (minute, login) = resolvedAt {
                conversation.status = .resolved
                conversation.waitingSince = nil
                conversation.updatedAt = Self.t(minute)
                try writer.updateConversation(conversation, because: EventDraft(.resolved, by: .responder(login: login), at: Self.t(minute)))
            }
            return conversation.id
        }
    }

    @Test func figuresByResponderAndByDay() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        try fixture.responder("bob")
        // 1: first response by ann after 10 min; the customer's second turn (at 30) answered by bob at 50.
        _ = try history(fixture, messages: [0, 30], replies: [(10, "ann"), (50, "bob")], resolvedAt: (60, "ann"))
        // 2: first response by ann after 40 min (breaches a 30-minute urgent target).
        _ = try history(fixture, messages: [100], replies: [(140, "ann")], priority: .urgent)
        // 3: the next day, bob answers after 5 hours (normal target 4h: breached).
        _ = try history(fixture, messages: [1_440], replies: [(1_740, "bob")])
        // 4: still waiting since day 1, 10:00.
        _ = try history(fixture, messages: [1_440 + 600], replies: [])

        // Facts brought up to date two conversations at a time: the backlog of events is longer
        // than a batch, so it is noted whole first, and drained over several writes.
        var batches = 0
        while try fixture.store.write({ try $0.refreshWaitFacts(limit: 2) }) { batches += 1 }
        #expect(batches >= 2)
        #expect(try !fixture.store.read { try $0.hasStaleWaitFacts() })
        let engine = StatsEngine(store: fixture.store, sla: SLAPolicy(), clock: fixture.clock)
        let byResponder = try engine.report(grouping: .responder)
        let ann = try #require(byResponder.rows.first { $0.key == "ann" })
        #expect(ann.firstResponse.count == 2)
        #expect(ann.firstResponse.p50 == 10 * Self.minute)   // nearest rank of [10, 40]: rank 1
        #expect(ann.firstResponse.max == 40 * Self.minute)
        #expect(ann.replyTime.count == 2)
        #expect(ann.repliesSent == 2)
        #expect(ann.resolved == 1)
        #expect(ann.resolution.p50 == 60 * Self.minute)
        // SLA: ann's answers: FRT 10m (normal 4h: met), reply 10m (8h: met), FRT 40m (urgent 15m: missed), reply 40m (urgent 30m: missed).
        #expect(ann.slaMet == 2 && ann.slaTotal == 4)
        let bob = try #require(byResponder.rows.first { $0.key == "bob" })
        #expect(bob.firstResponse.count == 1 && bob.firstResponse.p50 == 300 * Self.minute)
        #expect(bob.replyTime.count == 2)
        #expect(bob.replyTime.p50 == 20 * Self.minute && bob.replyTime.max == 300 * Self.minute)
        // bob: reply 20m (met 8h), FRT 5h (missed 4h), reply 5h (met 8h).
        #expect(bob.slaMet == 2 && bob.slaTotal == 3)
        #expect(byResponder.total.firstResponse.count == 3)
        #expect(byResponder.total.repliesSent == 4)

        let byDay = try engine.report(grouping: .day)
        #expect(byDay.rows.map(\.key) == ["2023-11-15", "2023-11-16"])
        #expect(byDay.rows.map(\.firstResponse.count) == [2, 1])
        // The waiting conversation is reported beside the figures.
        #expect(byDay.live.waiting == 1)
        #expect(byDay.live.oldestWaitSince == Self.t(1_440 + 600))

        // Filtering by when waits began: only day 1.
        let dayOne = try engine.report(grouping: .responder, since: Self.t(1_440), until: Self.t(2_880))
        #expect(dayOne.total.firstResponse.count == 1)
        #expect(dayOne.rows.map(\.key) == ["bob"])

        // The wait facts follow later writes: an answer to the waiting conversation, a
        // priority change, on either store, and agree with the event log replayed.
        let waiting = try history(fixture, messages: [2_000], replies: [(2_030, "ann")], priority: .urgent)
        try fixture.store.write { writer in
            var conversation = try #require(try writer.conversation(waiting))
            conversation.priority = .low
            try writer.updateConversation(conversation, because: EventDraft(.priorityChanged, by: .system, at: Self.t(2_040)))
        }
        for grouping in StatsGrouping.allCases {
            #expect(try engine.report(grouping: grouping) == engine.reportFromEventLog(grouping: grouping), "\(grouping)")
        }
        #expect(try engine.report(grouping: .responder).total.firstResponse.count == 4)
    }
}
