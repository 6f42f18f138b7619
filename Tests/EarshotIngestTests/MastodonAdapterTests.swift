import EarshotCore
import EarshotIngest
import Testing

@Suite struct MastodonAdapterTests {
    let adapter = MastodonAdapter()

    private func notifications() throws -> AdapterOutput {
        AdapterOutput(adapter, try AdapterFixture.text("mastodon_notifications"))
    }

    @Test func onlyMentionNotificationsBecomeItems() throws {
        let output = try notifications()
        #expect(adapter.format == .mastodon)
        // The favourite, follow and reblog notifications are skipped, not reported.
        #expect(output.problems.isEmpty)
        #expect(output.mentions.map(\.externalID) == ["112481234567890123", "112481345678901234", "112481500000000000"])
        #expect(output.mentions.map(\.kind) == [.mention, .reply, .quote])
        #expect(output.mentions.allSatisfy { $0.platform == .mastodon && $0.platformConversationID == nil })
    }

    @Test func aMentionReadsTheStatusAccountTimeAndPlainText() throws {
        let mention = try notifications().mention("112481234567890123")
        #expect(mention.authorHandle == "mara@fosstodon.org")
        #expect(mention.authorDisplayName == "Mara 🌿")
        #expect(mention.text == """
            @acme my kettle & toaster both died 😭 is that covered by the "2-year warranty"?

            Order: https://shop.example.com/orders/4411
            Thanks!
            """)
        // The status's 2024-05-20T14:03:07.512Z, not the notification's 07.650.
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_716_213_787_512)
        #expect(mention.inReplyToExternalID == nil)
        #expect(mention.referencedExternalID == nil)
    }

    @Test func aReplyNamesTheStatusItAnswers() throws {
        let reply = try notifications().mention("112481345678901234")
        #expect(reply.kind == .reply)
        #expect(reply.inReplyToExternalID == "112481300000000000")
        #expect(reply.text == "@acme it's order #4411 <3")
        #expect(reply.createdAt.millisecondsSinceEpoch == 1_716_215_400_000)
    }

    @Test func aQuotePostNamesTheQuotedStatusAndItsAuthor() throws {
        let quote = try notifications().mention("112481500000000000")
        #expect(quote.kind == .quote)
        #expect(quote.authorHandle == "jo")
        #expect(quote.authorDisplayName == "")
        #expect(quote.referencedExternalID == "112480000000000001")
        #expect(quote.referencedAuthorHandle == "acme")
        #expect(quote.text == "Is this sale still on, @acme? 🤔")
        // 2024-05-20T15:00:00.999Z
        #expect(quote.createdAt.millisecondsSinceEpoch == 1_716_217_200_999)
    }

    @Test func rawPayloadIsTheNotificationObject() throws {
        let mention = try notifications().mention("112481345678901234")
        let object = try AdapterOutput.object(mention.rawPayload)
        #expect(object["id"] as? String == "40025")
        #expect((object["status"] as? [String: Any])?["id"] as? String == "112481345678901234")
        #expect(mention.rawPayload.hasPrefix(#"{"account":{"acct":"mara@fosstodon.org","#))
        #expect(mention.rawPayload.contains(#"href=\"https://mastodon.social/@acme\""#))
    }

    @Test func aSingleNotificationObjectIsAccepted() {
        let document = #"""
        {"id":"7","type":"mention","created_at":"2019-11-23T07:49:02.064Z",
         "status":{"id":"103186126728896492","created_at":"2019-11-23T07:49:01.940Z","in_reply_to_id":"103186038209478945",
          "content":"<p>sup!</p>","account":{"acct":"zsc","display_name":"Z"}}}
        """#
        let mention = AdapterOutput(adapter, document).mentions.first
        #expect(mention?.externalID == "103186126728896492")
        #expect(mention?.inReplyToExternalID == "103186038209478945")
        #expect(mention?.createdAt.millisecondsSinceEpoch == 1_574_495_341_940)
    }

    @Test func aBareStatusIsRefusedWithWhatToFetchInstead() throws {
        let status = #"{"id":"1","content":"<p>hi</p>","account":{"acct":"a"},"created_at":"2019-12-08T03:48:33.901Z"}"#
        let problem = try #require(AdapterOutput(adapter, status, firstLine: 2).problems.first)
        #expect(problem.line == 2)
        #expect(problem.message == "this is a status, not a notification; fetch Mastodon GET /api/v1/notifications "
            + "output (an array of notifications) so that only mentions are read")
        #expect(problem.record == status)
    }

    @Test func anUnreadableTimeIsAProblemNamingTheValue() throws {
        let document = #"""
        [{"id":"8","type":"mention","status":{"id":"123","created_at":"yesterday","content":"<p>a</p>","account":{"acct":"a"}}},
         {"id":"9","type":"mention","status":{"id":"124","created_at":"2024-05-20T14:30:00Z","content":"<p>b</p>","account":{"acct":"b"}}}]
        """#
        let output = AdapterOutput(adapter, document)
        #expect(output.mentions.map(\.externalID) == ["124"])
        #expect(output.problems.map(\.message)
            == [#"status 123: created_at "yesterday" is not an ISO 8601 time such as 2019-11-23T07:49:01.940Z"#])
        #expect(try AdapterOutput.object(try #require(output.problems.first).record)["id"] as? String == "8")
    }

    @Test func brokenMentionsAreProblemsAndOtherTypesAreNot() {
        let document = #"""
        [{"id":"10","type":"mention"},
         {"id":"11","type":"mention","status":{"created_at":"2024-05-20T14:30:00Z"}},
         {"id":"12","type":"mention","status":{"id":"125"}},
         {"id":"13"},
         {"id":"14","type":"poll","status":{"id":"126"}},
         "mention"]
        """#
        #expect(AdapterOutput(adapter, document).problems.map(\.message) == [
            "notification 10: a mention without its status; was the status deleted, or the notification edited by hand?",
            "notification 11: status.id missing; expected a status object",
            "status 125: account.acct missing; expected the status's account object; content missing; created_at missing",
            "item 4: type missing; expected a notification object",
            "item 6 is a string; expected a notification object",
        ])
    }

    @Test func aDocumentThatIsNotJSONIsOneProblem() throws {
        let jsonc = "[{\"id\": \"1\", // ...\n}]"
        let problem = try #require(AdapterOutput(adapter, jsonc, firstLine: 4).problems.first)
        #expect(problem.line == 4)
        #expect(problem.message.hasPrefix("not valid JSON"))
        #expect(problem.record == jsonc)
    }
}
