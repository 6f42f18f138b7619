@testable import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// Replies posted by the live account itself, to a Mastodon stub on loopback.
@Suite(.serialized) struct MastodonPostingTests {
    @Test func aReplyIsPostedOnceAsAThreadedReplyAndTheCustomersAnswerJoinsTheConversation() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        let asked = fixture.stub.mention(from: "kim@social.example", text: "where is my order?", visibility: "direct")
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "it left the warehouse today")
            #expect(try await fixture.eventually { try fixture.reply(reply.id).state == .sent })
            let sent = try fixture.reply(reply.id)
            let posted = try #require(fixture.stub.posted.first)
            #expect(fixture.stub.posted.count == 1)
            #expect(posted.form["status"] == "@kim@social.example it left the warehouse today ^DA")
            #expect(posted.form["in_reply_to_id"] == asked)
            #expect(posted.form["visibility"] == "direct", "a direct mention is answered directly")
            #expect(posted.idempotencyKey != nil && posted.idempotencyKey == sent.deliveryKey)
            #expect(posted.authorization == "Bearer stub-token")
            #expect(sent.platformID == posted.statusID)
            #expect(sent.platformURL == "\(fixture.stub.baseURL)/@acme/\(posted.statusID)")

            // The customer answers our reply: the same conversation.
            let answer = fixture.stub.mention(from: "kim@social.example", text: "thanks!", inReplyTo: posted.statusID)
            #expect(try await fixture.eventually { try fixture.mentionRows().contains(answer) })
            let first = try #require(try fixture.store.read { try $0.mention(platform: .mastodon, externalID: asked) })
            let second = try #require(try fixture.store.read { try $0.mention(platform: .mastodon, externalID: answer) })
            #expect(first.conversationID == second.conversationID)
        }
    }

    @Test func aTimeoutIsRetriedWithTheSameKeyAndPostsOnce() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1, requestTimeout: 1)
        let asked = fixture.stub.mention(from: "kim@social.example", text: "hello?")
        // The first post makes its status, then answers too late for the client.
        fixture.stub.holdPostAnswers(2)
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "hi there")
            #expect(try await fixture.eventually { fixture.stub.posted.count >= 1 })
            fixture.stub.holdPostAnswers(0)
            #expect(try await fixture.eventually(20) { try fixture.reply(reply.id).state == .sent })
            let posts = fixture.stub.posted
            #expect(posts.count >= 2, "the timed-out attempt was tried again")
            #expect(posts.filter { !$0.repeated }.count == 1, "one status made")
            #expect(Set(posts.map(\.idempotencyKey)).count == 1, "every attempt carries the same key")
            #expect(try fixture.reply(reply.id).platformID == posts[0].statusID)
        }
    }

    @Test func aDeletedPostOrAValidationErrorFailsTheReplyWithThePlatformsWords() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        let gone = fixture.stub.mention(from: "kim@social.example", text: "hello?")
        let other = fixture.stub.mention(from: "lee@social.example", text: "hello?")
        fixture.stub.addFault(.init(method: "POST", path: "/api/v1/statuses",
                                    response: .full(status: 404, headers: [], body: Array(#"{"error":"Record not found"}"#.utf8))))
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: gone, "sorry about that")
            #expect(try await fixture.eventually { try fixture.reply(reply.id).state == .failed })
            #expect(try fixture.reply(reply.id).lastError == "Record not found (HTTP 404)")
            #expect(try fixture.reply(reply.id).attempts == 1, "refused for good: not retried")
            // The instance's own language, shown as it is (it is never matched on).
            fixture.stub.addFault(.init(method: "POST", path: "/api/v1/statuses", response: .full(
                status: 422, headers: [], body: Array(#"{"error":"バリデーションに失敗しました: 本文を入力してください"}"#.utf8))))
            let second = try await fixture.reply(to: other, "hi")
            #expect(try await fixture.eventually { try fixture.reply(second.id).state == .failed })
            #expect(try fixture.reply(second.id).lastError == "バリデーションに失敗しました: 本文を入力してください (HTTP 422)")
        }
    }

    /// Each live account posts in a lane of its own: a Mastodon post waiting for its answer does
    /// not hold up a reply on an X channel, which the delivery command posts meanwhile.
    @Test func aSlowPlatformDoesNotHoldUpAnotherChannelsReplies() async throws {
        let sent = try TemporaryDirectory("earshot-lanes").file("sent.jsonl")
        let fixture = try LiveAccountFixture(
            streaming: false, pollSeconds: 1, requestTimeout: 30, deliveryCommand: ["/bin/sh", "-c", "cat >> \"$0\"; echo x-post-1", sent])
        let asked = fixture.stub.mention(from: "kim@social.example", text: "hello?")
        let now = fixture.service.clock.now()
        let other = try fixture.store.write { writer -> ConversationID in
            let channel = try writer.insertChannel(platform: .x, handle: "AcmeSupport", displayName: "Acme", because: EventDraft(.channelAdded, by: .system, at: now))
            let customer = try writer.insertCustomer(platform: .x, handle: "lee", displayName: "Lee", firstSeen: now, because: EventDraft(.customerAdded, by: .ingest, at: now))
            return try writer.insertConversation(
                NewConversation(channelID: channel.id, customerID: customer.id, triageClass: .question, startedAt: now, preview: "hi?"),
                because: EventDraft(.opened, by: .ingest, at: now, detail: ["message_at": String(now.millisecondsSinceEpoch)])).id
        }
        fixture.stub.holdPostAnswers(6)
        try await fixture.run { _ async throws in
            let slow = try await fixture.reply(to: asked, "on its way")
            #expect(try await fixture.eventually { fixture.stub.posted.count == 1 }, "the Mastodon post is out, its answer held")
            _ = try fixture.service.claim(other, by: "dana")
            let quick = try fixture.service.sendReply(other, text: "@lee hello", basedOn: nil, confirmed: true, by: "dana")
            #expect(try await fixture.eventually(4) { try fixture.reply(quick.id).state == .sent }, "the X reply did not wait for Mastodon")
            #expect(try fixture.reply(slow.id).state == .queued, "the Mastodon reply is still waiting for its answer")
            #expect(try await fixture.eventually(20) { try fixture.reply(slow.id).state == .sent })
        }
    }

    @Test func aReplyLongerThanTheInstanceTakesFailsBeforeItIsPosted() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1, maxCharacters: 40)
        let asked = fixture.stub.mention(from: "kim@social.example", text: "hello?")
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "thanks for writing, we are on it")
            #expect(try await fixture.eventually { try fixture.reply(reply.id).state == .failed })
            #expect(try fixture.reply(reply.id).lastError == "the reply is 56 characters; \(fixture.stub.baseURL) takes at most 40 in a post: shorten it")
        }
        #expect(fixture.stub.posted.isEmpty)
    }

    @Test func aRateLimitedPostWaitsForTheResetWithoutUsingItsAttempts() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        let asked = fixture.stub.mention(from: "kim@social.example", text: "hello?")
        let reset = Timestamp(Date().addingTimeInterval(2)).iso8601
        fixture.stub.addFault(.init(method: "POST", path: "/api/v1/statuses", response: .full(
            status: 429, headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", reset)],
            body: Array(#"{"error":"Too many requests"}"#.utf8))))
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "hi")
            #expect(try await fixture.eventually(20) { try fixture.reply(reply.id).state == .sent })
            #expect(try fixture.reply(reply.id).attempts == 1, "the rate-limited attempt was given back")
        }
        let posts = fixture.stub.requests.filter { $0.method == "POST" }
        #expect(posts.count == 2)
        #expect(posts[1].at >= TimestampParsing.iso8601(reset)!.0.date, "no post before the reset")
    }
}
