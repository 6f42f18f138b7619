import EarshotCore
import EarshotIngest
import Testing

@Suite struct BlueskyAdapterTests {
    let adapter = BlueskyAdapter()

    private func notifications() throws -> AdapterOutput {
        AdapterOutput(adapter, try AdapterFixture.text("bluesky_notifications"))
    }

    private let mentionURI = "at://did:plc:k3a7qvpz2nfwxyz4oy6brrfe/app.bsky.feed.post/3kt4abcd2xy2a"
    private let replyURI = "at://did:plc:k3a7qvpz2nfwxyz4oy6brrfe/app.bsky.feed.post/3kt4abcf9zz2d"
    private let quoteURI = "at://did:plc:q6gjnaw2blty4crticxkmujt/app.bsky.feed.post/3kt4abcg3mm2e"
    private let brandPostURI = "at://did:plc:acmebrand000000000000000/app.bsky.feed.post/3kt3zzzz1aa2c"

    @Test func mentionsRepliesAndQuotesBecomeItemsAndTheRestIsSkipped() throws {
        let output = try notifications()
        #expect(adapter.format == .bluesky)
        // The like, repost and follow are skipped, not reported.
        #expect(output.problems.isEmpty)
        #expect(output.mentions.map(\.externalID) == [mentionURI, replyURI, quoteURI])
        #expect(output.mentions.map(\.kind) == [.mention, .reply, .quote])
        #expect(output.mentions.allSatisfy { $0.platform == .bluesky })
    }

    @Test func aMentionKeepsItsTextAsWritten() throws {
        let mention = try notifications().mention(mentionURI)
        #expect(mention.authorHandle == "sam.bsky.social")
        #expect(mention.authorDisplayName == "Sam 🚲")
        // Bluesky text is not HTML: "&" arrives as "&" and stays so.
        #expect(mention.text == "@acme.example my bike lock jammed & won't open 😩 help?")
        // record.createdAt 2024-06-01T08:30:15.123Z, not indexedAt.
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_717_230_615_123)
        #expect(mention.inReplyToExternalID == nil)
        #expect(mention.platformConversationID == nil)
        #expect(mention.referencedExternalID == nil)
    }

    @Test func aReplyNamesItsParentAndItsThreadRoot() throws {
        let reply = try notifications().mention(replyURI)
        #expect(reply.kind == .reply)
        #expect(reply.inReplyToExternalID == "at://did:plc:acmebrand000000000000000/app.bsky.feed.post/3kt4abcf1bb2c")
        #expect(reply.platformConversationID == mentionURI)
        #expect(reply.text == "Tried the reset pin, still stuck. Serial is AC-77-1042 <- on the back")
        #expect(reply.createdAt.millisecondsSinceEpoch == 1_717_232_700_000)
    }

    @Test func aQuoteNamesTheEmbeddedPost() throws {
        let quote = try notifications().mention(quoteURI)
        #expect(quote.kind == .quote)
        #expect(quote.authorHandle == "critic.example.com")
        #expect(quote.authorDisplayName == "")
        #expect(quote.referencedExternalID == brandPostURI)
        #expect(quote.text == "\"Unbreakable\" they said. Mine broke in a week.")
        // 2024-06-01T10:00:00Z
        #expect(quote.createdAt.millisecondsSinceEpoch == 1_717_236_000_000)
    }

    @Test func aQuoteWithMediaNamesThePostInsideTheWrapper() {
        let document = #"""
        {"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.post/1","reason":"quote","author":{"handle":"a.test"},
          "indexedAt":"2024-06-01T10:00:02.000Z",
          "record":{"$type":"app.bsky.feed.post","text":"look","createdAt":"2024-06-01T10:00:00.000Z",
            "embed":{"$type":"app.bsky.embed.recordWithMedia",
              "media":{"$type":"app.bsky.embed.images","images":[]},
              "record":{"$type":"app.bsky.embed.record","record":{"cid":"c","uri":"at://did:plc:b/app.bsky.feed.post/2"}}}}}]}
        """#
        #expect(AdapterOutput(adapter, document).mentions.first?.referencedExternalID == "at://did:plc:b/app.bsky.feed.post/2")
    }

    @Test func withoutCreatedAtTheIndexTimeIsUsed() {
        let document = #"""
        {"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.post/3","reason":"mention","author":{"handle":"a.test"},
          "indexedAt":"2024-06-01T10:00:02.500Z","record":{"$type":"app.bsky.feed.post","text":"hi"}}]}
        """#
        #expect(AdapterOutput(adapter, document).mentions.first?.createdAt.millisecondsSinceEpoch == 1_717_236_002_500)
    }

    @Test func aBareArrayOfNotificationsIsAccepted() {
        let document = #"""
        [{"uri":"at://did:plc:a/app.bsky.feed.post/4","reason":"reply","author":{"handle":"a.test","displayName":"A"},
          "record":{"$type":"app.bsky.feed.post","text":"ok","createdAt":"1970-01-01T00:00:00.000Z",
            "reply":{"parent":{"uri":"at://p"},"root":{"uri":"at://r"}}}}]
        """#
        let mention = AdapterOutput(adapter, document).mentions.first
        #expect(mention?.createdAt.millisecondsSinceEpoch == 0)
        #expect(mention?.inReplyToExternalID == "at://p")
        #expect(mention?.platformConversationID == "at://r")
    }

    @Test func rawPayloadIsTheNotificationObject() throws {
        let quote = try notifications().mention(quoteURI)
        let object = try AdapterOutput.object(quote.rawPayload)
        #expect(object["uri"] as? String == quoteURI)
        #expect(object["cursor"] == nil)
        #expect(quote.rawPayload.hasPrefix(#"{"author":{"did":"did:plc:q6gjnaw2blty4crticxkmujt","#))
    }

    @Test func anUnreadableTimeIsAProblemNamingTheValue() throws {
        let document = #"""
        {"notifications":[{"uri":"at://did:plc:a/app.bsky.feed.post/5","reason":"mention","author":{"handle":"a.test"},
          "record":{"$type":"app.bsky.feed.post","text":"hi","createdAt":"June 1st"}}]}
        """#
        let output = AdapterOutput(adapter, document, firstLine: 9)
        let problem = try #require(output.problems.first)
        #expect(output.mentions.isEmpty)
        #expect(problem.line == 9)
        #expect(problem.message == #"mention at://did:plc:a/app.bsky.feed.post/5: createdAt "June 1st" is not an ISO 8601 time such as 2024-01-15T12:05:00.000Z"#)
        #expect(try AdapterOutput.object(problem.record)["reason"] as? String == "mention")
    }

    @Test func brokenNotificationsAreProblems() {
        let document = #"""
        {"notifications":[{"reason":"reply"},
          {"uri":"at://x/1","reason":"mention"},
          {"uri":"at://x/2","reason":"quote","author":{"handle":"q.test"},"record":{"createdAt":"2024-06-01T10:00:00Z"}},
          {"uri":"at://x/3"},
          {"uri":"at://x/4","reason":"like"}]}
        """#
        #expect(AdapterOutput(adapter, document).problems.map(\.message) == [
            "item 1 (reply): uri missing; every notification names its record's AT URI",
            "mention at://x/1: author.handle missing; expected the notification's author profile; "
                + "record missing; expected the app.bsky.feed.post record; record.createdAt and indexedAt missing",
            "quote at://x/2: record.text missing; expected an app.bsky.feed.post record",
            "item 4: reason missing; expected a listNotifications notification",
        ])
    }

    @Test func aDocumentWithoutNotificationsIsOneProblem() throws {
        let document = #"{"feed":[]}"#
        let problem = try #require(AdapterOutput(adapter, document, firstLine: 3).problems.first)
        #expect(problem.line == 3)
        #expect(problem.message == "the document is an object without a notifications array; expected Bluesky "
            + "app.bsky.notification.listNotifications output (an object with notifications)")
        #expect(problem.record == document)
        #expect(AdapterOutput(adapter, "{\"notifications\": [").problems.first?.message
            .hasPrefix("the record is cut off: the JSON ends before its value is closed") == true)
    }
}
