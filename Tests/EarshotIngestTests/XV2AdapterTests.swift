import EarshotCore
import EarshotIngest
import Testing

@Suite struct XV2AdapterTests {
    let adapter = XV2Adapter()

    private func page() throws -> AdapterOutput {
        AdapterOutput(adapter, try AdapterFixture.text("x_v2_mentions_page"), firstLine: 1)
    }

    @Test func readsEveryTweetOfAPageInOrder() throws {
        let output = try page()
        #expect(adapter.format == .xV2)
        #expect(output.problems.isEmpty)
        #expect(output.others.isEmpty)
        #expect(output.mentions.map(\.externalID)
            == ["1765001000000000001", "1765003000000000003", "1765004000000000004", "1765005000000000005"])
        #expect(output.mentions.allSatisfy { $0.platform == .x && $0.channelHandle == nil })
    }

    @Test func aMentionHasItsAuthorFromIncludesAndDecodedText() throws {
        let mention = try page().mention("1765001000000000001")
        #expect(mention.authorHandle == "janedoe")
        #expect(mention.authorDisplayName == "Jane Doe 🌻")
        #expect(mention.text == "@AcmeSupport order #4411 arrived broken & the box was soaked 😞 <not happy>")
        // 2024-03-05T09:15:30.250Z
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_709_630_130_250)
        #expect(mention.kind == .mention)
        #expect(mention.inReplyToExternalID == nil)
        #expect(mention.platformConversationID == "1765001000000000001")
        #expect(mention.referencedExternalID == nil)
        #expect(mention.referencedAuthorHandle == nil)
    }

    @Test func aReplyNamesTheTweetItAnswersAndItsThread() throws {
        let reply = try page().mention("1765003000000000003")
        #expect(reply.kind == .reply)
        #expect(reply.inReplyToExternalID == "1765002000000000002")
        #expect(reply.platformConversationID == "1765001000000000001")
        #expect(reply.text == "@AcmeSupport DM sent, thanks! It's the blue kettle.")
        // 2024-03-05T09:41:02.000Z
        #expect(reply.createdAt.millisecondsSinceEpoch == 1_709_631_662_000)
        #expect(reply.referencedAuthorHandle == nil)
    }

    @Test func aQuoteNamesTheQuotedTweetAndItsAuthorFromIncludedTweets() throws {
        let quote = try page().mention("1765004000000000004")
        #expect(quote.kind == .quote)
        #expect(quote.authorHandle == "lnowak")
        #expect(quote.authorDisplayName == "Łukasz Nowak")
        #expect(quote.referencedExternalID == "1764990000000000000")
        #expect(quote.referencedAuthorHandle == "AcmeSupport")
        #expect(quote.inReplyToExternalID == nil)
        #expect(quote.text == "Still waiting on my refund since Friday… 🙄 https://t.co/AbCdEf1234")
        #expect(quote.createdAt.millisecondsSinceEpoch == 1_709_632_800_000)
    }

    @Test func aRetweetIsKindRetweetWithTheOriginalAndItsAuthor() throws {
        let retweet = try page().mention("1765005000000000005")
        #expect(retweet.kind == .retweet)
        #expect(retweet.authorHandle == "dealsbot")
        #expect(retweet.referencedExternalID == "1764990000000000000")
        #expect(retweet.referencedAuthorHandle == "AcmeSupport")
        #expect(retweet.text == "RT @AcmeSupport: Spring sale: 20% off kettles & toasters this week only!")
        #expect(retweet.createdAt.millisecondsSinceEpoch == 1_709_632_923_000)
    }

    @Test func aRetweetWithoutIncludedTweetsTakesItsAuthorFromTheRTMention() {
        let document = #"""
        {"data":[{"id":"77","author_id":"1","created_at":"2024-03-05T10:02:03Z","text":"RT @shopfan: love it",
          "referenced_tweets":[{"type":"retweeted","id":"70"}],
          "entities":{"mentions":[{"start":3,"end":11,"username":"shopfan"}]}}],
         "includes":{"users":[{"id":"1","name":"R","username":"rt_er"}]}}
        """#
        let mention = AdapterOutput(adapter, document).mentions.first
        #expect(mention?.kind == .retweet)
        #expect(mention?.referencedExternalID == "70")
        #expect(mention?.referencedAuthorHandle == "shopfan")
    }

    @Test func aReplyThatAlsoQuotesStaysAReply() {
        let document = #"""
        {"data":{"id":"90","author_id":"1","created_at":"2024-03-05T11:00:00Z","text":"@AcmeSupport see this",
          "referenced_tweets":[{"type":"quoted","id":"80"},{"type":"replied_to","id":"85"}]},
         "includes":{"users":[{"id":"1","name":"A","username":"a"}]}}
        """#
        let mention = AdapterOutput(adapter, document).mentions.first
        #expect(mention?.kind == .reply)
        #expect(mention?.inReplyToExternalID == "85")
        #expect(mention?.referencedExternalID == "80")
    }

    @Test func rawPayloadIsTheTweetsOwnObjectWithSortedKeys() throws {
        let quote = try page().mention("1765004000000000004")
        let object = try AdapterOutput.object(quote.rawPayload)
        #expect(object["id"] as? String == "1765004000000000004")
        #expect(object["includes"] == nil)
        #expect(quote.rawPayload.hasPrefix(#"{"author_id":"2200000002","conversation_id":"1765004000000000004","#))
        #expect(quote.rawPayload.contains("https://t.co/AbCdEf1234"))
        #expect(quote.rawPayload.contains(#""text":"Still waiting on my refund since Friday… 🙄"#))
    }

    @Test func aSingleTweetLookupHasDataAsAnObject() {
        let document = #"""
        {"data":{"id":"1234567891","text":"@user Great point!","author_id":"9","created_at":"2024-01-15T12:02:00.000Z",
          "conversation_id":"1234567890","referenced_tweets":[{"type":"replied_to","id":"1234567890"}]},
         "includes":{"users":[{"id":"9","name":"User Nine","username":"nine"}]}}
        """#
        let output = AdapterOutput(adapter, document)
        #expect(output.problems.isEmpty)
        #expect(output.mentions.map(\.externalID) == ["1234567891"])
        #expect(output.mentions.first?.inReplyToExternalID == "1234567890")
        // 2024-01-15T12:02:00Z
        #expect(output.mentions.first?.createdAt.millisecondsSinceEpoch == 1_705_320_120_000)
    }

    @Test func aTweetOverTheLimitUsesItsNoteTweetText() {
        let document = #"""
        {"data":[{"id":"5","author_id":"1","created_at":"2024-03-05T10:00:00Z","text":"A long story, cut…",
          "note_tweet":{"text":"A long story, cut here on the timeline but whole in note_tweet &amp; stored whole."}}],
         "includes":{"users":[{"id":"1","name":"A","username":"a"}]}}
        """#
        #expect(AdapterOutput(adapter, document).mentions.first?.text
            == "A long story, cut here on the timeline but whole in note_tweet & stored whole.")
    }

    @Test func pagesWithErrorsOrNoResultsYieldNothing() {
        let errorsOnly = #"{"errors":[{"title":"Not Found Error","detail":"Could not find user with id: [1].","type":"https://api.twitter.com/2/problems/resource-not-found"}]}"#
        let empty = #"{"meta":{"result_count":0}}"#
        #expect(adapter.parse(document: errorsOnly, firstLine: 1).isEmpty)
        #expect(adapter.parse(document: empty, firstLine: 1).isEmpty)
    }

    @Test func aTweetWithoutAuthorIDIsAProblemButTheRestOfThePageIsRead() throws {
        let document = #"""
        {"data":[
          {"id":"101","text":"no author","created_at":"2024-03-05T10:00:00Z"},
          {"id":"102","text":"fine","author_id":"1","created_at":"2024-03-05T10:00:00Z"}],
         "includes":{"users":[{"id":"1","name":"A","username":"a"}]}}
        """#
        let output = AdapterOutput(adapter, document, firstLine: 7)
        #expect(output.mentions.map(\.externalID) == ["102"])
        let problem = try #require(output.problems.first)
        #expect(output.problems.count == 1)
        #expect(problem.line == 7)
        #expect(problem.message == "tweet 101: author_id missing; request expansions=author_id")
        #expect(try AdapterOutput.object(problem.record)["id"] as? String == "101")
    }

    @Test func anAuthorMissingFromIncludesIsAProblem() {
        let document = #"{"data":[{"id":"103","text":"hi","author_id":"404","created_at":"2024-03-05T10:00:00Z"}]}"#
        let output = AdapterOutput(adapter, document)
        #expect(output.problems.map(\.message)
            == ["tweet 103: author 404 is not in includes.users; request expansions=author_id"])
    }

    @Test func anUnreadableOrMissingTimeIsAProblemNamingFieldAndValue() {
        let document = #"""
        {"data":[
          {"id":"104","text":"a","author_id":"1","created_at":"yesterday"},
          {"id":"105","text":"b","author_id":"1"}],
         "includes":{"users":[{"id":"1","name":"A","username":"a"}]}}
        """#
        let messages = AdapterOutput(adapter, document).problems.map(\.message)
        #expect(messages == [
            #"tweet 104: created_at "yesterday" is not an ISO 8601 time such as 2024-01-15T12:05:00.000Z"#,
            "tweet 105: created_at missing; request tweet.fields=created_at",
        ])
    }

    @Test func everyMissingFieldOfATweetIsNamedInOneProblem() {
        let document = #"{"data":[{"id":"1578516295611748353","text":"@Twitter respond to my ticket"}]}"#
        #expect(AdapterOutput(adapter, document).problems.map(\.message) == [
            "tweet 1578516295611748353: author_id missing; request expansions=author_id; "
                + "created_at missing; request tweet.fields=created_at",
        ])
    }

    @Test func aTweetWithoutIDOrTextIsAProblem() {
        let document = #"""
        {"data":[{"text":"no id","author_id":"1","created_at":"2024-03-05T10:00:00Z"},
                 {"id":"106","author_id":"1","created_at":"2024-03-05T10:00:00Z"}, 42],
         "includes":{"users":[{"id":"1","name":"A","username":"a"}]}}
        """#
        let messages = AdapterOutput(adapter, document).problems.map(\.message)
        #expect(messages.count == 3)
        #expect(messages[0].hasPrefix("data item 1: id missing"))
        #expect(messages[1].hasPrefix("tweet 106: text missing"))
        #expect(messages[2] == "data item 3 is a number; expected a tweet object")
    }

    @Test func aDocumentThatIsNotAPageIsOneProblemWithTheDocumentAsRecord() throws {
        let broken = #"{"data":[{"id":"1","#
        let problem = try #require(AdapterOutput(adapter, broken, firstLine: 12).problems.first)
        #expect(problem.line == 12)
        #expect(problem.message.hasPrefix("the record is cut off: the JSON ends before its value is closed"))
        #expect(problem.message.hasSuffix("expected an X API v2 response page (an object with data, includes, meta)"))
        #expect(problem.record == broken)

        #expect(AdapterOutput(adapter, #"[{"id":"1"}]"#).problems.map(\.message)
            == ["the document is an array; expected an X API v2 response page (an object with data, includes, meta)"])
        #expect(AdapterOutput(adapter, #"{"statuses":[]}"#).problems.map(\.message)
            == ["no data, errors or meta; expected an X API v2 response page (an object with data, includes, meta)"])
        #expect(AdapterOutput(adapter, #"{"data":"x"}"#).problems.map(\.message)
            == ["data is a string; expected an array of tweets"])
    }
}
