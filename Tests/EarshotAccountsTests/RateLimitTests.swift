import EarshotAccounts
import EarshotCore
import Testing

@Suite struct RateLimitTests {
    @Test func backoffDoublesWithJitterUpToItsCapAndResetsOnSuccess() {
        var backoff = Backoff(baseSeconds: 1, maximumSeconds: 8)
        #expect(backoff.next(random: 1) == 1)
        #expect(backoff.next(random: 1) == 2)
        #expect(backoff.next(random: 0) == 2)  // half of 4: the jitter's floor
        #expect(backoff.next(random: 1) == 8)
        #expect(backoff.next(random: 1) == 8)  // capped
        backoff.succeeded()
        #expect(backoff.next(random: 1) == 1)
    }

    @Test func mastodonsResetIsAnISOTimeAndOnlyAnExhaustedWindowWaits() {
        let now = Timestamp(millisecondsSinceEpoch: 1_800_000_000_000)
        let reset = "2027-01-15T08:00:30.869078Z"
        let resetTime = TimestampParsing.iso8601(reset)!.0
        #expect(MastodonRateLimit.waitUntil(status: 200, remaining: "12", reset: reset, now: resetTime.adding(seconds: -30)) == nil)
        #expect(MastodonRateLimit.waitUntil(status: 200, remaining: "0", reset: reset, now: resetTime.adding(seconds: -30)) == resetTime)
        #expect(MastodonRateLimit.waitUntil(status: 429, remaining: "0", reset: reset, now: resetTime.adding(seconds: -30)) == resetTime)
        // A reset already past, or unreadable (epoch seconds are X's and Bluesky's, not Mastodon's): a 429 still waits.
        #expect(MastodonRateLimit.waitUntil(status: 429, remaining: nil, reset: "1800000060", now: now) == now.adding(seconds: 60))
        // Never longer than 15 minutes on the platform's word.
        #expect(MastodonRateLimit.waitUntil(status: 429, remaining: "0", reset: reset, now: resetTime.adding(seconds: -7200)) == resetTime.adding(seconds: -7200 + 900))
    }
}
