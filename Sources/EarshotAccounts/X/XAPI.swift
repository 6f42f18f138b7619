import EarshotCore
import Foundation
import NIOHTTP1

/// The X API v2 calls a live X account makes, over `PlatformHTTP`, each signed by its credentials.
struct XAPI: Sendable {
    let base: String
    let http: PlatformHTTP

    /// What the X v2 adapter reads: the time, author, thread, what a post answers or quotes,
    /// the whole text of a long post (`note_tweet`) and its entities.
    static let tweetFields = "tweet.fields=created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,note_tweet,entities"
    static let expansions = "expansions=author_id,referenced_tweets.id,referenced_tweets.id.author_id&user.fields=username,name"

    func me(_ credentials: XCredentials) async throws -> PlatformResponse {
        try await get("/2/users/me", credentials)
    }

    /// One page of mentions, newest first: since `sinceID` (or from `startTime`), further back with `paginationToken`.
    func mentions(of user: String, sinceID: String?, startTime: Timestamp?, paginationToken: String?, _ credentials: XCredentials) async throws -> PlatformResponse {
        var query = "max_results=100&\(Self.tweetFields)&\(Self.expansions)"
        if let sinceID { query += "&since_id=\(sinceID)" }
        if sinceID == nil, let startTime { query += "&start_time=\(Self.seconds(startTime))" }
        if let paginationToken { query += "&pagination_token=\(OAuth1Signer.encode(paginationToken))" }
        return try await get("/2/users/\(user)/mentions?\(query)", credentials)
    }

    /// The account's own recent posts, to find a reply X refused as a duplicate.
    func recentPosts(of user: String, _ credentials: XCredentials) async throws -> PlatformResponse {
        try await get("/2/users/\(user)/tweets?max_results=20&\(Self.tweetFields)", credentials)
    }

    /// `POST /2/tweets` replying to `inReplyTo`.
    func createTweet(text: String, inReplyTo: String?, _ credentials: XCredentials) async throws -> PlatformResponse {
        var body: [String: Any] = ["text": text]
        if let inReplyTo { body["reply"] = ["in_reply_to_tweet_id": inReplyTo] }
        let url = base + "/2/tweets"
        return try await http.sendJSON(.POST, url, authorization: credentials.authorization(method: "POST", url: url), json: body)
    }

    /// Renews an OAuth 2.0 user token: `POST /2/oauth2/token`, grant_type refresh_token.
    func refresh(_ refreshToken: String, clientID: String) async throws -> PlatformResponse {
        try await http.sendForm(.POST, base + "/2/oauth2/token", form: [
            ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID),
        ])
    }

    private func get(_ path: String, _ credentials: XCredentials) async throws -> PlatformResponse {
        let url = base + path
        return try await http.sendJSON(.GET, url, authorization: credentials.authorization(method: "GET", url: url), json: nil)
    }

    /// `2026-12-05T08:00:00Z`: X takes RFC 3339 without fractions.
    static func seconds(_ time: Timestamp) -> String {
        String(time.iso8601.prefix(19)) + "Z"
    }

    /// X's problem objects: `detail` (or `title`), with the status.
    static func errorMessage(_ response: PlatformResponse) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] {
            if let detail = (object["detail"] as? String) ?? (object["title"] as? String) { return "\(detail) (HTTP \(response.status))" }
            if let errors = object["errors"] as? [[String: Any]], let first = errors.first,
               let message = (first["detail"] as? String) ?? (first["message"] as? String) { return "\(message) (HTTP \(response.status))" }
            if let error = object["error_description"] as? String ?? object["error"] as? String { return "\(error) (HTTP \(response.status))" }
        }
        return "HTTP \(response.status)"
    }
}

/// X's rate-limit headers: `x-rate-limit-remaining`, `x-rate-limit-reset` in epoch seconds.
public enum XRateLimit {
    public static func waitUntil(status: Int, remaining: String?, reset: String?, now: Timestamp) -> Timestamp? {
        BlueskyRateLimit.waitUntil(status: status, remaining: remaining, reset: reset, now: now)
    }
}
