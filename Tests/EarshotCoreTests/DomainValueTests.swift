import EarshotCore
import Testing

@Suite struct DomainValueTests {
    @Test func actorRoundTripsThroughItsStoredForm() {
        for actor in [Actor.system, .ingest, .responder(login: "alice")] {
            #expect(Actor(stored: actor.description) == actor)
        }
        #expect(Actor(stored: "responder:bob") == .responder(login: "bob"))
        #expect(Actor(stored: "alice") == nil)
    }

    @Test func prioritiesOrderByUrgency() {
        #expect(Priority.low < .normal && Priority.normal < .high && Priority.high < .urgent)
        #expect(Priority(name: "URGENT") == .urgent)
        #expect(Priority(name: "critical") == nil)
    }

    @Test func spamAndBroadcastsAreNotRoutable() {
        let routable = TriageClass.allCases.filter(\.isRoutable)
        #expect(Set(routable) == [.question, .complaint, .praise, .other])
    }

    @Test func labelsAreStoredUniqueAndSorted() {
        let at = Timestamp(secondsSinceEpoch: 0)
        var conversation = Conversation(
            id: ConversationID(1), channelID: ChannelID(1), customerID: CustomerID(1),
            labels: ["refund", "billing", "refund"], cycleStartedAt: at, createdAt: at, updatedAt: at,
            lastCustomerMessageAt: at, waitingSince: at)
        #expect(conversation.labels == ["billing", "refund"])
        conversation.setLabels(["vip", "billing", "vip"])
        #expect(conversation.labels == ["billing", "vip"])
    }

    @Test func platformParsingNamesTheValidChoices() throws {
        #expect(try Platform.parse("Mastodon") == .mastodon)
        #expect(try Platform.parse("twitter-v1") == .twitterV1)
        #expect(throws: DomainError.self) { try Platform.parse("myspace") }
        do {
            _ = try Platform.parse("myspace")
        } catch {
            #expect(error.description.contains("x, twitter-v1, mastodon, bluesky, twcs"))
        }
    }

    @Test func signatureIsCaretAndInitials() {
        let responder = Responder(id: ResponderID(1), login: "jk", displayName: "Jo Kim", initials: "JK")
        #expect(responder.signature == " ^JK")
    }
}
