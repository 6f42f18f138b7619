import EarshotCore
import EarshotIngest
import EarshotService
import Foundation
import NIOCore
import ServiceLifecycle
import Synchronization

/// One Mastodon account, live: reads its mentions (catch-up polling with `min_id`, the user
/// notification stream when `streaming = true`) and posts the replies of its channel. A
/// service of the daemon's group; its faults never reach the rest of the daemon: it backs
/// off, waits for rate limits, or stops itself with a visible state (docs/accounts.md).
public final class MastodonAccount: Service, ReplyPoster {
    public var settings: AccountSettings { runtime.settings }
    let runtime: AccountRuntime
    let http: PlatformHTTP
    let intake: MentionIntake
    /// Called once the account's channel (its handle) is known: the deliverer routes its replies here.
    let onChannel: @Sendable (MastodonAccount, String) -> Void
    var clock: any Clock { runtime.clock }
    var log: @Sendable (String) -> Void { runtime.log }

    private struct Connection: Sendable {
        var api: MastodonAPI
        var identity: MastodonIdentity
    }
    private let connection = Mutex<Connection?>(nil)
    /// The stream (re)connected: the poll loop catches up now instead of at its next turn.
    private let catchUpNow = Atomic<Bool>(false)
    private let streamConnected = Atomic<Bool>(false)
    /// The instance's own limit on a status (`configuration.statuses.max_characters`; 500 by default).
    private let maximumCharacters = Atomic<Int>(500)

    typealias Stopped = AccountRuntime.Stopped
    typealias Fault = AccountRuntime.Fault

    public init(
        settings: AccountSettings, service: InboxService, http: PlatformHTTP, log: @escaping @Sendable (String) -> Void,
        note: (@Sendable (String) -> Void)? = nil, onChannel: @escaping @Sendable (MastodonAccount, String) -> Void
    ) {
        runtime = AccountRuntime(settings: settings, board: service.accounts, log: log, note: note)
        self.http = http
        self.onChannel = onChannel
        intake = .routing(into: service)
    }

    // MARK: - The service

    public func run() async throws {
        await runtime.serve { try await self.read() }
    }

    private func read() async throws {
        let token: String
        do {
            token = try settings.readToken()
        } catch {
            runtime.setState(.stopped, error: error.problem)
            log(error.problem)
            throw Stopped()
        }
        let api = MastodonAPI(base: settings.url, token: token, http: http)
        let instance = try? await call { try await api.instance() }
        let instanceBody = instance?.status == 200 ? instance?.body : nil
        let domain = instanceBody.flatMap(MastodonAPI.domain(fromInstance:))
        let streamingBase = instanceBody.flatMap(MastodonAPI.streamingBase(fromInstance:)) ?? settings.url
        if let limit = instanceBody.flatMap(MastodonAPI.maximumCharacters(fromInstance:)) { maximumCharacters.store(limit, ordering: .releasing) }
        let identity = try await verify(api, domain: domain)
        connection.withLock { $0 = Connection(api: api, identity: identity) }
        runtime.noteChannel(identity.handle)
        onChannel(self, identity.handle)
        runtime.note("reading mentions of @\(identity.handle)" + (settings.streaming ? " (stream and catch-up every \(settings.pollSeconds) s)" : " (every \(settings.pollSeconds) s)"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.pollLoop(api, identity) }
            if settings.streaming { group.addTask { try await self.streamLoop(api, identity, base: streamingBase) } }
            do {
                try await group.next()
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private func verify(_ api: MastodonAPI, domain: String?) async throws -> MastodonIdentity {
        var backoff = Backoff()
        let host = domain ?? URLComponents(string: settings.url)?.host ?? settings.url
        while true {
            do {
                let response = try await call { try await api.verifyCredentials() }
                if response.status == 200, let identity = MastodonIdentity(credentials: response.body, instanceHost: host) {
                    return identity
                }
                throw Fault("GET /api/v1/accounts/verify_credentials: " + (response.status == 200
                    ? "the answer is not an account" : MastodonAPI.errorMessage(response)))
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
    }

    // MARK: - Reading

    private func pollLoop(_ api: MastodonAPI, _ identity: MastodonIdentity) async throws {
        var backoff = Backoff()
        while true {
            do {
                try await catchUp(api, identity)
                backoff.succeeded()
                if !streamConnected.load(ordering: .acquiring) { runtime.setState(.polling) }
                try await waitForNextPoll()
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
    }

    /// Pages forward from the stored cursor with `min_id` until a page comes back empty; each
    /// page's mentions and the cursor after it are one transaction.
    private func catchUp(_ api: MastodonAPI, _ identity: MastodonIdentity) async throws {
        guard var cursor = try await intake.cursor(of: settings.name) else {
            try await backfill(api, identity)
            return
        }
        while true {
            let since = cursor
            let response = try await call { try await api.mentions(minID: since) }
            let page = try readPage(response, identity)
            guard let newest = page.newestID else { return }
            try await keep(page, identity, cursor: newest)
            cursor = newest
        }
    }

    /// The first read: back from the newest mention to `backfill_hours` ago, stored oldest
    /// first with the cursor at the newest.
    private func backfill(_ api: MastodonAPI, _ identity: MastodonIdentity) async throws {
        let since = clock.now().adding(seconds: -Int64(settings.backfillHours) * 3600)
        var pages: [NotificationPage] = []
        var maxID: String?
        for _ in 0..<100 {
            let before = maxID
            let page = try readPage(try await call { try await api.mentions(maxID: before) }, identity)
            guard !page.ids.isEmpty else { break }
            pages.append(page)
            maxID = page.oldestID
            if let oldest = page.mentions.first?.createdAt, oldest < since { break }
        }
        guard let newest = pages.first?.newestID else { return }
        var page = NotificationPage(body: Array("[]".utf8), ownAccountID: identity.id)!
        page.ids = [newest]
        page.mentions = pages.flatMap(\.mentions).filter { $0.createdAt >= since }.sorted { $0.createdAt < $1.createdAt }
        page.skipped = pages.flatMap(\.skipped)
        try await keep(page, identity, cursor: newest)
    }

    private func readPage(_ response: PlatformResponse, _ identity: MastodonIdentity) throws -> NotificationPage {
        guard response.status == 200 else { throw Fault("GET /api/v1/notifications: \(MastodonAPI.errorMessage(response))") }
        guard let page = NotificationPage(body: response.body, ownAccountID: identity.id) else {
            throw Fault("GET /api/v1/notifications: the answer is not a list of notifications (\(response.body.count) bytes); skipped, read again later")
        }
        return page
    }

    private func keep(_ page: NotificationPage, _ identity: MastodonIdentity, cursor: String?) async throws {
        let outcome = try await intake.store(page.mentions, channel: identity.handle, platform: settings.platform, account: settings.name, cursor: cursor, at: clock.now())
        for skipped in page.skipped + outcome.skipped { log("skipped \(skipped)") }
        if let newest = outcome.newest { runtime.noteMention(at: newest) }
    }

    private func waitForNextPoll() async throws {
        try await runtime.pause(seconds: settings.pollSeconds) { catchUpNow.exchange(false, ordering: .acquiringAndReleasing) }
    }

    /// Follows the user notification stream: each mention is stored as it comes (the cursor
    /// stays with the catch-up, which runs after every connect, since SSE has no replay).
    private func streamLoop(_ api: MastodonAPI, _ identity: MastodonIdentity, base: String) async throws {
        var backoff = Backoff()
        while true {
            do {
                try await runtime.waitForRateLimit()
                let response = try await http.openStream(api.streamURL(host: base), token: api.token)
                if response.status.code == 401 { try tokenRejected("the stream refused the token (HTTP 401)") }
                guard response.status.code == 200 else {
                    throw Fault("GET /api/v1/streaming/user/notification: HTTP \(response.status.code)")
                }
                streamConnected.store(true, ordering: .releasing)
                defer { streamConnected.store(false, ordering: .releasing) }
                runtime.setState(.streaming)
                catchUpNow.store(true, ordering: .releasing)
                backoff.succeeded()
                var parser = EventStreamParser()
                for try await chunk in response.body {
                    for event in parser.feed(chunk.readableBytesView) where event.name == "notification" {
                        guard let page = NotificationPage(streamed: event.data, ownAccountID: identity.id) else {
                            log("the stream sent a notification that could not be read; the next catch-up reads it")
                            continue
                        }
                        if !page.mentions.isEmpty || !page.skipped.isEmpty { try await keep(page, identity, cursor: nil) }
                    }
                }
                throw Fault("the stream ended")
            } catch {
                try await runtime.backOff(&backoff, "stream: " + (try AccountRuntime.fault(error)))
            }
        }
    }

    // MARK: - Faults

    /// One request, after any rate-limit wait; a 429 waits for its reset and asks again, a 401
    /// stops the account.
    private func call(_ send: () async throws -> PlatformResponse) async throws -> PlatformResponse {
        while true {
            try await runtime.waitForRateLimit()
            let response = try await send()
            noteRateLimit(response)
            if response.status == 429 { continue }
            if response.status == 401 { try tokenRejected(MastodonAPI.errorMessage(response)) }
            return response
        }
    }

    private func noteRateLimit(_ response: PlatformResponse) {
        if let wait = MastodonRateLimit.waitUntil(
            status: response.status, remaining: response.header("X-RateLimit-Remaining"), reset: response.header("X-RateLimit-Reset"),
            now: clock.now()) {
            runtime.limit(until: wait, refused: response.status == 429)
        }
    }

    private func tokenRejected(_ message: String) throws -> Never {
        try runtime.credentialRejected(message, fix: "put a new token in \(settings.tokenFile) and restart the daemon")
    }

    // MARK: - Posting

    public func post(_ request: DeliveryRequest) -> DeliveryOutcome {
        AccountRuntime.blocking { await self.postNow(request) }
    }

    func postNow(_ request: DeliveryRequest) async -> DeliveryOutcome {
        let now = clock.now()
        guard let connection = connection.withLock({ $0 }), !runtime.isTokenRejected else {
            let why = runtime.isTokenRejected ? "its token was rejected" : "it is not connected yet"
            return .later("account \(settings.name) cannot post: \(why) (earshot account list)", at: now.adding(seconds: 60))
        }
        if let until = runtime.limitedUntil {
            return .later("rate limited by \(settings.url) until \(until.iso8601)", at: until)
        }
        let status = MastodonReply(request: request)
        let limit = maximumCharacters.load(ordering: .acquiring)
        guard status.text.count <= limit else {
            return .refused("the reply is \(status.text.count) characters; \(settings.url) takes at most \(limit) in a post: shorten it")
        }
        let response: PlatformResponse
        do {
            response = try await connection.api.postStatus(
                text: status.text, inReplyTo: request.inReplyTo, visibility: status.visibility, idempotencyKey: request.idempotencyKey)
        } catch {
            return .failed("POST \(error)")
        }
        noteRateLimit(response)
        switch response.status {
        case 200...299:
            guard let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
                  let id = object["id"] as? String else {
                // Posting again with the same key returns this status, not a second one.
                return .failed("POST /api/v1/statuses: the answer is not a status; trying again with the same Idempotency-Key")
            }
            return .delivered(platformID: id, url: object["url"] as? String)
        case 401:
            runtime.setState(.tokenRejected, error: MastodonAPI.errorMessage(response))
            return .later("account \(settings.name): the token was rejected (\(MastodonAPI.errorMessage(response)))", at: now.adding(seconds: 300))
        case 429:
            let until = runtime.limitedUntil ?? now.adding(seconds: 60)
            return .later("rate limited by \(settings.url) until \(until.iso8601)", at: until)
        case 403, 404, 410, 422:
            return .refused(MastodonAPI.errorMessage(response))
        default:
            return .failed("POST /api/v1/statuses: \(MastodonAPI.errorMessage(response))")
        }
    }
}

/// A reply as Mastodon gets it: the customer's `@acct` first (Mastodon adds none), and a
/// visibility never wider than the customer's post (a direct mention is answered directly).
struct MastodonReply {
    var text: String
    var visibility: String

    static let widths = ["direct": 0, "private": 1, "unlisted": 2, "public": 3]

    init(request: DeliveryRequest) {
        let handle = "@" + request.customer
        // `@kim` does not start with `@kim@social.example`, nor `@kimberly` with `@kim`.
        let first = request.text.prefix { !$0.isWhitespace }
        text = first.lowercased() == handle.lowercased() ? request.text : handle + " " + request.text
        var theirs = "direct"
        if let payload = request.answeredPayload,
           let object = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any] {
            let status = (object["status"] as? [String: Any]) ?? object
            if let visibility = status["visibility"] as? String, Self.widths[visibility] != nil { theirs = visibility }
        }
        visibility = theirs
    }
}
