import EarshotAccounts
import EarshotCore
import Foundation
import Synchronization

/// The X API v2 on loopback, for the tests, the demo and the bench, in the shapes of the
/// OpenAPI excerpt and tweepy's recorded responses (../shared/data/platforms/x):
/// `/2/users/me`, `/2/users/:id/mentions` newest first with `meta.newest_id`/`next_token`,
/// `POST /2/tweets` answering 201 (and 403 for duplicate content), the account's own
/// timeline, the OAuth 2.0 token refresh, OAuth 2.0 bearer or OAuth 1.0a signatures checked,
/// `x-rate-limit-*` headers (epoch reset) and problem objects for errors.
public final class XStub: Sendable {
    public struct Posted: Sendable {
        public var text: String
        public var inReplyTo: String?
        public var id: String?
        public var refused: Bool
    }

    public struct Logged: Sendable {
        public var method: String
        public var target: String
        public var at: Date
    }

    private struct Tweet {
        var id: UInt64
        var text: String
        var authorID: String
        var username: String
        var createdAt: String
        var inReplyTo: String?
    }

    private struct State {
        var mentions: [Tweet] = []
        var ours: [Tweet] = []
        var posted: [Posted] = []
        var log: [Logged] = []
        var nextID: UInt64 = 1_578_516_295_611_748_353
        var accessTokens: Set<String> = ["x-access-1"]
        var refreshTokens: Set<String> = ["x-refresh-1"]
        var refreshes = 0
        var nextToken = 1
        var holdPostAnswers = 0.0
        /// Seconds the next page asked for with a `pagination_token` is held (a client killed meanwhile).
        var holdNextPage = 0.0
        /// Called after each page of mentions is served (tests add mentions between pages).
        var afterPage: (@Sendable () -> Void)?
        var rate = StubRateWindow()
    }

    public let userID = "1072250532645998596"
    public let username: String
    /// OAuth 1.0a keys this stub accepts.
    public let signer = OAuth1Signer(consumerKey: "ck-earshot", consumerSecret: "cs-secret", token: "at-acme", tokenSecret: "ats-secret")
    private let state = Mutex(State())
    private let server = Mutex<LoopbackHTTPServer?>(nil)

    public init(username: String = "AcmeSupport") { self.username = username }

    @discardableResult
    public func start() throws -> String {
        let server = try LoopbackHTTPServer { [self] request in handle(request) }
        self.server.withLock { $0 = server }
        return server.baseURL
    }

    public func stop() { server.withLock { $0?.stop() } }
    public var baseURL: String { server.withLock { $0?.baseURL ?? "" } }

    /// The OAuth 2.0 credentials file a test writes for this stub.
    public var oauth2Credentials: String { #"{"access_token": "x-access-1", "refresh_token": "x-refresh-1", "client_id": "earshot-client"}"# }
    /// The OAuth 1.0a credentials file.
    public var oauth1Credentials: String {
        #"{"consumer_key": "ck-earshot", "consumer_secret": "cs-secret", "access_token": "at-acme", "access_token_secret": "ats-secret"}"#
    }

    // MARK: - What tests do

    /// A customer mentions the account. Returns the tweet id.
    @discardableResult
    public func mention(from username: String, text: String, inReplyTo: String? = nil, at time: Date = Date()) -> String {
        state.withLock { state in
            state.nextID += 1_000
            let author = String(100_000 + abs(username.hashValue) % 899_999)
            state.mentions.append(Tweet(id: state.nextID, text: text, authorID: author, username: username,
                                        createdAt: Timestamp(time).iso8601, inReplyTo: inReplyTo))
            return String(state.nextID)
        }
    }

    public func expireAccessTokens() { state.withLock { $0.accessTokens.removeAll() } }
    public func holdPostAnswers(_ seconds: Double) { state.withLock { $0.holdPostAnswers = seconds } }

    /// Called after each page of mentions is served.
    public func afterEachPage(_ body: @escaping @Sendable () -> Void) { state.withLock { $0.afterPage = body } }

    /// The next page asked for with a `pagination_token` answers `seconds` late (once).
    public func holdNextPage(_ seconds: Double) { state.withLock { $0.holdNextPage = seconds } }

    public func limitRate(after requests: Int, resetAfter: Double) {
        state.withLock { $0.rate.limit(after: requests, resetAfter: resetAfter) }
    }

    public var posted: [Posted] { state.withLock { $0.posted } }
    public var requests: [Logged] { state.withLock { $0.log } }
    public var refreshes: Int { state.withLock { $0.refreshes } }
    public var mentionCount: Int { state.withLock { $0.mentions.count } }

    // MARK: - Serving

    private func handle(_ request: StubRequest) -> StubResponse {
        state.withLock { $0.log.append(Logged(method: request.method, target: request.target, at: Date())) }
        if let limited = rateLimit() { return limited }
        if request.method == "POST", request.path == "/2/oauth2/token" { return refresh(request) }
        guard authorised(request) else {
            return respond(401, ["title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"])
        }
        let parts = request.path.split(separator: "/").map(String.init)
        switch (request.method, parts) {
        case ("GET", ["2", "users", "me"]):
            return respond(200, ["data": ["id": userID, "name": "Acme Support", "username": username]])
        case ("GET", ["2", "users", userID, "mentions"]):
            return mentions(request)
        case ("GET", ["2", "users", userID, "tweets"]):
            let tweets: [Tweet] = state.withLock { Array($0.ours.suffix(20).reversed()) }
            let ours: [[String: Any]] = tweets.map { json($0) }
            let meta: [String: Any] = ["result_count": tweets.count]
            let body: [String: Any] = tweets.isEmpty ? ["meta": meta] : ["data": ours, "meta": meta]
            return respond(200, body)
        case ("POST", ["2", "tweets"]):
            return post(request)
        default:
            return respond(404, ["title": "Not Found Error", "type": "https://api.twitter.com/2/problems/resource-not-found", "status": 404,
                                 "detail": "Could not find \(request.path)"])
        }
    }

    private func authorised(_ request: StubRequest) -> Bool {
        guard let header = request.headers["authorization"] else { return false }
        if header.hasPrefix("Bearer ") { return state.withLock { $0.accessTokens.contains(String(header.dropFirst(7))) } }
        let oauth = OAuth1Signer.parameters(of: header)
        guard let given = oauth.first(where: { $0.0 == "oauth_signature" })?.1,
              oauth.first(where: { $0.0 == "oauth_consumer_key" })?.1 == signer.consumerKey,
              oauth.first(where: { $0.0 == "oauth_token" })?.1 == signer.token else { return false }
        return signer.signature(method: request.method, url: baseURL + request.target, oauth: oauth) == given
    }

    private func refresh(_ request: StubRequest) -> StubResponse {
        let form = request.form
        let issued = state.withLock { state -> (String, String)? in
            guard form["grant_type"] == "refresh_token", let token = form["refresh_token"], state.refreshTokens.remove(token) != nil else { return nil }
            state.nextToken += 1
            state.refreshes += 1
            let access = "x-access-\(state.nextToken)", refresh = "x-refresh-\(state.nextToken)"
            state.accessTokens.insert(access)
            state.refreshTokens.insert(refresh)
            return (access, refresh)
        }
        guard let (access, refresh) = issued else {
            return respond(400, ["error": "invalid_request", "error_description": "Value passed for the token was invalid."])
        }
        return respond(200, ["token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": "tweet.read tweet.write users.read offline.access",
                             "refresh_token": refresh])
    }

    private func rateLimit() -> StubResponse? {
        state.withLock { $0.rate.refuses() } ? respond(429, ["title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429]) : nil
    }

    private func mentions(_ request: StubRequest) -> StubResponse {
        let limit = min(100, max(5, Int(request.parameter("max_results") ?? "10") ?? 10))
        let since = request.parameter("since_id").flatMap(UInt64.init) ?? 0
        let start = request.parameter("start_time").flatMap { TimestampParsing.iso8601($0)?.0 }
        let skip = Int(request.parameter("pagination_token") ?? "") ?? 0
        if skip > 0 {
            let hold = state.withLock { state in
                defer { state.holdNextPage = 0 }
                return state.holdNextPage
            }
            if hold > 0 { Thread.sleep(forTimeInterval: hold) }
        }
        let body = state.withLock { state -> [String: Any] in
            let matching = state.mentions.filter { tweet in
                guard tweet.id > since else { return false }
                guard let start, let time = TimestampParsing.iso8601(tweet.createdAt)?.0 else { return true }
                return time >= start
            }
                .sorted { $0.id > $1.id }
            let page = Array(matching.dropFirst(skip).prefix(limit))
            guard let newest = page.first, let oldest = page.last else { return ["meta": ["result_count": 0]] }
            var meta: [String: Any] = ["newest_id": String(newest.id), "oldest_id": String(oldest.id), "result_count": page.count]
            if skip + page.count < matching.count { meta["next_token"] = String(skip + page.count) }
            let users = Dictionary(page.map { ($0.authorID, $0.username) }, uniquingKeysWith: { a, _ in a })
            return [
                "data": page.map(json), "meta": meta,
                "includes": ["users": users.map { ["id": $0.key, "name": $0.value.capitalized, "username": $0.value] }],
            ]
        }
        let response = respond(200, body)
        state.withLock { $0.afterPage }?()
        return response
    }

    private func post(_ request: StubRequest) -> StubResponse {
        let bytes = request.body
        let (code, body) = state.withLock { state -> (Int, [String: Any]) in
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
            guard let text = object["text"] as? String, !text.isEmpty else {
                return (400, ["title": "Invalid Request", "type": "https://api.twitter.com/2/problems/invalid-request", "status": 400,
                              "detail": "One or more parameters to your request was invalid."])
            }
            let inReplyTo = (object["reply"] as? [String: Any])?["in_reply_to_tweet_id"] as? String
            if state.ours.contains(where: { $0.text == text }) {
                state.posted.append(Posted(text: text, inReplyTo: inReplyTo, id: nil, refused: true))
                return (403, ["detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403])
            }
            state.nextID += 1_000
            state.ours.append(Tweet(id: state.nextID, text: text, authorID: userID, username: username, createdAt: Timestamp(Date()).iso8601, inReplyTo: inReplyTo))
            state.posted.append(Posted(text: text, inReplyTo: inReplyTo, id: String(state.nextID), refused: false))
            return (201, ["data": ["id": String(state.nextID), "text": text, "edit_history_tweet_ids": [String(state.nextID)]]])
        }
        let hold = state.withLock { $0.holdPostAnswers }
        if hold > 0 { Thread.sleep(forTimeInterval: hold) }
        var response = respond(code, body)
        if code == 201, case let .full(status, headers, payload) = response,
           let id = (body["data"] as? [String: Any])?["id"] as? String {
            response = .full(status: status, headers: headers + [("location", "\(baseURL)/2/tweets/\(id)")], body: payload)
        }
        return response
    }

    private func json(_ tweet: Tweet) -> [String: Any] {
        var object: [String: Any] = [
            "id": String(tweet.id), "text": tweet.text, "author_id": tweet.authorID, "created_at": tweet.createdAt,
            "conversation_id": tweet.inReplyTo ?? String(tweet.id), "edit_history_tweet_ids": [String(tweet.id)],
        ]
        if let parent = tweet.inReplyTo { object["referenced_tweets"] = [["type": "replied_to", "id": parent]] }
        return object
    }

    private func respond(_ status: Int, _ body: Any) -> StubResponse {
        let (remaining, reset) = state.withLock { ($0.rate.remaining ?? 448, $0.rate.reset) }
        let headers: [(String, String)] = [
            ("content-type", "application/json; charset=utf-8"), ("api-version", "2.52"), ("x-rate-limit-limit", "450"),
            ("x-rate-limit-remaining", String(remaining)), ("x-rate-limit-reset", String(Int(reset.timeIntervalSince1970.rounded(.up)))),
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return .full(status: status, headers: headers, body: Array(data))
    }
}
