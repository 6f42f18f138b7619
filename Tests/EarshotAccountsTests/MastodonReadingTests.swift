@testable import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import Foundation
import Testing

/// Reading mentions from a Mastodon stub on loopback, through the real HTTP client and a real
/// SQLite inbox.
@Suite(.serialized) struct MastodonReadingTests {
    @Test func aStreamedMentionReachesTheQueueWithoutWaitingForThePoll() async throws {
        // Polling every ten minutes: only the stream can bring the mention in time.
        let fixture = try LiveAccountFixture(streaming: true, pollSeconds: 600)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .streaming && fixture.stub.openStreams == 1 })
            let id = fixture.stub.mention(from: "kim@social.example", text: "my parcel never came")
            #expect(try await fixture.eventually(10) { try fixture.mentionRows() == [id] })
            let row = try #require(try fixture.service.queue(.unassigned, limit: 5, for: "dana").first)
            #expect(row.customer == "kim@social.example" && row.channel == "acme@127.0.0.1")
            #expect(row.conversation.preview.hasSuffix("my parcel never came"))
        }
    }

    @Test func aBacklogIsPagedForwardWithMinIDNoneLostOrDoubled() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        let first = fixture.stub.mention(from: "first@social.example", text: "hello?")
        try await fixture.run { _ async throws in
            // The first read stores what is there and sets the cursor.
            #expect(try await fixture.eventually { try fixture.cursor() != nil })
            let before = fixture.stub.requests.count
            let backlog = (1...500).map { fixture.stub.mention(from: "c\($0)@social.example", text: "order \($0) is late") }
            #expect(try await fixture.eventually(60) { try fixture.mentionRows().count == 501 })
            let rows = try fixture.mentionRows()
            #expect(rows == [first] + backlog, "every mention once, in order")
            let pagesRead = { fixture.stub.requests.dropFirst(before).filter { $0.target.contains("min_id=") } }
            // 500 at 40 a page: 13 pages, and one more that comes back empty. The empty one is asked
            // after the last page's transaction, so it may come a moment after the rows show.
            #expect(try await fixture.eventually(10) { pagesRead().count >= 14 })
            let pages = pagesRead()
            #expect(pages.allSatisfy { $0.target.contains("types%5B%5D=mention") })
            #expect(try fixture.cursor() == String(100 + 501), "the cursor is the newest notification's id")
        }
    }

    @Test func ownPostsAreNotMentionsAndAContentWarningComesFirst() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        fixture.stub.ownMention(text: "we posted this ourselves @acme")
        let id = fixture.stub.mention(from: "lee@social.example", text: "the ending was awful", spoiler: "spoilers for S2")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.cursor() != nil })
            #expect(try fixture.mentionRows() == [id])
            let preview = try #require(try fixture.service.queue(.unassigned, limit: 5, for: "dana").first?.conversation.preview)
            #expect(preview.hasPrefix("CW: spoilers for S2 — "))
        }
    }

    @Test func aRateLimitIsHonouredNoRequestBeforeTheReset() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 5)
        fixture.stub.mention(from: "kim@social.example", text: "hi")
        // Two requests (verify_credentials, the first page), then 429 for two seconds.
        fixture.stub.limitRate(after: 2, resetAfter: 2)
        let reset = fixture.stub.rateReset
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { try fixture.cursor() != nil })
            fixture.stub.mention(from: "lee@social.example", text: "hello again")
            #expect(try await fixture.eventually(20) { try fixture.mentionRows().count == 2 })
        }
        // The second answer said none remain (X-RateLimit-Remaining: 0, reset ISO): nothing
        // more was asked before the reset, so the stub never had to answer 429.
        let asked = fixture.stub.requests.filter { $0.target.hasPrefix("/api/v1/") }
        #expect(asked.count >= 3)
        let early = asked.dropFirst(2).filter { $0.at < reset }
        #expect(early.isEmpty, "requests before the reset: \(early.map(\.target))")
        #expect(fixture.service.accounts.all().first?.lastError?.hasPrefix("rate limited until") == true)
    }

    @Test func a429OnAPageWaitsForItsResetThenReadsOn() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 5)
        let id = fixture.stub.mention(from: "kim@social.example", text: "hi")
        let reset = Date().addingTimeInterval(2)
        fixture.stub.addFault(.init(path: "/api/v1/notifications", response: .full(
            status: 429, headers: [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", Timestamp(reset).iso8601)],
            body: Array(#"{"error":"Too many requests"}"#.utf8))))
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [id] })
        }
        let pages = fixture.stub.requests.filter { $0.target.hasPrefix("/api/v1/notifications") }
        #expect(pages.count >= 2)
        #expect(pages[1].at >= reset.addingTimeInterval(-0.001), "the page was asked again only after the reset")
        #expect(fixture.log.contains { $0.contains("rate limited (HTTP 429): no request before") })
    }

    @Test func aRejectedTokenStopsTheAccountWithAVisibleStateAndNoHotLoop() async throws {
        let fixture = try LiveAccountFixture(token: "wrong-token")
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .tokenRejected })
            try await Task.sleep(for: .seconds(1))
            let asked = fixture.stub.requests.filter { $0.target.hasPrefix("/api/v1/") }
            #expect(asked.count == 1, "one refused request, then nothing: \(asked.map(\.target))")
        }
        #expect(fixture.status?.lastError == "The access token is invalid (HTTP 401)")
        #expect(!fixture.log.joined().contains("wrong-token"), "the token never reaches the log")
    }

    @Test func aMalformedPageIsLoggedWithItsEndpointAndReadAgainLater() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 1)
        let id = fixture.stub.mention(from: "kim@social.example", text: "hi")
        fixture.stub.addFault(.init(path: "/api/v1/notifications", response: .full(status: 200, headers: [], body: Array("<html>oops".utf8))))
        fixture.stub.addFault(.init(path: "/api/v1/notifications", response: .full(status: 503, headers: [], body: [])))
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [id] })
        }
        #expect(fixture.log.contains { $0.contains("GET /api/v1/notifications: the answer is not a list of notifications") })
        #expect(fixture.log.contains { $0.contains("GET /api/v1/notifications: HTTP 503") })
    }

    @Test func aStreamThatFallsSilentIsOpenedAgain() async throws {
        // Here a stream may be silent 3 s (45 s in the daemon); the stub beats every 0.5 s.
        let fixture = try LiveAccountFixture(streaming: true, pollSeconds: 600)
        @Sendable func streamsOpened() -> Int { fixture.stub.requests.filter { $0.target.hasPrefix("/api/v1/streaming/user/notification") }.count }
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.status?.state == .streaming })
            fixture.stub.muteStreams(true)
            #expect(try await fixture.eventually(20) { streamsOpened() >= 2 }, "the silent stream was given up and opened again")
            fixture.stub.muteStreams(false)
            #expect(try await fixture.eventually(20) { fixture.status?.state == .streaming })
            let id = fixture.stub.mention(from: "kim@social.example", text: "hello?")
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [id] })
        }
        #expect(fixture.log.contains { $0.contains("stream: ") })
    }

    @Test func aDroppedStreamReconnectsAndCatchesUpWhatItMissed() async throws {
        let fixture = try LiveAccountFixture(streaming: true, pollSeconds: 600)
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.stub.openStreams == 1 && fixture.status?.state == .streaming })
            fixture.stub.dropStreams()
            // Written while no stream is open: only the catch-up after the reconnect can read it.
            let missed = fixture.stub.mention(from: "kim@social.example", text: "are you there?")
            #expect(try await fixture.eventually(20) { try fixture.mentionRows() == [missed] })
            #expect(try await fixture.eventually { fixture.stub.openStreams == 1 })
        }
    }
}

/// The token goes only to the host the account's `url` names.
@Suite struct MastodonRedirectTests {
    @Test func aRedirectIsNotFollowedSoTheTokenNeverReachesAnotherHost() async throws {
        let fixture = try LiveAccountFixture(streaming: false, pollSeconds: 5)
        let seen = LogLines()
        let elsewhere = try LoopbackHTTPServer { request in
            seen.append(request.headers["authorization"] ?? "no authorization")
            return .full(status: 200, headers: [("Content-Type", "application/json")], body: Array("[]".utf8))
        }
        defer { elsewhere.stop() }
        fixture.stub.addFault(.init(path: "/api/v1/notifications", times: 1, response: .full(
            status: 302, headers: [("Location", elsewhere.baseURL + "/api/v1/notifications")], body: [])))
        try await fixture.run { _ async throws in
            #expect(try await fixture.eventually { fixture.log.contains { $0.contains("GET /api/v1/notifications: HTTP 302") } })
        }
        #expect(seen.all.isEmpty, "the other host was asked: \(seen.all)")
    }
}
