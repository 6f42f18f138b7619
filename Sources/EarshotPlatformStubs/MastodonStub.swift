import EarshotCore
import Foundation
import Synchronization

/// A Mastodon server on loopback, for the tests, the demo and the bench. It serves what a
/// real instance sends, in the shapes of the recorded responses (Mastodon.py's cassettes,
/// ../shared/data/platforms/mastodon): notifications newest first with `Link` rel=next/prev,
/// `x-ratelimit-*` headers with an ISO reset, statuses with their account, the user
/// notification stream as SSE (`:)` on connect, `:thump` heartbeats), a bearer token checked
/// on every call, `Idempotency-Key` honoured on posts. Faults are served on demand.
public final class MastodonStub: Sendable {
    /// A status posted to the stub, with what came with it.
    public struct Posted: Sendable {
        public var form: [String: String]
        public var idempotencyKey: String?
        public var authorization: String?
        /// The status it created, or the one a repeated key returned.
        public var statusID: String
        public var repeated: Bool
    }

    /// A request as received, for tests that check what was asked and when.
    public struct Logged: Sendable {
        public var method: String
        public var target: String
        public var at: Date
    }

    /// An answer served instead of the real one, to the next `times` requests whose path starts with `path`.
    public struct Fault: Sendable {
        public var method: String?
        public var path: String
        public var times: Int
        /// Matching requests served normally before this fault applies.
        public var after: Int
        public var response: StubResponse
        public init(method: String? = nil, path: String, times: Int = 1, after: Int = 0, response: StubResponse) {
            self.method = method
            self.path = path
            self.times = times
            self.after = after
            self.response = response
        }
    }

    private struct Notification {
        var id: Int
        var status: [String: Any]
        var createdAt: String
        var account: [String: Any]
    }

    private struct State {
        var notifications: [Notification] = []
        var statuses: [String: [String: Any]] = [:]
        var idempotency: [String: String] = [:]
        var posted: [Posted] = []
        var log: [Logged] = []
        var faults: [Fault] = []
        var nextNotification = 100
        var nextStatus: Int64 = 117_020_577_157_690_000
        var streams: [Int: @Sendable (String) -> Bool] = [:]
        var nextStream = 0
        /// Requests left before 429s, and when the window resets.
        var rateRemaining = 300
        var rateReset = Date().addingTimeInterval(300)
        var rateLimited = false
        /// Seconds a post's answer is held after the status is made (a client killed meanwhile).
        var holdPostAnswers = 0.0
        /// Open streams send nothing, not even heartbeats, while set (a connection gone quiet).
        var streamsMuted = false
    }

    public let token: String
    public let username: String
    public let accountID = "117020565693913441"
    /// Seconds between `:thump` heartbeats on a stream (Mastodon sends one every 15 s).
    public let heartbeatSeconds: Double
    private let state = Mutex(State())
    private let server = Mutex<LoopbackHTTPServer?>(nil)

    /// The instance's domain, as `/api/v2/instance` reports it (the part after `@` in handles).
    public let domain: String

    /// `configuration.statuses.max_characters` of `/api/v2/instance`.
    public let maxCharacters: Int

    public init(
        token: String = "stub-token", username: String = "acme", domain: String = "127.0.0.1", heartbeatSeconds: Double = 15,
        maxCharacters: Int = 500
    ) {
        self.maxCharacters = maxCharacters
        self.token = token
        self.username = username
        self.domain = domain
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// Starts listening; the instance's base URL (`http://127.0.0.1:PORT`).
    @discardableResult
    public func start() throws -> String {
        let server = try LoopbackHTTPServer { [self] request in handle(request) }
        self.server.withLock { $0 = server }
        return server.baseURL
    }

    public func stop() { server.withLock { $0?.stop() } }

    public var baseURL: String { server.withLock { $0?.baseURL ?? "" } }
    /// The handle the instance knows this account by: the channel Earshot files its mentions under.
    public var handle: String { "\(username)@\(domain)" }

    // MARK: - What tests do

    /// A customer mentions the account: a status and its mention notification, pushed to open
    /// streams. Returns the status id.
    @discardableResult
    public func mention(
        from acct: String, text: String, inReplyTo: String? = nil, visibility: String = "public", spoiler: String = "",
        at time: Date = Date()
    ) -> String {
        let (statusID, message) = state.withLock { state -> (String, String) in
            state.nextStatus += 1
            state.nextNotification += 1
            let statusID = String(state.nextStatus)
            let created = Self.iso(time)
            let account = account(id: String(900_000 + abs(acct.hashValue % 99_999)), acct: acct)
            let content = "<p><span class=\"h-card\" translate=\"no\"><a href=\"\(baseURL)/@\(username)\" class=\"u-url mention\">@<span>\(username)</span></a></span> \(Self.escaped(text))</p>"
            var status = self.status(id: statusID, created: created, account: account, content: content, visibility: visibility,
                                     inReplyTo: inReplyTo, spoiler: spoiler)
            status["mentions"] = [["id": accountID, "username": username, "url": "\(baseURL)/@\(username)", "acct": username]]
            state.statuses[statusID] = status
            let notification = Notification(id: state.nextNotification, status: status, createdAt: created, account: account)
            state.notifications.append(notification)
            return (statusID, "event: notification\ndata: \(Self.json(notificationJSON(notification)))\n\n")
        }
        push(message)
        return statusID
    }

    /// A post of the account itself that mentions it (it must not become a customer's mention).
    public func ownMention(text: String) {
        state.withLock { state in
            state.nextStatus += 1
            state.nextNotification += 1
            let statusID = String(state.nextStatus)
            let created = Self.iso(Date())
            let me = account(id: accountID, acct: username)
            let status = self.status(id: statusID, created: created, account: me, content: "<p>\(Self.escaped(text))</p>", visibility: "public", inReplyTo: nil, spoiler: "")
            state.statuses[statusID] = status
            state.notifications.append(Notification(id: state.nextNotification, status: status, createdAt: created, account: me))
        }
    }

    public func addFault(_ fault: Fault) { state.withLock { $0.faults.append(fault) } }

    /// From now on a post makes its status, then waits `seconds` before answering.
    public func holdPostAnswers(_ seconds: Double) { state.withLock { $0.holdPostAnswers = seconds } }

    /// After `requests` more requests, answer 429 until `resetAfter` seconds have passed.
    public func limitRate(after requests: Int, resetAfter: Double) {
        state.withLock { state in
            state.rateLimited = true
            state.rateRemaining = requests
            state.rateReset = Date().addingTimeInterval(resetAfter)
        }
    }

    /// Open streams fall silent (no heartbeat, no event) until `false`; what happens meanwhile
    /// is sent when they speak again.
    public func muteStreams(_ muted: Bool) { state.withLock { $0.streamsMuted = muted } }

    /// Ends every open stream (the client should reconnect and catch up).
    public func dropStreams() { server.withLock { $0?.dropConnections() } }

    public var posted: [Posted] { state.withLock { $0.posted } }
    public var requests: [Logged] { state.withLock { $0.log } }
    public var openStreams: Int { state.withLock { $0.streams.count } }
    public var mentionCount: Int { state.withLock { $0.notifications.count } }
    /// Rate-limit reset of the current window.
    public var rateReset: Date { state.withLock { $0.rateReset } }

    // MARK: - Serving

    private func handle(_ request: StubRequest) -> StubResponse {
        state.withLock { $0.log.append(Logged(method: request.method, target: request.target, at: Date())) }
        if let fault = takeFault(request) { return fault }
        // The instance's description is public, as on a real instance.
        if request.method == "GET", request.path == "/api/v2/instance" {
            return respond(200, [
                "domain": domain, "title": "Earshot stub",
                "configuration": ["urls": ["streaming": baseURL.replacingOccurrences(of: "http://", with: "ws://")],
                                  "statuses": ["max_characters": maxCharacters]],
            ])
        }
        guard request.headers["authorization"] == "Bearer \(token)" else {
            return respond(401, ["error": "The access token is invalid"])
        }
        if let limited = rateLimit() { return limited }
        switch (request.method, request.path) {
        case ("GET", "/api/v1/accounts/verify_credentials"):
            return respond(200, account(id: accountID, acct: username))
        case ("GET", "/api/v1/apps/verify_credentials"):
            return respond(200, ["name": "earshot", "website": NSNull(), "scopes": ["read:notifications", "read:statuses", "write:statuses"]])
        case ("GET", "/api/v1/notifications"):
            return notifications(request)
        case ("GET", "/api/v1/streaming/health"):
            return .full(status: 200, headers: [("Content-Type", "text/plain")], body: Array("OK".utf8))
        case ("GET", "/api/v1/streaming/user/notification"):
            return stream()
        case ("POST", "/api/v1/statuses"):
            return post(request)
        default:
            return respond(404, ["error": "Not Found"])
        }
    }

    private func takeFault(_ request: StubRequest) -> StubResponse? {
        state.withLock { state in
            guard let index = state.faults.firstIndex(where: {
                request.path.hasPrefix($0.path) && ($0.method == nil || $0.method == request.method)
            }) else { return nil }
            if state.faults[index].after > 0 {
                state.faults[index].after -= 1
                return nil
            }
            let response = state.faults[index].response
            state.faults[index].times -= 1
            if state.faults[index].times <= 0 { state.faults.remove(at: index) }
            return response
        }
    }

    /// A 429 while the window's requests are used up, until its reset.
    private func rateLimit() -> StubResponse? {
        let limited = state.withLock { state -> Bool in
            guard state.rateLimited else { return false }
            if Date() >= state.rateReset {
                state.rateLimited = false
                return false
            }
            if state.rateRemaining > 0 {
                state.rateRemaining -= 1
                return false
            }
            return true
        }
        return limited ? respond(429, ["error": "Too many requests"]) : nil
    }

    private func notifications(_ request: StubRequest) -> StubResponse {
        let limit = min(80, max(1, Int(request.parameter("limit") ?? "40") ?? 40))
        let types = request.query.filter { $0.0 == "types[]" }.map(\.1)
        let (page, bodies) = state.withLock { state -> ([Notification], [[String: Any]]) in
            var all = state.notifications.sorted { $0.id < $1.id }
            if !types.isEmpty, !types.contains("mention") { all = [] }
            var chosen: [Notification]
            if let min = request.parameter("min_id").flatMap(Int.init) {
                chosen = Array(all.filter { $0.id > min }.prefix(limit))
            } else {
                if let max = request.parameter("max_id").flatMap(Int.init) { all = all.filter { $0.id < max } }
                if let since = request.parameter("since_id").flatMap(Int.init) { all = all.filter { $0.id > since } }
                chosen = Array(all.suffix(limit))
            }
            chosen.reverse()  // newest first, whatever the cursor
            return (chosen, chosen.map(notificationJSON))
        }
        var headers = jsonHeaders()
        if let newest = page.first, let oldest = page.last {
            let path = baseURL + "/api/v1/notifications"
            headers.append(("link", "<\(path)?max_id=\(oldest.id)&types%5B%5D=mention>; rel=\"next\", <\(path)?min_id=\(newest.id)&types%5B%5D=mention>; rel=\"prev\""))
        }
        return .full(status: 200, headers: headers, body: Array(Self.json(bodies).utf8))
    }

    private func stream() -> StubResponse {
        .stream(headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")]) { [self] write in
            let queue = Mutex<[String]>([":)\n"])
            let id = state.withLock { state -> Int in
                state.nextStream += 1
                let id = state.nextStream
                state.streams[id] = { message in
                    queue.withLock { $0.append(message) }
                    return true
                }
                return id
            }
            defer { _ = state.withLock { $0.streams.removeValue(forKey: id) } }
            var lastBeat = Date()
            while true {
                if state.withLock({ $0.streamsMuted }) {
                    Thread.sleep(forTimeInterval: 0.01)
                    lastBeat = Date()
                    continue
                }
                let pending = queue.withLock { pending in
                    defer { pending.removeAll() }
                    return pending
                }
                for message in pending where !write(message) { return }
                if Date().timeIntervalSince(lastBeat) >= heartbeatSeconds {
                    lastBeat = Date()
                    if !write(":thump\n") { return }
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    private func push(_ message: String) {
        let streams = state.withLock { Array($0.streams.values) }
        for stream in streams { _ = stream(message) }
    }

    private func post(_ request: StubRequest) -> StubResponse {
        let form = request.headers["content-type"]?.hasPrefix("application/json") == true
            ? ((try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]).compactMapValues { "\($0)" }
            : request.form
        let key = request.headers["idempotency-key"]
        let authorization = request.headers["authorization"]
        let base = baseURL
        // Decided under the lock, answered outside it (the answer's headers read the state too).
        let (code, body) = state.withLock { state -> (Int, String) in
            if let key, let existing = state.idempotency[key], let status = state.statuses[existing] {
                state.posted.append(Posted(form: form, idempotencyKey: key, authorization: authorization, statusID: existing, repeated: true))
                return (200, Self.json(status))
            }
            let text = form["status"] ?? ""
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                return (422, Self.json(["error": "Validation failed: Text can't be blank"]))
            }
            if let parent = form["in_reply_to_id"], state.statuses[parent] == nil {
                return (404, Self.json(["error": "Record not found"]))
            }
            state.nextStatus += 1
            let id = String(state.nextStatus)
            let status = Self.status(
                base: base, id: id, created: Self.iso(Date()), account: account(id: accountID, acct: username), content: "<p>\(Self.escaped(text))</p>",
                visibility: form["visibility"] ?? "public", inReplyTo: form["in_reply_to_id"], spoiler: form["spoiler_text"] ?? "")
            state.statuses[id] = status
            if let key { state.idempotency[key] = id }
            state.posted.append(Posted(form: form, idempotencyKey: key, authorization: authorization, statusID: id, repeated: false))
            return (200, Self.json(status))
        }
        let hold = state.withLock { $0.holdPostAnswers }
        if hold > 0 { Thread.sleep(forTimeInterval: hold) }
        return .full(status: code, headers: jsonHeaders(), body: Array(body.utf8))
    }

    // MARK: - Shapes (as recorded)

    private func account(id: String, acct: String) -> [String: Any] {
        let username = String(acct.split(separator: "@").first ?? Substring(acct))
        return [
            "id": id, "username": username, "acct": acct, "display_name": username.capitalized, "locked": false, "bot": false,
            "discoverable": NSNull(), "indexable": false, "group": false, "created_at": "2026-08-01T00:00:00.000Z", "note": "",
            "url": "\(baseURL)/@\(acct)", "uri": "\(baseURL)/ap/users/\(id)", "avatar": "\(baseURL)/avatars/original/missing.png",
            "avatar_static": "\(baseURL)/avatars/original/missing.png", "header": "\(baseURL)/headers/original/missing.png",
            "header_static": "\(baseURL)/headers/original/missing.png", "followers_count": 1, "following_count": 0,
            "statuses_count": 2, "last_status_at": "2026-08-01", "emojis": [Any](), "fields": [Any](),
        ]
    }

    private func status(
        id: String, created: String, account: [String: Any], content: String, visibility: String, inReplyTo: String?, spoiler: String
    ) -> [String: Any] {
        Self.status(base: baseURL, id: id, created: created, account: account, content: content, visibility: visibility, inReplyTo: inReplyTo, spoiler: spoiler)
    }

    private static func status(
        base baseURL: String, id: String, created: String, account: [String: Any], content: String, visibility: String, inReplyTo: String?, spoiler: String
    ) -> [String: Any] {
        [
            "id": id, "created_at": created, "in_reply_to_id": inReplyTo ?? NSNull(), "in_reply_to_account_id": NSNull(),
            "sensitive": !spoiler.isEmpty, "spoiler_text": spoiler, "visibility": visibility, "language": "en",
            "uri": "\(baseURL)/ap/users/\(account["id"] ?? "")/statuses/\(id)", "url": "\(baseURL)/@\(account["acct"] ?? "")/\(id)",
            "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "quotes_count": 0, "edited_at": NSNull(),
            "favourited": false, "reblogged": false, "muted": false, "bookmarked": false, "content": content, "filtered": [Any](),
            "reblog": NSNull(), "application": ["name": "Earshot stub", "website": NSNull()], "account": account,
            "media_attachments": [Any](), "mentions": [Any](), "tags": [Any](), "emojis": [Any](), "quote": NSNull(),
            "card": NSNull(), "poll": NSNull(),
        ]
    }

    private func notificationJSON(_ notification: Notification) -> [String: Any] {
        [
            "id": String(notification.id), "type": "mention", "created_at": notification.createdAt,
            "group_key": "ungrouped-\(notification.id)", "account": notification.account, "status": notification.status,
        ]
    }

    private func jsonHeaders() -> [(String, String)] {
        let (remaining, reset) = state.withLock { ($0.rateLimited ? max(0, $0.rateRemaining) : 299, $0.rateReset) }
        return [
            ("content-type", "application/json; charset=utf-8"), ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remaining", String(remaining)), ("x-ratelimit-reset", Self.iso(reset)),
        ]
    }

    private func respond(_ status: Int, _ body: Any) -> StubResponse {
        .full(status: status, headers: jsonHeaders(), body: Array(Self.json(body).utf8))
    }

    static func json(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func iso(_ date: Date) -> String {
        Timestamp(date).iso8601
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
