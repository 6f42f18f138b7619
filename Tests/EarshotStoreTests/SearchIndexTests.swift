import EarshotCore
import EarshotStore
import EarshotTestSupport
import Testing

/// Search reads an index kept with each conversation (`Migrations.addConversationSearch`):
/// what a responder types finds the conversation whatever the script, newest first.
struct SearchIndexTests {
    struct Inbox {
        let fixture: StoreFixture
        var ids: [String: ConversationID] = [:]

        init(_ kind: StoreKind) throws {
            fixture = try StoreFixture(kind)
            let at = fixture.clock.now()
            let kim = try fixture.store.write { writer in
                try writer.insertCustomer(platform: .x, handle: "kim_tanaka", displayName: "Kim", firstSeen: at,
                                          because: EventDraft(.customerAdded, by: .ingest, at: at))
            }
            for (name, customer, preview) in [
                ("order", fixture.customer.id, "where is order 48213? it has not arrived"),
                ("japanese", kim.id, "注文した商品がまだ届きません"),
                ("emoji", fixture.customer.id, "my box came crushed 📦 again"),
                ("older", kim.id, "the app logs me out"),
                ("newer", kim.id, "the app crashes at checkout"),
            ] {
                ids[name] = try fixture.store.write { writer in
                    try writer.insertConversation(
                        NewConversation(channelID: fixture.channel.id, customerID: customer, triageClass: .question,
                                        startedAt: at, preview: preview),
                        because: EventDraft(.opened, by: .ingest, at: at)).id
                }
            }
        }

        func found(_ text: String, from start: QueueStart = .first, limit: Int = 50) throws -> [ConversationID] {
            try fixture.store.read { reader in
                try reader.queue(.allOpen, from: start, narrowedBy: QueueNarrowing(search: text), limit: limit).map(\.id)
            }
        }
    }

    @Test(arguments: StoreKind.available)
    func aHandleAnOrderNumberJapaneseAndAnEmojiAreFound(kind: StoreKind) throws {
        let inbox = try Inbox(kind)
        let kims = [inbox.ids["newer"]!, inbox.ids["older"]!, inbox.ids["japanese"]!]
        #expect(try inbox.found("@kim_tanaka") == kims, "a handle as typed, with its @, newest first")
        #expect(try inbox.found("KIM_tan") == kims, "any part of it, in any case")
        #expect(try inbox.found("48213") == [inbox.ids["order"]!])
        #expect(try inbox.found("まだ届き") == [inbox.ids["japanese"]!])
        #expect(try inbox.found("crushed 📦") == [inbox.ids["emoji"]!])
        #expect(try inbox.found("📦") == [inbox.ids["emoji"]!], "shorter than the index's three characters: still found")
        #expect(try inbox.found("48214").isEmpty)
        #expect(try inbox.found("\"it has") == [], "a quote is text, not search syntax")
    }

    @Test(arguments: StoreKind.available)
    func resultsComeNewestFirstAndPageByConversation(kind: StoreKind) throws {
        let inbox = try Inbox(kind)
        let all = try inbox.found("the app")
        #expect(all == [inbox.ids["newer"]!, inbox.ids["older"]!])
        let first = try inbox.found("the app", limit: 1)
        #expect(first == [inbox.ids["newer"]!])
        let conversation = try #require(try inbox.fixture.store.read { try $0.conversation(first[0]) })
        let narrowing = QueueNarrowing(search: "the app")
        let cursor = QueueCursor(after: conversation, in: .allOpen, narrowedBy: narrowing)
        #expect(try inbox.found("the app", from: .after(cursor)) == [inbox.ids["older"]!])
        let older = try #require(try inbox.fixture.store.read { try $0.conversation(inbox.ids["older"]!) })
        #expect(try inbox.found("the app", from: .before(QueueCursor(after: older, in: .allOpen, narrowedBy: narrowing))) == [inbox.ids["newer"]!])
        #expect(try inbox.found("the app", from: .last, limit: 1) == [inbox.ids["older"]!])
    }

    @Test(arguments: StoreKind.available)
    func aNewPreviewReplacesTheOldInTheIndexAndTheViewStillApplies(kind: StoreKind) throws {
        let inbox = try Inbox(kind)
        let id = inbox.ids["order"]!
        try inbox.fixture.store.write { writer in
            var conversation = try #require(try writer.conversation(id))
            conversation.preview = "refund for order 77001 please"
            try writer.updateConversation(conversation, because: EventDraft(.ingested, by: .ingest, at: inbox.fixture.clock.now(), conversation: id))
        }
        #expect(try inbox.found("48213").isEmpty)
        #expect(try inbox.found("77001") == [id])
        try inbox.fixture.store.write { writer in
            var conversation = try #require(try writer.conversation(id))
            conversation.status = .resolved
            try writer.updateConversation(conversation, because: EventDraft(.resolved, by: .system, at: inbox.fixture.clock.now(), conversation: id))
        }
        #expect(try inbox.found("77001").isEmpty, "the open view does not show a resolved conversation")
    }
}
