import EarshotCore
import Foundation
import NIOHTTP1

/// The Mastodon endpoints a live account uses, over `PlatformHTTP`: who the token is, where
/// the stream is, notifications paged forward, and posting a status. Every answer comes back
/// with its status; what to do with a fault is the account's decision.
struct MastodonAPI: Sendable {
    let base: String
    let token: String
    let http: PlatformHTTP

    /// The token's own account: `GET /api/v1/accounts/verify_credentials`.
    func verifyCredentials() async throws -> PlatformResponse {
        try await http.send(.GET, base + "/api/v1/accounts/verify_credentials", token: token)
    }

    /// The token's application and scopes: `GET /api/v1/apps/verify_credentials`.
    func verifyApp() async throws -> PlatformResponse {
        try await http.send(.GET, base + "/api/v1/apps/verify_credentials", token: token)
    }

    /// The instance's description, for its streaming host: `GET /api/v2/instance`.
    func instance() async throws -> PlatformResponse {
        try await http.send(.GET, base + "/api/v2/instance", token: token)
    }

    /// One page of mention notifications, newest first: the page right after `minID`, or
    /// (without it) the newest page, or the page before `maxID` when reading back.
    func mentions(minID: String? = nil, maxID: String? = nil, limit: Int = 40) async throws -> PlatformResponse {
        var query = "types%5B%5D=mention&limit=\(limit)"
        if let minID { query += "&min_id=" + Self.encoded(minID) }
        if let maxID { query += "&max_id=" + Self.encoded(maxID) }
        return try await http.send(.GET, base + "/api/v1/notifications?" + query, token: token)
    }

    /// `POST /api/v1/statuses`, form-encoded as Mastodon's own clients send it, with the
    /// reply's stable `Idempotency-Key`: a repeat within an hour returns the status already made.
    func postStatus(text: String, inReplyTo: String?, visibility: String, idempotencyKey: String) async throws -> PlatformResponse {
        var form = [("status", text), ("visibility", visibility)]
        if let inReplyTo { form.append(("in_reply_to_id", inReplyTo)) }
        return try await http.send(.POST, base + "/api/v1/statuses", token: token, headers: [("Idempotency-Key", idempotencyKey)], form: form)
    }

    func streamURL(host streamingBase: String) -> String { streamingBase + "/api/v1/streaming/user/notification" }

    static func encoded(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
    }

    /// The platform's message from an error body (`{"error": "..."}`, sometimes with
    /// `error_description`), shown as it is: it is localised, so it is never matched on.
    static func errorMessage(_ response: PlatformResponse) -> String {
        if let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
           let error = object["error"] as? String {
            let description = (object["error_description"] as? String).map { ": \($0)" } ?? ""
            return "\(error)\(description) (HTTP \(response.status))"
        }
        let text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return "HTTP \(response.status)" + (text.isEmpty || text.count > 200 || text.hasPrefix("<") ? "" : ": \(text)")
    }

    /// The instance's own domain (`domain` of `/api/v2/instance`): a web host and the domain
    /// in handles may differ (Mastodon's WEB_DOMAIN and LOCAL_DOMAIN).
    static func domain(fromInstance body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let domain = object["domain"] as? String, !domain.isEmpty else { return nil }
        return domain
    }

    /// The instance's limit on a status's length.
    static func maximumCharacters(fromInstance body: [UInt8]) -> Int? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let statuses = (object["configuration"] as? [String: Any])?["statuses"] as? [String: Any] else { return nil }
        return statuses["max_characters"] as? Int
    }

    /// The streaming base URL (`https://streaming.example`) from `/api/v2/instance`'s
    /// `configuration.urls.streaming` (a `wss://` address), or nil when it names none usable.
    static func streamingBase(fromInstance body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let configuration = object["configuration"] as? [String: Any],
              let urls = configuration["urls"] as? [String: Any],
              var streaming = urls["streaming"] as? String else { return nil }
        if streaming.hasPrefix("wss://") { streaming = "https://" + streaming.dropFirst(6) }
        if streaming.hasPrefix("ws://") { streaming = "http://" + streaming.dropFirst(5) }
        while streaming.hasSuffix("/") { streaming.removeLast() }
        return AccountSettingsCheck.isUsable(streaming) ? streaming : nil
    }
}

/// Who a token belongs to.
struct MastodonIdentity: Sendable, Equatable {
    /// The account's id (an opaque string).
    var id: String
    /// `acct` as the instance reports it (`acme` for a local account).
    var acct: String
    /// The handle other instances know it by, `acme@mastodon.social`: the channel.
    var handle: String

    /// `instanceHost`: the instance's domain (`/api/v2/instance`), else the host of its URL.
    init?(credentials body: [UInt8], instanceHost: String) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let id = object["id"] as? String, let acct = object["acct"] as? String, !acct.isEmpty else { return nil }
        self.id = id
        self.acct = acct
        handle = acct.contains("@") ? acct : "\(acct)@\(instanceHost)"
    }
}

/// The checks of a configured URL, shared with the streaming host the instance names.
enum AccountSettingsCheck {
    static func isUsable(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return false }
        if scheme == "https" { return true }
        return scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host.lowercased())
    }
}
