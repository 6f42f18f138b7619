import EarshotCore
@testable import EarshotIngest
import EarshotStore
import Testing

@Suite struct ThreadingTests {
    @Test func aReplyJoinsTheConversationOfWhatItAnswers() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1"))
        try fixture.apply(mention("2", at: 60, text: "hello?", replyingTo: "1"))
        let first = try #require(try fixture.conversation(of: "1"))
        let second = try #require(try fixture.conversation(of: "2"))
        #expect(first.id == second.id)
        #expect(second.lastCustomerMessageAt == Timestamp(secondsSinceEpoch: 1_600_000_060))
        #expect(second.waitingSince == Timestamp(secondsSinceEpoch: 1_600_000_000))
        #expect(second.preview == "hello?")
        let events = try fixture.store.read { try $0.events(for: first.id) }.map(\.kind)
        #expect(events == [.opened, .ingested])
    }

    @Test func anotherCustomerAnsweringStartsTheirOwnConversation() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", by: "dana"))
        try fixture.apply(mention("2", by: "eli", replyingTo: "1"))
        #expect(try fixture.conversation(of: "1")?.id != fixture.conversation(of: "2")?.id)
        #expect(try fixture.counts().conversations == 2)
        #expect(try fixture.counts().customers == 2)
    }

    @Test func aMessageInTheSamePlatformThreadJoins() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("10", thread: "10"))
        try fixture.apply(mention("12", at: 30, replyingTo: "11", thread: "10"))
        #expect(try fixture.conversation(of: "10")?.id == fixture.conversation(of: "12")?.id)
    }

    @Test func aNewTopLevelMentionStartsANewConversation() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1"))
        try fixture.apply(mention("2", at: 600))
        #expect(try fixture.counts().conversations == 2)
    }

    @Test func theSameMentionTwiceIsADuplicate() throws {
        let fixture = try IngestFixture()
        #expect(try fixture.apply(mention("1")) != .duplicate)
        let before = try fixture.counts()
        #expect(try fixture.apply(mention("1")) == .duplicate)
        #expect(try fixture.counts() == before)
    }

    @Test func answeringOurReplyJoinsAndReopensAResolvedConversation() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1"))
        #expect(try fixture.apply(brandReply("2", to: "1", at: 120)) == .stored(try #require(try fixture.conversation(of: "1")).id))
        var conversation = try #require(try fixture.conversation(of: "1"))
        #expect(conversation.status == .pending)
        #expect(conversation.waitingSince == nil)
        conversation.status = .resolved
        conversation.updatedAt = Timestamp(secondsSinceEpoch: 1_600_000_200)
        try fixture.store.write { try $0.updateConversation(conversation, because: EventDraft(.resolved, by: .system, at: fixture.clock.now())) }

        try fixture.apply(mention("3", at: 3_600, text: "it broke again?", replyingTo: "2"))
        let reopened = try #require(try fixture.conversation(of: "3"))
        #expect(reopened.id == conversation.id)
        #expect(reopened.status == .open)
        #expect(reopened.cycle == 2)
        #expect(reopened.cycleStartedAt == Timestamp(secondsSinceEpoch: 1_600_003_600))
        #expect(reopened.waitingSince == Timestamp(secondsSinceEpoch: 1_600_003_600))
        let third = try #require(try fixture.store.read { try $0.mention(platform: .x, externalID: "3") })
        #expect(third.cycle == 2)
        let kinds = try fixture.store.read { try $0.events(for: conversation.id) }.map(\.kind)
        #expect(kinds.last == .reopened)
    }

    @Test func aReplyThatArrivesBeforeItsParentIsAttachedWhenTheParentArrives() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("2", at: 60, replyingTo: "1"))
        try fixture.apply(mention("1", at: 0))
        let parent = try #require(try fixture.conversation(of: "1"))
        #expect(parent.id == (try fixture.conversation(of: "2"))?.id)
        #expect(parent.waitingSince == Timestamp(secondsSinceEpoch: 1_600_000_000))
        #expect(try fixture.counts().conversations == 1)
    }

    @Test func aLateParentThatItselfHasAParentMergesTheThreads() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", at: 0))
        try fixture.apply(mention("3", at: 120, replyingTo: "2"))
        try fixture.apply(mention("2", at: 60, replyingTo: "1"))
        let root = try #require(try fixture.conversation(of: "1"))
        for id in ["2", "3"] { #expect(try fixture.conversation(of: id)?.id == root.id) }
        let mentions = try fixture.store.read { try $0.mentions(in: root.id) }.map(\.externalID)
        #expect(mentions == ["1", "2", "3"])
        // The emptied conversation is resolved and says where its messages went.
        let shells = try fixture.store.read { try $0.queue(.resolved(since: Timestamp(secondsSinceEpoch: 0)), after: nil, limit: 10) }
        #expect(shells.count == 1)
        #expect(shells.first?.triageReason == "merged into conversation \(root.id)")
    }

    @Test func retweetsAndQuotesOfOurPostsDoNotWaitForAnAnswer() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", text: "RT @AcmeSupport: new hours", kind: .retweet, referenced: "900", referencedAuthor: "acmesupport"))
        try fixture.apply(mention("2", by: "eli", text: "so true", kind: .quote, referenced: "900", referencedAuthor: "AcmeSupport"))
        for id in ["1", "2"] {
            let conversation = try #require(try fixture.conversation(of: id))
            #expect(conversation.triageClass == .broadcast)
            #expect(conversation.waitingSince == nil)
        }
        #expect(try fixture.store.read { try $0.queue(.unassigned, after: nil, limit: 10) }.isEmpty)
        #expect(try fixture.store.read { try $0.queue(.setAside, after: nil, limit: 10) }.count == 2)
    }

    @Test func aQuoteOfSomeoneElsesPostIsAnOrdinaryMention() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", text: "is this true?", kind: .quote, referenced: "77", referencedAuthor: "news"))
        let conversation = try #require(try fixture.conversation(of: "1"))
        #expect(conversation.triageClass == .question)
        #expect(conversation.waitingSince != nil)
    }

    @Test func brandRepliesAreSentRepliesByASignedBrandResponder() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", at: 0))
        try fixture.apply(brandReply("2", to: "1", at: 300, initials: "JK"))
        try fixture.apply(brandReply("3", to: "2", at: 400, initials: nil))
        let conversation = try #require(try fixture.conversation(of: "1"))
        let replies = try fixture.store.read { try $0.replies(in: conversation.id) }
        #expect(replies.map(\.platformID) == ["2", "3"])
        #expect(replies.allSatisfy { $0.state == .sent && $0.platform == .x })
        #expect(replies.first?.sentAt == Timestamp(secondsSinceEpoch: 1_600_000_300))
        let authors = try fixture.store.read { reader in try replies.map { try reader.responder($0.authorID)?.login } }
        #expect(authors == ["@AcmeSupport^JK", "@AcmeSupport"])
        let signed = try #require(try fixture.store.read { try $0.responder(login: "@AcmeSupport^JK") })
        #expect(signed.initials == "JK")
        #expect(signed.capacity == 0)
        #expect(try fixture.apply(brandReply("2", to: "1", at: 300)) == .duplicate)
    }

    @Test func aBrandReplyBeforeItsParentWaitsForIt() throws {
        let fixture = try IngestFixture()
        #expect(try fixture.apply(brandReply("2", to: "1", at: 300)) == .deferred)
        try fixture.apply(mention("1", at: 0))
        let conversation = try #require(try fixture.conversation(of: "1"))
        #expect(try fixture.store.read { try $0.replies(in: conversation.id) }.count == 1)
        #expect(fixture.applier.takeUnansweredReplies().isEmpty)
    }

    @Test func aMessageOlderThanOurReplyDoesNotWait() throws {
        let fixture = try IngestFixture()
        try fixture.apply(mention("1", at: 0))
        try fixture.apply(brandReply("3", to: "1", at: 500))
        try fixture.apply(mention("2", at: 100, replyingTo: "1"))
        let conversation = try #require(try fixture.conversation(of: "1"))
        #expect(conversation.waitingSince == nil)
        #expect(conversation.status == .pending)
    }

    @Test func aRecordWithoutABrandIsRejectedWithWhatToDo() throws {
        let fixture = try IngestFixture(defaultChannel: nil)
        let outcome = try fixture.apply(mention("1"))
        #expect(outcome == .rejected("no brand account for this record: pass --channel HANDLE (the account the feed was fetched for)"))
        #expect(try fixture.counts().mentions == 0)
    }
}

@Suite struct SLADueTimeTests {
    @Test func waitingConversationsCarryTheirDueTimeAndAnsweredOnesDoNot() throws {
        let fixture = try IngestFixture()
        fixture.applier.sla = SLAPolicy(targets: [.normal: SLATarget(firstResponse: 3_600_000, reply: 7_200_000)])
        try fixture.apply(mention("1", at: 0))
        let opened = try #require(try fixture.conversation(of: "1"))
        #expect(opened.slaDueAt == Timestamp(secondsSinceEpoch: 1_600_000_000 + 3_600))
        // Our reply stops the clock; the customer's next message starts the reply-time clock.
        try fixture.apply(brandReply("2", to: "1", at: 600))
        #expect(try fixture.conversation(of: "1")?.slaDueAt == nil)
        try fixture.apply(mention("3", at: 900, replyingTo: "2"))
        #expect(try fixture.conversation(of: "3")?.slaDueAt == Timestamp(secondsSinceEpoch: 1_600_000_000 + 900 + 7_200))
        // The breached view finds it once the due time has passed.
        let breached = try fixture.store.read {
            try $0.queue(.breached(now: Timestamp(secondsSinceEpoch: 1_600_000_000 + 900 + 7_201)), after: nil, limit: 10)
        }
        #expect(breached.map(\.id) == [opened.id])
    }
}
