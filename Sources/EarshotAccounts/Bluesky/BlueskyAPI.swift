import EarshotCore
import Foundation
import NIOHTTP1

/// A Bluesky session: the access and refresh JWTs `createSession` gives, and whose they are.
struct BlueskySession: Codable, Sendable, Equatable {
    var accessJwt: String
    var refreshJwt: String
    var did: String
    var handle: String

    init?(_ body: [UInt8]) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let access = object["accessJwt"] as? String, let refresh = object["refreshJwt"] as? String,
              let did = object["did"] as? String, let handle = object["handle"] as? String else { return nil }
        (accessJwt, refreshJwt, self.did, self.handle) = (access, refresh, did, handle)
    }
}

/// The XRPC calls a live Bluesky account makes, over `PlatformHTTP`.
struct BlueskyAPI: Sendable {
    let base: String
    let http: PlatformHTTP

    /// `com.atproto.server.createSession` with the app password: a login (30 per 5 minutes).
    func createSession(identifier: String, password: String) async throws -> PlatformResponse {
        try await http.sendJSON(.POST, base + "/xrpc/com.atproto.server.createSession", token: nil,
                                json: ["identifier": identifier, "password": password])
    }

    /// `com.atproto.server.refreshSession`, authorised by the refresh token.
    func refreshSession(refreshJwt: String) async throws -> PlatformResponse {
        try await http.sendJSON(.POST, base + "/xrpc/com.atproto.server.refreshSession", token: refreshJwt, json: nil)
    }

    /// One page of mention, reply and quote notifications, newest first; `cursor` reads further back.
    func notifications(cursor: String?, token: String, limit: Int = 50) async throws -> PlatformResponse {
        var query = "reasons=mention&reasons=reply&reasons=quote&limit=\(limit)"
        if let cursor { query += "&cursor=" + (cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor) }
        return try await http.send(.GET, base + "/xrpc/app.bsky.notification.listNotifications?" + query, token: token)
    }

    /// `com.atproto.repo.createRecord` of a post with a record key chosen by us.
    func createPost(repo: String, rkey: String, record: Data, token: String) async throws -> PlatformResponse {
        let value = (try? JSONSerialization.jsonObject(with: record)) ?? [String: Any]()
        return try await http.sendJSON(.POST, base + "/xrpc/com.atproto.repo.createRecord", token: token, json: [
            "repo": repo, "collection": "app.bsky.feed.post", "rkey": rkey, "record": value,
        ])
    }

    /// `com.atproto.repo.getRecord`: whether a post with this key exists.
    func getPost(repo: String, rkey: String, token: String) async throws -> PlatformResponse {
        try await http.send(.GET, base + "/xrpc/com.atproto.repo.getRecord?repo=\(repo)&collection=app.bsky.feed.post&rkey=\(rkey)", token: token)
    }

    /// `ExpiredToken`, `RateLimitExceeded`...: the XRPC error name of an answer.
    static func errorName(_ response: PlatformResponse) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["error"] as? String
    }

    /// The PDS's words: `RecordNotFound: Could not locate record (HTTP 400)`.
    static func errorMessage(_ response: PlatformResponse) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any], let error = object["error"] as? String {
            return error + ((object["message"] as? String).map { ": \($0)" } ?? "") + " (HTTP \(response.status))"
        }
        return "HTTP \(response.status)"
    }
}

/// Bluesky's rate-limit headers: `RateLimit-Remaining` and `RateLimit-Reset`, in epoch seconds.
public enum BlueskyRateLimit {
    public static func waitUntil(status: Int, remaining: String?, reset: String?, now: Timestamp) -> Timestamp? {
        let exhausted = status == 429 || remaining.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } == 0
        guard exhausted else { return nil }
        if let seconds = reset.flatMap({ Int64($0.trimmingCharacters(in: .whitespaces)) }) {
            let time = Timestamp(secondsSinceEpoch: seconds)
            if time > now { return min(time, now.adding(seconds: 900)) }
        }
        return status == 429 ? now.adding(seconds: 60) : nil
    }
}

/// A record key Bluesky accepts (a TID: 13 characters of base32-sortable), derived from the
/// reply's delivery key so that every attempt at one reply asks for the same record: a retry
/// collides with the post already made instead of making a second one.
enum RecordKey {
    static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

    static func tid(for key: String) -> String {
        // FNV-1a over the key; the top bit clear, as a TID's must be.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        var value = hash & 0x7FFF_FFFF_FFFF_FFFF
        var out: [Character] = []
        for _ in 0..<13 {
            out.append(alphabet[Int(value & 31)])
            value >>= 5
        }
        return String(out.reversed())
    }
}
