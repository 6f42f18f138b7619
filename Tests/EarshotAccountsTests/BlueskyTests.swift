@testable import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import Foundation
import Testing

/// A live Bluesky account against a stub PDS on loopback, through the real HTTP client and a
/// real SQLite inbox.
@Suite(.serialized) struct BlueskyTests {
    @Test func aBacklogOfThreePagesIsReadBackToTheMarkNoneLostOrDoubledWhileMoreArrive() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5)
        let first = fixture.stub.mention(from: "first.bsky.social", text: "@acme.bsky.social hello?")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.cursor() != nil })
            var expected = [first]
            for index in 1...150 { expected.append(fixture.stub.mention(from: "c\(index).bsky.social", text: "@acme.bsky.social order \(index) is late")) }
            // While the poll pages back through those, more customers write.
            let late = LateMentions(stub: fixture.stub)
            fixture.stub.afterEachPage { page in late.add(afterPage: page) }
            #expect(try await fixture.eventually(40) { try Set(fixture.mentionRows()).isSuperset(of: expected + late.uris) && !late.uris.isEmpty })
            let rows = try fixture.mentionRows()
            #expect(rows.count == Set(rows).count, "none doubled")
            #expect(Set(rows) == Set(expected + late.uris), "none lost")
            #expect(fixture.stub.requests.filter { $0.target.contains("cursor=") }.count >= 2, "the backlog was paged back")
        }
        #expect(fixture.stub.logins == 1)
    }

    @Test func anExpiredTokenIsRefreshedWithoutALoginAndTheSessionOutlivesTheDaemon() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .polling })
            fixture.stub.expireAccessTokens()
            let uri = fixture.stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social where is it?")
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [uri] })
        }
        #expect(fixture.stub.logins == 1 && fixture.stub.refreshes >= 1)
        let file = fixture.directory.file("acme-bluesky.bluesky-session.json")
        var info = stat()
        #expect(stat(file, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains(fixture.stub.password), "the app password is not kept")
        // The next run reuses the session: no second login.
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .polling })
        }
        #expect(fixture.stub.logins == 1)
    }

    @Test func aSessionThatCannotBeRefreshedStopsTheAccountVisibly() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .polling })
            fixture.stub.revokeSessions()
            #expect(try await fixture.eventually(20) { fixture.status?.state == .tokenRejected })
        }
        #expect(fixture.status?.lastError?.contains("ExpiredToken") == true)
        #expect(fixture.stub.logins == 1, "no login loop")
    }

    @Test func aReplyAnswersTheRightPostsWithFacetsAtUTF8ByteOffsets() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5)
        let root = fixture.stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social my order?")
        let rootRef = try #require(fixture.stub.reference(root))
        let parent = fixture.stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social 注文はまだ？", reason: "reply",
                                          replyTo: rootRef, root: rootRef, langs: ["ja"])
        try await fixture.run { _ async throws in
            let text = "ありがとう 🙏 @kim.bsky.social see https://acme.example/help."
            let reply = try await fixture.reply(to: parent, text)
            #expect(try await fixture.eventually { try fixture.reply(reply.id).state == .sent })
            let made = try #require(fixture.stub.created.first)
            #expect(fixture.stub.created.count == 1)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(made.json.utf8)) as? [String: Any])
            let record = try #require(body["record"] as? [String: Any])
            #expect(record["text"] as? String == text + " ^DA")
            #expect(record["langs"] as? [String] == ["ja"])
            let replyRefs = try #require(record["reply"] as? [String: [String: String]])
            #expect(replyRefs["parent"]?["uri"] == parent && replyRefs["root"]?["uri"] == root, "root is the thread's root")
            let facets = try #require(record["facets"] as? [[String: Any]])
            let ranges = facets.map { ($0["index"] as? [String: Int]).map { [$0["byteStart"]!, $0["byteEnd"]!] } ?? [] }
            // "ありがとう" is 15 bytes, the space 1, "🙏" 4, the space 1: the handle starts at byte 21.
            #expect(ranges == [[21, 21 + "@kim.bsky.social".utf8.count], [42, 42 + "https://acme.example/help".utf8.count]])
            let features = facets.compactMap { ($0["features"] as? [[String: Any]])?.first }
            #expect(features.first?["$type"] as? String == "app.bsky.richtext.facet#mention")
            #expect((features.first?["did"] as? String)?.hasPrefix("did:plc:") == true)
            #expect(features.last?["uri"] as? String == "https://acme.example/help")
            let sent = try fixture.reply(reply.id)
            #expect(made.rkey == RecordKey.tid(for: try #require(sent.deliveryKey)))
            #expect(sent.platformID == made.uri)
            #expect(sent.platformURL == "https://bsky.app/profile/acme.bsky.social/post/\(made.rkey ?? "")")
        }
    }

    @Test func aRetriedPostCollidesOnItsRecordKeyAndIsNotPostedTwice() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5, requestTimeout: 1)
        let asked = fixture.stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social hello?")
        fixture.stub.holdPostAnswers(2)
        try await fixture.run { _ async throws in
            let reply = try await fixture.reply(to: asked, "hi there")
            #expect(try await fixture.eventually { !fixture.stub.created.isEmpty })
            fixture.stub.holdPostAnswers(0)
            #expect(try await fixture.eventually(20) { try fixture.reply(reply.id).state == .sent })
            let attempts = fixture.stub.created
            #expect(attempts.filter { !$0.refused }.count == 1, "one post made")
            #expect(attempts.count >= 2 && Set(attempts.map(\.rkey)).count == 1, "every attempt asked for the same record key")
            #expect(try fixture.reply(reply.id).platformID == attempts[0].uri)
        }
    }

    @Test func aRateLimitWaitsForItsEpochReset() async throws {
        let fixture = try BlueskyFixture(pollSeconds: 5)
        fixture.stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social hi")
        fixture.stub.limitRate(after: 1, resetAfter: 2)
        let reset = Date().addingTimeInterval(2)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually(20) { try fixture.mentionRows().count == 1 }, "\(fixture.log) \(fixture.stub.requests.map(\.target))")
        }
        let asked = fixture.stub.requests.dropFirst(1)
        // Seconds are whole on the wire: nothing before the second the reset names.
        #expect(asked.allSatisfy { $0.at >= reset.addingTimeInterval(-1) }, "\(asked.map { ($0.target, $0.at) })")
    }

    @Test func repliesLongerThanAPostAreRefusedBeforePosting() throws {
        let payload = #"{"uri":"at://did:plc:x/app.bsky.feed.post/1","cid":"bafy","author":{"did":"did:plc:x"},"record":{"text":"hi"}}"#
        let json = #"{"reply_id":1,"conversation_id":1,"platform":"bluesky","channel":"acme.bsky.social","customer":"kim.bsky.social","author":"dana","attempt":1,"idempotency_key":"k","text":""#
            + String(repeating: "é", count: 290) + #""}"#
        var request = try JSONDecoder().decode(DeliveryRequest.self, from: Data(json.utf8))
        request.answeredPayload = payload
        #expect(throws: BlueskyReply.Problem.self) { try BlueskyReply(request: request, now: Timestamp(millisecondsSinceEpoch: 0)) }
        request.text = "@kim.bsky.social fine"
        let reply = try BlueskyReply(request: request, now: Timestamp(millisecondsSinceEpoch: 0))
        #expect(reply.text == "@kim.bsky.social fine", "the handle is not put twice")
    }
}

/// Mentions a customer writes while the poll is paging back (after the first page).
final class LateMentions: Sendable {
    let stub: BlueskyStub
    private let added = LogLines()
    init(stub: BlueskyStub) { self.stub = stub }
    func add(afterPage page: Int) {
        guard added.all.count < 3 else { return }
        added.append(stub.mention(from: "late\(added.all.count).bsky.social", text: "@acme.bsky.social me too"))
    }
    var uris: [String] { added.all }
}
