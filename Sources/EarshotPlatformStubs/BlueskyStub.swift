import EarshotCore
import Foundation
import Synchronization

/// A Bluesky PDS on loopback, for the tests, the demo and the bench, answering as the
/// lexicons say (../shared/data/platforms/bluesky): `createSession` and `refreshSession`
/// (access and refresh JWTs; an expired access token is HTTP 400 `ExpiredToken`),
/// `listNotifications` newest first, paged backwards with an opaque `cursor`, notifications in
/// the AppView's shape (author profile, record, `reasonSubject`, `indexedAt`), `createRecord`
/// with a client-chosen `rkey` (a second record with the same key is refused), `getRecord`,
/// and the PDS's `RateLimit-*` headers (reset in epoch seconds).
public final class BlueskyStub: Sendable {
    /// A record created through `createRecord`, with what came with it.
    public struct Created: Sendable {
        public var rkey: String?
        /// The request body as sent (`repo`, `collection`, `rkey`, `record`).
        public var body: [String: String]
        public var json: String
        public var uri: String?
        public var refused: Bool
    }

    public struct Logged: Sendable {
        public var method: String
        public var target: String
        public var at: Date
    }

    private struct Notification {
        var uri: String
        var cid: String
        var author: [String: Any]
        var reason: String
        var record: [String: Any]
        var indexedAt: String
    }

    private struct State {
        var notifications: [Notification] = []
        var records: [String: (uri: String, cid: String, value: [String: Any])] = [:]
        var created: [Created] = []
        var log: [Logged] = []
        var logins = 0
        var refreshes = 0
        var accessTokens: Set<String> = []
        var expiredTokens: Set<String> = []
        var refreshTokens: Set<String> = []
        var nextToken = 0
        var nextPost = 0
        var holdPostAnswers = 0.0
        var rate = StubRateWindow()
        /// Called after a page of notifications is served (tests add mentions between pages).
        var afterPage: (@Sendable (Int) -> Void)?
        var pagesServed = 0
    }

    public let handle: String
    public let did = "did:plc:acmeacmeacmeacmeacme2345"
    public let password: String
    private let state = Mutex(State())
    private let server = Mutex<LoopbackHTTPServer?>(nil)

    public init(handle: String = "acme.bsky.social", password: String = "abcd-efgh-ijkl-mnop") {
        self.handle = handle
        self.password = password
    }

    @discardableResult
    public func start() throws -> String {
        let server = try LoopbackHTTPServer { [self] request in handle(request) }
        self.server.withLock { $0 = server }
        return server.baseURL
    }

    public func stop() { server.withLock { $0?.stop() } }
    public var baseURL: String { server.withLock { $0?.baseURL ?? "" } }

    // MARK: - What tests do

    /// A customer mentions (or replies to, or quotes) the account. Returns the post's AT URI.
    @discardableResult
    public func mention(
        from customer: String, text: String, reason: String = "mention", replyTo parent: (uri: String, cid: String)? = nil,
        root: (uri: String, cid: String)? = nil, langs: [String] = ["en"], at time: Date = Date()
    ) -> String {
        state.withLock { state in
            state.nextPost += 1
            let customerDID = "did:plc:" + Self.base32(UInt64(abs(customer.hashValue)) % 1_000_000_000_000).padding(toLength: 24, withPad: "a", startingAt: 0)
            let rkey = Self.tid(UInt64(time.timeIntervalSince1970 * 1_000_000) + UInt64(state.nextPost))
            let uri = "at://\(customerDID)/app.bsky.feed.post/\(rkey)"
            let cid = "bafyreie\(String(state.nextPost, radix: 36))cidcidcidcidcidcidcidcidcidcidcid"
            var record: [String: Any] = ["$type": "app.bsky.feed.post", "text": text, "createdAt": Timestamp(time).iso8601, "langs": langs]
            if let parent {
                let top = root ?? parent
                record["reply"] = ["parent": ["uri": parent.uri, "cid": parent.cid], "root": ["uri": top.uri, "cid": top.cid]]
            }
            let author: [String: Any] = [
                "did": customerDID, "handle": customer, "displayName": String(customer.split(separator: ".").first ?? ""),
                "labels": [Any](), "viewer": ["blockedBy": false, "muted": false], "createdAt": "2024-01-01T00:00:00.000Z",
            ]
            state.records[uri] = (uri, cid, record)
            state.notifications.append(Notification(uri: uri, cid: cid, author: author, reason: reason, record: record,
                                                    indexedAt: Timestamp(Date()).iso8601))
            return uri
        }
    }

    /// The post's `{uri, cid}`, for a reply to it.
    public func reference(_ uri: String) -> (uri: String, cid: String)? {
        state.withLock { $0.records[uri].map { ($0.uri, $0.cid) } }
    }

    /// Every access token issued so far expires now (the next call with one gets `ExpiredToken`).
    public func expireAccessTokens() {
        state.withLock { state in
            state.expiredTokens.formUnion(state.accessTokens)
            state.accessTokens.removeAll()
        }
    }

    /// Refresh tokens stop working too (a revoked app password).
    public func revokeSessions() {
        expireAccessTokens()
        state.withLock { $0.refreshTokens.removeAll() }
    }

    public func holdPostAnswers(_ seconds: Double) { state.withLock { $0.holdPostAnswers = seconds } }

    /// After `requests` more requests, 429 until `resetAfter` seconds have passed.
    public func limitRate(after requests: Int, resetAfter: Double) {
        state.withLock { $0.rate.limit(after: requests, resetAfter: resetAfter) }
    }

    /// Called with the page number after each page of notifications is served.
    public func afterEachPage(_ body: @escaping @Sendable (Int) -> Void) { state.withLock { $0.afterPage = body } }

    public var created: [Created] { state.withLock { $0.created } }
    public var requests: [Logged] { state.withLock { $0.log } }
    public var logins: Int { state.withLock { $0.logins } }
    public var refreshes: Int { state.withLock { $0.refreshes } }
    public var mentionCount: Int { state.withLock { $0.notifications.count } }

    // MARK: - Serving

    private enum Access { case ok, expired, invalid }

    private func handle(_ request: StubRequest) -> StubResponse {
        state.withLock { $0.log.append(Logged(method: request.method, target: request.target, at: Date())) }
        if let limited = rateLimit() { return limited }
        let bearer = request.headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        switch (request.method, request.path) {
        case ("POST", "/xrpc/com.atproto.server.createSession"):
            let body = Self.object(request.body)
            guard (body["identifier"] as? String) == handle || (body["identifier"] as? String) == did,
                  body["password"] as? String == password else {
                return respond(401, ["error": "AuthenticationRequired", "message": "Invalid identifier or password"])
            }
            return respond(200, newSession(login: true))
        case ("POST", "/xrpc/com.atproto.server.refreshSession"):
            let valid = state.withLock { state in
                guard let bearer, state.refreshTokens.contains(bearer) else { return false }
                state.refreshTokens.remove(bearer)
                return true
            }
            guard valid else { return respond(400, ["error": "ExpiredToken", "message": "Token has been revoked"]) }
            return respond(200, newSession(login: false))
        default:
            break
        }
        switch access(bearer) {
        case .expired: return respond(400, ["error": "ExpiredToken", "message": "Token has expired"])
        case .invalid: return respond(401, ["error": "AuthenticationRequired", "message": "Authentication Required"])
        case .ok: break
        }
        switch (request.method, request.path) {
        case ("GET", "/xrpc/app.bsky.notification.listNotifications"):
            return notifications(request)
        case ("POST", "/xrpc/com.atproto.repo.createRecord"):
            return createRecord(request)
        case ("GET", "/xrpc/com.atproto.repo.getRecord"):
            let key = "at://\(request.parameter("repo") ?? "")/\(request.parameter("collection") ?? "")/\(request.parameter("rkey") ?? "")"
            guard let record = state.withLock({ $0.records[key] }) else {
                return respond(400, ["error": "RecordNotFound", "message": "Could not locate record: \(key)"])
            }
            return respond(200, ["uri": record.uri, "cid": record.cid, "value": record.value])
        default:
            return respond(501, ["error": "MethodNotImplemented", "message": "Method Not Implemented"])
        }
    }

    private func newSession(login: Bool) -> [String: Any] {
        state.withLock { state in
            state.nextToken += 1
            if login { state.logins += 1 } else { state.refreshes += 1 }
            let access = "access-\(state.nextToken)", refresh = "refresh-\(state.nextToken)"
            state.accessTokens.insert(access)
            state.refreshTokens.insert(refresh)
            return ["accessJwt": access, "refreshJwt": refresh, "handle": handle, "did": did, "active": true]
        }
    }

    private func access(_ bearer: String?) -> Access {
        state.withLock { state in
            guard let bearer else { return .invalid }
            if state.accessTokens.contains(bearer) { return .ok }
            return state.expiredTokens.contains(bearer) ? .expired : .invalid
        }
    }

    private func rateLimit() -> StubResponse? {
        state.withLock { $0.rate.refuses() } ? respond(429, ["error": "RateLimitExceeded", "message": "Rate Limit Exceeded"]) : nil
    }

    private func notifications(_ request: StubRequest) -> StubResponse {
        let limit = min(100, max(1, Int(request.parameter("limit") ?? "50") ?? 50))
        let reasons = Set(request.query.filter { $0.0 == "reasons" || $0.0 == "reasons[]" }.map(\.1))
        let start = Int(request.parameter("cursor") ?? "") ?? Int.max
        let (body, page, after) = state.withLock { state -> ([String: Any], Int, (@Sendable (Int) -> Void)?) in
            // Newest first; the cursor is the index below which the next page starts.
            let indexed = state.notifications.enumerated().filter { reasons.isEmpty || reasons.contains($0.element.reason) }
            let older = indexed.filter { $0.offset < start }.reversed()
            let chosen = Array(older.prefix(limit))
            var body: [String: Any] = ["notifications": chosen.map { item -> [String: Any] in
                let n = item.element
                var json: [String: Any] = [
                    "uri": n.uri, "cid": n.cid, "author": n.author, "reason": n.reason, "record": n.record,
                    "isRead": false, "indexedAt": n.indexedAt, "labels": [Any](),
                ]
                if n.reason != "mention" { json["reasonSubject"] = "at://\(did)/app.bsky.feed.post/3kabcdefghij2" }
                return json
            }]
            if chosen.count == limit, let last = chosen.last, indexed.contains(where: { $0.offset < last.offset }) {
                body["cursor"] = String(last.offset)
            }
            state.pagesServed += 1
            return (body, state.pagesServed, state.afterPage)
        }
        let response = respond(200, body)
        after?(page)
        return response
    }

    private func createRecord(_ request: StubRequest) -> StubResponse {
        let body = Self.object(request.body)
        let json = String(decoding: request.body, as: UTF8.self)
        let flat = body.compactMapValues { $0 as? String }
        guard body["repo"] as? String == did || body["repo"] as? String == handle else {
            return respond(400, ["error": "InvalidRequest", "message": "Input/repo must be the session's own repo"])
        }
        guard let record = body["record"] as? [String: Any], record["$type"] as? String == "app.bsky.feed.post",
              let text = record["text"] as? String else {
            return respond(400, ["error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record"])
        }
        if text.count > 300 || text.utf8.count > 3000 {
            return respond(400, ["error": "InvalidRequest", "message": "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"])
        }
        let rkey = body["rkey"] as? String
        let bytes = request.body
        let (code, answer) = state.withLock { state -> (Int, [String: Any]) in
            guard let record = Self.object(bytes)["record"] as? [String: Any] else { return (400, [:]) }
            state.nextPost += 1
            let key = rkey ?? Self.tid(UInt64(Date().timeIntervalSince1970 * 1_000_000))
            let uri = "at://\(did)/app.bsky.feed.post/\(key)"
            if state.records[uri] != nil {
                state.created.append(Created(rkey: rkey, body: flat, json: json, uri: nil, refused: true))
                return (400, ["error": "InvalidRequest", "message": "Could not create record: record already exists"])
            }
            let cid = "bafyreiour\(String(state.nextPost, radix: 36))cidcidcidcidcidcidcidcidcidcidcid"
            state.records[uri] = (uri, cid, record)
            state.created.append(Created(rkey: rkey, body: flat, json: json, uri: uri, refused: false))
            return (200, ["uri": uri, "cid": cid, "validationStatus": "valid"])
        }
        let hold = state.withLock { $0.holdPostAnswers }
        if hold > 0 { Thread.sleep(forTimeInterval: hold) }
        return respond(code, answer)
    }

    private func respond(_ status: Int, _ body: Any) -> StubResponse {
        let (remaining, reset) = state.withLock { ($0.rate.remaining ?? 2999, $0.rate.reset) }
        let headers: [(String, String)] = [
            ("content-type", "application/json; charset=utf-8"), ("ratelimit-limit", "3000"),
            ("ratelimit-remaining", String(remaining)), ("ratelimit-reset", String(Int(reset.timeIntervalSince1970.rounded(.up)))),
            ("ratelimit-policy", "3000;w=300"),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return .full(status: status, headers: headers, body: Array(data))
    }

    private static func object(_ body: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    static let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")

    static func base32(_ value: UInt64) -> String {
        var value = value
        var out: [Character] = []
        repeat {
            out.append(alphabet[Int(value & 31)])
            value >>= 5
        } while value > 0
        return String(out.reversed())
    }

    /// A TID: 13 characters of base32-sortable, from microseconds (the clock id left 0).
    static func tid(_ microseconds: UInt64) -> String {
        let value = (microseconds << 10) & 0x7FFF_FFFF_FFFF_FFFF
        var out: [Character] = []
        var rest = value
        for _ in 0..<13 {
            out.append(alphabet[Int(rest & 31)])
            rest >>= 5
        }
        return String(out.reversed())
    }
}
