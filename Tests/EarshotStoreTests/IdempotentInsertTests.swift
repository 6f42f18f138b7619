import EarshotCore
import EarshotStore
import Testing

@Suite struct IdempotentInsertTests {
    @Test(arguments: StoreKind.available)
    func theSameMentionTwiceIsStoredOnceWithOneEvent(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        let mention = fixture.newMention("1455", in: conversation)
        let event = EventDraft(.ingested, by: .ingest, at: fixture.clock.now())

        let first = try fixture.store.write { try $0.insertMention(mention, because: event) }
        let second = try fixture.store.write { try $0.insertMention(mention, because: event) }

        guard case let .inserted(stored) = first else {
            Issue.record("first insert was not an insert: \(first)")
            return
        }
        #expect(second == .duplicate(existing: stored.id))
        let (mentions, ingestedEvents) = try fixture.store.read { reader in
            (try reader.mentions(in: conversation.id),
             try reader.events(for: conversation.id).filter { $0.kind == .ingested })
        }
        #expect(mentions.map(\.externalID) == ["1455"])
        #expect(ingestedEvents.count == 1)
        #expect(ingestedEvents.first?.detail["mention"] == stored.id.description)
    }

    @Test(arguments: StoreKind.available)
    func theSameExternalIDOnAnotherPlatformIsADifferentMention(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        var onX = fixture.newMention("42", in: conversation)
        let event = EventDraft(.ingested, by: .ingest, at: fixture.clock.now())
        let first = try fixture.store.write { try $0.insertMention(onX, because: event) }
        onX.platform = .mastodon
        let second = try fixture.store.write { try $0.insertMention(onX, because: event) }
        #expect(first.wasInserted && second.wasInserted)
        #expect(try fixture.store.read { try $0.counts().mentions } == 2)
    }

    @Test(arguments: StoreKind.available)
    func aStoredMentionKeepsTextAndRawPayloadVerbatim(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        var mention = fixture.newMention("7", in: conversation)
        mention.text = "Fish & chips 🐟 \u{202E}reversed\u{202C} ログイン"
        mention.rawPayload = #"{"text":"Fish &amp; chips","id_str":"7"}"#
        mention.inReplyToExternalID = "6"
        mention.platformConversationID = "1"
        mention.kind = .reply
        _ = try fixture.store.write {
            try $0.insertMention(mention, because: EventDraft(.ingested, by: .ingest, at: fixture.clock.now()))
        }
        let stored = try #require(try fixture.store.read { try $0.mention(platform: .x, externalID: "7") })
        #expect(stored.text == mention.text)
        #expect(stored.rawPayload == mention.rawPayload)
        #expect(stored.inReplyToExternalID == "6")
        #expect(stored.platformConversationID == "1")
        #expect(stored.kind == .reply)
        #expect(stored.createdAt == mention.createdAt)
    }
}
