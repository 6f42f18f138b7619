import EarshotCore
import EarshotService
import EarshotStore
import Testing

@Suite struct ConversationOperationTests {
    func manualFixture() throws -> ServiceFixture {
        try ServiceFixture { $0.routing = .manual }
    }

    @Test func claimTakesAnUnassignedConversationAndRecordsWhoAndWhen() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        fixture.clock.advance(minutes: 1)
        let claimed = try fixture.service.claim(id, by: "dana")
        #expect(try fixture.assignee(id) == "dana")
        #expect(claimed.assignedAt == fixture.clock.now())
        let event = try #require(try fixture.lastEvent(id))
        #expect(event.kind == .claimed)
        #expect(event.actor == .responder(login: "dana"))
        #expect(event.at == fixture.clock.now())
    }

    @Test func aSecondClaimIsToldWhoHasIt() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        try fixture.responder("eli")
        let id = try fixture.conversation()
        try fixture.service.claim(id, by: "dana")
        #expect(throws: ServiceError.alreadyClaimed(conversation: id, by: "Dana (dana)")) {
            try fixture.service.claim(id, by: "eli")
        }
        #expect(ServiceError.alreadyClaimed(conversation: id, by: "Dana (dana)").description
                == "conversation \(id) is already claimed by Dana (dana)")
        // Claiming one's own again is harmless.
        #expect(try fixture.service.claim(id, by: "dana").assigneeID != nil)
    }

    @Test func someoneWhoIsNotAResponderIsToldHowToGetAdded() throws {
        let fixture = try manualFixture()
        let id = try fixture.conversation()
        #expect(throws: ServiceError.notAResponder(login: "mallory")) { try fixture.service.claim(id, by: "mallory") }
        #expect(ServiceError.notAResponder(login: "mallory").description.contains("earshot responder add mallory"))
    }

    @Test func assigningOthersIsForSupervisorsUnlessConfigAllowsEveryone() throws {
        let fixture = try manualFixture()
        try fixture.responder("boss", role: .supervisor)
        try fixture.responder("dana")
        try fixture.responder("eli")
        let id = try fixture.conversation()
        #expect(throws: ServiceError.supervisorsOnly(action: "assigning or reassigning others' conversations")) {
            try fixture.service.assign(id, to: "eli", by: "dana")
        }
        try fixture.service.assign(id, to: "dana", by: "dana")
        try fixture.service.assign(id, to: "eli", by: "boss")
        #expect(try fixture.assignee(id) == "eli")
        let event = try #require(try fixture.lastEvent(id))
        #expect(event.kind == .assigned)
        #expect(event.detail["from"] == "dana" && event.detail["to"] == "eli")

        fixture.service.policy.anyoneCanAssign = true
        try fixture.service.assign(id, to: "dana", by: "eli")
        #expect(try fixture.assignee(id) == "dana")
    }

    @Test func releaseIsForTheOwnerOrASupervisor() throws {
        let fixture = try manualFixture()
        try fixture.responder("boss", role: .supervisor)
        try fixture.responder("dana")
        try fixture.responder("eli")
        let id = try fixture.conversation()
        try fixture.service.claim(id, by: "dana")
        #expect(throws: ServiceError.notYours(conversation: id, owner: "Dana (dana)", action: "release")) {
            try fixture.service.release(id, by: "eli")
        }
        try fixture.service.release(id, by: "dana")
        #expect(try fixture.assignee(id) == nil)
        #expect(try fixture.lastEvent(id)?.kind == .released)
        try fixture.service.claim(id, by: "eli")
        try fixture.service.release(id, by: "boss")
        #expect(try fixture.assignee(id) == nil)
        #expect(throws: ServiceError.wrongState("conversation \(id) is not assigned to anyone")) {
            try fixture.service.release(id, by: "boss")
        }
    }

    @Test func resolveKeepsTheAssigneeOnRecordAndReopenStartsANewCycle() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        try fixture.responder("eli")
        let id = try fixture.conversation()
        try fixture.service.claim(id, by: "dana")
        #expect(throws: ServiceError.notYours(conversation: id, owner: "Dana (dana)", action: "resolve")) {
            try fixture.service.resolve(id, by: "eli")
        }
        let resolved = try fixture.service.resolve(id, by: "dana")
        #expect(resolved.status == .resolved)
        #expect(resolved.waitingSince == nil)
        #expect(try fixture.assignee(id) == "dana")
        #expect(try fixture.service.responders().first { $0.0.login == "dana" }?.load == 0)

        fixture.clock.advance(minutes: 30)
        let reopened = try fixture.service.reopen(id, by: "eli")
        #expect(reopened.status == .open)
        #expect(reopened.cycle == 2)
        #expect(reopened.cycleStartedAt == fixture.clock.now())
        #expect(reopened.waitingSince == fixture.clock.now())
        #expect(try fixture.lastEvent(id)?.kind == .reopened)
        #expect(throws: ServiceError.self) { try fixture.service.reopen(id, by: "eli") }
    }

    @Test func aSnoozeWakesBackIntoTheQueueOnTheClock() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        #expect(throws: ServiceError.self) {
            try fixture.service.snooze(id, until: fixture.clock.now(), by: "dana")
        }
        try fixture.service.snooze(id, until: fixture.clock.now().adding(seconds: 3600), by: "dana")
        #expect(try fixture.get(id).status == .snoozed)
        fixture.clock.advance(minutes: 59)
        #expect(try fixture.service.tick().woke.isEmpty)
        fixture.clock.advance(minutes: 1)
        #expect(try fixture.service.tick().woke == [id])
        let woke = try fixture.get(id)
        #expect(woke.status == .open && woke.snoozedUntil == nil)
        #expect(try fixture.lastEvent(id)?.kind == .woke)
    }

    @Test func priorityLabelsAndNotes() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        try fixture.service.setPriority(id, to: .urgent, by: "dana")
        #expect(try fixture.get(id).priority == .urgent)
        #expect(try fixture.lastEvent(id)?.detail == ["from": "normal", "to": "urgent"])
        try fixture.service.label(id, "Billing", add: true, by: "dana")
        try fixture.service.label(id, "vip", add: true, by: "dana")
        try fixture.service.label(id, "billing", add: false, by: "dana")
        #expect(try fixture.get(id).labels == ["vip"])
        #expect(throws: ServiceError.self) { try fixture.service.label(id, "two words", add: true, by: "dana") }

        try fixture.service.claim(id, by: "dana")
        fixture.clock.advance(minutes: 5)
        let note = try fixture.service.addNote(id, text: "  customer is a VIP  ", by: "dana")
        #expect(note.text == "customer is a VIP")
        #expect(try fixture.get(id).touchedAt == fixture.clock.now())
        #expect(throws: ServiceError.invalid("a note needs some text")) { try fixture.service.addNote(id, text: " ", by: "dana") }
        let kinds = try fixture.store.read { try $0.events(for: id) }.map(\.kind)
        #expect(kinds == [.opened, .priorityChanged, .labelAdded, .labelAdded, .labelRemoved, .claimed, .noted])
    }
}
