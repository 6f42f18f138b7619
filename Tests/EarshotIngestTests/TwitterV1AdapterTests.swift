import EarshotCore
import EarshotIngest
import Testing

@Suite struct TwitterV1AdapterTests {
    let adapter = TwitterV1Adapter()

    private func timeline() throws -> AdapterOutput {
        AdapterOutput(adapter, try AdapterFixture.text("twitter_v1_mentions_timeline"))
    }

    @Test func readsEveryStatusOfTheTimelineInOrder() throws {
        let output = try timeline()
        #expect(adapter.format == .twitterV1)
        #expect(output.problems.isEmpty)
        #expect(output.mentions.map(\.externalID) == [
            "925482103283941376", "925487215360442369", "925630939146059776", "925645472345141248",
            "925664523046526976",
        ])
        #expect(output.mentions.map(\.kind) == [.mention, .reply, .quote, .retweet, .reply])
        #expect(output.mentions.allSatisfy { $0.platform == .twitterV1 && $0.platformConversationID == nil })
    }

    @Test func aMentionHasUserTextDecodedAndTheClassicTime() throws {
        let mention = try timeline().mention("925482103283941376")
        #expect(mention.authorHandle == "fishfan")
        #expect(mention.authorDisplayName == "Fish Fan 🐟")
        #expect(mention.text == "@AcmeSupport Fish & chips order never came >:( 🍟 #hungry")
        // Tue Oct 31 22:10:47 +0000 2017
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_509_487_847_000)
        #expect(mention.kind == .mention)
        #expect(mention.inReplyToExternalID == nil)
        #expect(mention.referencedExternalID == nil)
    }

    @Test func repliesChainByInReplyToStatusID() throws {
        let output = try timeline()
        let second = try output.mention("925487215360442369")
        #expect(second.inReplyToExternalID == "925485004291608576")
        #expect(second.text == #"@AcmeSupport Order 55-1203, placed at 7pm. Still nothing & the app says "delivered""#)
        #expect(second.createdAt.millisecondsSinceEpoch == 1_509_489_065_000)
        let third = try output.mention("925664523046526976")
        #expect(third.kind == .reply)
        #expect(third.inReplyToExternalID == "925487215360442369")
        #expect(third.authorHandle == "yuki_snow")
        #expect(third.authorDisplayName == "Yuki 雪")
    }

    @Test func extendedModeFullTextIsUsed() throws {
        let extended = try timeline().mention("925664523046526976")
        #expect(extended.text.hasPrefix("@AcmeSupport @fishfan ご注文の件、こちらも同じです。Two orders missing since Monday & nobody"))
        #expect(extended.text.hasSuffix("it was supposed to arrive yesterday before 8pm."))
        // Wed Nov 01 10:15:42 +0000 2017
        #expect(extended.createdAt.millisecondsSinceEpoch == 1_509_531_342_000)
    }

    @Test func aQuoteNamesTheQuotedStatusAndItsAuthor() throws {
        let quote = try timeline().mention("925630939146059776")
        #expect(quote.kind == .quote)
        #expect(quote.authorHandle == "grumpygus")
        #expect(quote.referencedExternalID == "925400000000000000")
        #expect(quote.referencedAuthorHandle == "AcmeSupport")
        #expect(quote.text == "Same here 👀 RT this if Acme lost your order too https://t.co/q1w2e3r4t5")
        #expect(quote.createdAt.millisecondsSinceEpoch == 1_509_523_335_000)
    }

    @Test func aRetweetNamesTheRetweetedStatusAndItsAuthor() throws {
        let retweet = try timeline().mention("925645472345141248")
        #expect(retweet.kind == .retweet)
        #expect(retweet.authorHandle == "cafe_nandu")
        #expect(retweet.authorDisplayName == "Café Ñandú")
        #expect(retweet.referencedExternalID == "925400000000000000")
        #expect(retweet.referencedAuthorHandle == "AcmeSupport")
        #expect(retweet.text == "RT @AcmeSupport: We're back to normal delivery times tonight. Thanks for bearing with us!")
        #expect(retweet.createdAt.millisecondsSinceEpoch == 1_509_526_800_000)
    }

    @Test func aQuoteWhoseOriginalIsGoneIsStillAQuote() {
        let document = #"""
        {"id_str":"20","text":"look at this","created_at":"Wed Nov 01 12:00:00 +0000 2017",
         "user":{"screen_name":"q","name":"Q"},"is_quote_status":true}
        """#
        let mention = AdapterOutput(adapter, document).mentions.first
        #expect(mention?.kind == .quote)
        #expect(mention?.referencedExternalID == nil)
    }

    @Test func aSingleStatusObjectIsAccepted() {
        let document = #"""
        {"id":925482103283941376,"id_str":"925482103283941376","text":"@AcmeSupport hi",
         "created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"screen_name":"fishfan","name":"Fish Fan"}}
        """#
        let output = AdapterOutput(adapter, document)
        #expect(output.mentions.map(\.externalID) == ["925482103283941376"])
        #expect(output.mentions.first?.createdAt.millisecondsSinceEpoch == 1_509_487_847_000)
    }

    @Test func idStrIsPreferredAndANumericIDIsTheFallback() {
        // A tool that rounded the number through a double would disagree with id_str.
        let document = #"""
        [{"id":925482103283941400,"id_str":"925482103283941376","text":"a","created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"screen_name":"a"}},
         {"id":925482103283941377,"text":"b","created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"screen_name":"b"},
          "in_reply_to_status_id":925482103283941376}]
        """#
        let mentions = AdapterOutput(adapter, document).mentions
        #expect(mentions.map(\.externalID) == ["925482103283941376", "925482103283941377"])
        #expect(mentions.last?.inReplyToExternalID == "925482103283941376")
        #expect(mentions.last?.authorDisplayName == "")
    }

    @Test func rawPayloadIsTheStatusOwnObject() throws {
        let retweet = try timeline().mention("925645472345141248")
        let object = try AdapterOutput.object(retweet.rawPayload)
        #expect(object["id_str"] as? String == "925645472345141248")
        #expect((object["retweeted_status"] as? [String: Any])?["id_str"] as? String == "925400000000000000")
        #expect(retweet.rawPayload.hasPrefix(#"{"created_at":"Wed Nov 01 09:00:00 +0000 2017","entities":"#))
        // Kept as the API sent it: the raw record is not decoded.
        #expect(retweet.rawPayload.contains("We&#39;re back"))
    }

    @Test func anUnreadableTimeIsAProblemNamingTheValue() throws {
        let document = #"""
        [{"id_str":"30","text":"a","created_at":"2017-10-31 22:10:47","user":{"screen_name":"a"}},
         {"id_str":"31","text":"b","created_at":"Tue Oct 31 22:10:47 +0000 2017","user":{"screen_name":"b"}}]
        """#
        let output = AdapterOutput(adapter, document, firstLine: 3)
        #expect(output.mentions.map(\.externalID) == ["31"])
        let problem = try #require(output.problems.first)
        #expect(problem.line == 3)
        #expect(problem.message
            == #"status 30: created_at "2017-10-31 22:10:47" is not a Twitter time such as Tue Oct 31 22:10:47 +0000 2017"#)
        #expect(try AdapterOutput.object(problem.record)["id_str"] as? String == "30")
    }

    @Test func missingFieldsAreNamedTogether() {
        let document = #"[{"id_str":"40"}, {"text":"no id"}, "text"]"#
        #expect(AdapterOutput(adapter, document).problems.map(\.message) == [
            "status 40: user.screen_name missing; expected the status's user object; text and full_text missing; created_at missing",
            "item 2: id_str and id missing; expected a v1.1 status object",
            "item 3 is a string; expected a status object",
        ])
    }

    @Test func aDocumentThatIsNotStatusesIsOneProblem() throws {
        let problem = try #require(AdapterOutput(adapter, "[{\"id_str\": ", firstLine: 5).problems.first)
        #expect(problem.line == 5)
        #expect(problem.message.hasPrefix("the record is cut off: the JSON ends before its value is closed"))
        #expect(problem.record == "[{\"id_str\": ")
        #expect(AdapterOutput(adapter, "[{\"id_str\": 1x}]").problems.first?.message.hasPrefix("not valid JSON: ") == true)
        #expect(AdapterOutput(adapter, "42").problems.map(\.message)
            == ["the document is a number; expected a Twitter API v1.1 array of statuses (statuses/mentions_timeline)"])
    }
}
