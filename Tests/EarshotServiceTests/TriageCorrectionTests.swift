import EarshotCore
import EarshotService
import EarshotStore
import Testing

/// People correct the classifier: a customer set aside as spam comes back into the queue, a
/// scam it missed is set aside; who did it is on record and the supervisor pane counts it.
@Suite struct TriageCorrectionTests {
    func unassigned(_ fixture: ServiceFixture, as login: String) throws -> [ConversationID] {
        try fixture.service.queueWindow(QueueWindowRequest(view: .unassigned, limit: 50), for: login).map(\.conversation.id)
    }

    @Test func aCustomerSetAsideAsSpamComesBackIntoTheQueue() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        let id = try fixture.conversation(triage: .spam)
        #expect(try !unassigned(fixture, as: "ann").contains(id), "spam is set aside")

        let corrected = try fixture.service.setTriageClass(id, to: .question, by: "ann")
        #expect(corrected.triageClass == .question)
        #expect(corrected.triageLocked)
        #expect(corrected.triageReason == "set by ann (was spam)")
        #expect(try unassigned(fixture, as: "ann").contains(id))
        let event = try #require(try fixture.lastEvent(id))
        #expect(event.kind == .triaged)
        #expect(event.actor == .responder(login: "ann"))
        #expect(event.detail["from"] == "spam" && event.detail["to"] == "question")
    }

    @Test func aMissedScamIsSetAsideAndTheSupervisorPaneCountsCorrections() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        try fixture.responder("boss", role: .supervisor)
        let scam = try fixture.conversation(triage: .question)
        let customers = try (0..<2).map { _ in try fixture.conversation(triage: .spam) }
        try fixture.service.setTriageClass(scam, to: .spam, by: "ann")
        for id in customers { try fixture.service.setTriageClass(id, to: .question, by: "boss") }
        // Setting the class it already has changes nothing and counts nothing.
        try fixture.service.setTriageClass(customers[0], to: .question, by: "ann")
        #expect(try !unassigned(fixture, as: "ann").contains(scam))

        let snapshot = try fixture.service.supervisorSnapshot(for: "boss")
        #expect(snapshot.triageOverrides == [
            TriageOverrideCount(from: .spam, to: .question, count: 2),
            TriageOverrideCount(from: .question, to: .spam, count: 1),
        ])
    }
}
