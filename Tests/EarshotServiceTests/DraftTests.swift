import EarshotCore
import EarshotService
import EarshotStore
import Testing

@Suite struct DraftTests {
    @Test func eachResponderHasOneDraftPerConversationThatSurvivesReopening() throws {
        let fixture = try ServiceFixture { $0.routing = .manual; $0.returnToQueueMinutes = 10 }
        try fixture.responder("ann")
        try fixture.responder("bob")
        let id = try fixture.conversation()
        #expect(try fixture.service.draft(of: id, by: "ann") == nil)
        let first = try fixture.service.saveDraft(id, text: "@cust Hi! Let me", by: "ann")
        let second = try fixture.service.saveDraft(id, text: "@cust Hi! Let me check your order", by: "ann")
        #expect(first.id == second.id)
        #expect(second.state == .draft)
        try fixture.service.saveDraft(id, text: "@cust bob here", by: "bob")
        // A different service over the same file (a new process after a crash) sees the drafts.
        let reopened = InboxService(store: try fixture.reopenedStore(), clock: fixture.clock)
        #expect(try reopened.draft(of: id, by: "ann")?.text == "@cust Hi! Let me check your order")
        #expect(try reopened.draft(of: id, by: "bob")?.text == "@cust bob here")
        // Saving the same text again writes nothing; clearing leaves no draft.
        let events = try fixture.store.read { try $0.counts().events }
        try fixture.service.saveDraft(id, text: "@cust Hi! Let me check your order", by: "ann")
        #expect(try fixture.store.read { try $0.counts().events } == events)
        try fixture.service.saveDraft(id, text: "", by: "ann")
        #expect(try fixture.service.draft(of: id, by: "ann") == nil)
        // Drafts are never replies sent: stats count none.
        #expect(try StatsEngine(store: fixture.store, sla: SLAPolicy(), clock: fixture.clock).report(grouping: .responder).total.repliesSent == 0)
    }

    @Test func typingADraftCountsAsWorkingOnTheConversation() throws {
        let fixture = try ServiceFixture { $0.routing = .manual; $0.returnToQueueMinutes = 10 }
        try fixture.responder("ann")
        let id = try fixture.conversation()
        try fixture.service.claim(id, by: "ann")
        fixture.clock.advance(minutes: 8)
        try fixture.service.saveDraft(id, text: "@cust working on it", by: "ann")
        fixture.clock.advance(minutes: 8)
        #expect(try fixture.service.tick().returnedToQueue.isEmpty)
        #expect(try fixture.assignee(id) == "ann")
    }
}
