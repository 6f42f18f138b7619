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
    public let settings: AccountSettings
    let http: PlatformHTTP
    let board: AccountBoard
    let intake: MentionIntake
    let log: @Sendable (String) -> Void
    /// What is news but no trouble (the account started reading).
    let note: @Sendable (String) -> Void
    /// Called once the account's channel (its handle) is known: the deliverer routes its replies here.
    let onChannel: @Sendable (MastodonAccount, String) -> Void
    /// Wall time: rate-limit resets and backoffs are real seconds, whatever clock the inbox runs on.
    let clock: any Clock = SystemClock()

    private struct Connection: Sendable {
        var api: MastodonAPI
        var identity: MastodonIdentity
    }
    private let connection = Mutex<Connection?>(nil)
    /// No request before this (a rate limit's reset).
    private let notBefore = Mutex<Timestamp?>(nil)
    /// The stream (re)connected: the poll loop catches up now instead of at its next turn.
    private let catchUpNow = Atomic<Bool>(false)
    private let streamConnected = Atomic<Bool>(false)

    /// Ends the account's reading for good (a rejected token, an unusable setup).
    struct Stopped: Error {}
    /// A fault worth a backoff: the platform's answer was not what it should be.
    struct Fault: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    public init(
        settings: AccountSettings, service: InboxService, http: PlatformHTTP, log: @escaping @Sendable (String) -> Void,
        note: (@Sendable (String) -> Void)? = nil, onChannel: @escaping @Sendable (MastodonAccount, String) -> Void
    ) {
        self.settings = settings
        self.http = http
        self.board = service.accounts
        self.log = { message in log("account \(settings.name): \(message)") }
        let note = note ?? log
        self.note = { message in note("account \(settings.name): \(message)") }
        self.onChannel = onChannel
        let routes = service.policy.routing != .manual
        intake = MentionIntake(store: service.store, clock: service.clock, sla: service.sla) {
            if routes { _ = try? service.route() }
        }
        board.update(settings.name, platform: settings.platform, at: clock.now()) { _ in }
    }

    // MARK: - The service

    public func run() async throws {
        await withTaskExecutorPreference(AccountExecutor.shared) { await runHere() }
    }

    private func runHere() async {
        do {
            try await cancelWhenGracefulShutdown { try await self.read() }
        } catch is Stopped {
            // Stopped itself (its state says why); the daemon goes on until it is shut down.
            try? await gracefulShutdown()
        } catch {
            if !(Task.isCancelled || Task.isShuttingDownGracefully) {
                // Unforeseen: the account stops, visibly; the daemon goes on.
                setState(.stopped, error: "\(error)")
                log("stopped: \(error)")
                try? await gracefulShutdown()
            }
        }
        setState(board.all().first { $0.name == settings.name }?.state == .tokenRejected ? .tokenRejected : .stopped)
    }

    private func read() async throws {
        let token: String
        do {
            token = try settings.readToken()
        } catch {
            setState(.stopped, error: error.problem)
            log(error.problem)
            throw Stopped()
        }
        let api = MastodonAPI(base: settings.url, token: token, http: http)
        let instance = try? await call { try await api.instance() }
        let instanceBody = instance?.status == 200 ? instance?.body : nil
        let domain = instanceBody.flatMap(MastodonAPI.domain(fromInstance:))
        let streamingBase = instanceBody.flatMap(MastodonAPI.streamingBase(fromInstance:)) ?? settings.url
        let identity = try await verify(api, domain: domain)
        connection.withLock { $0 = Connection(api: api, identity: identity) }
        board.update(settings.name, platform: settings.platform, at: clock.now()) { $0.channel = identity.handle }
        onChannel(self, identity.handle)
        note("reading mentions of @\(identity.handle)" + (settings.streaming ? " (stream and catch-up every \(settings.pollSeconds) s)" : " (every \(settings.pollSeconds) s)"))
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
                try await backOff(&backoff, try Self.fault(error))
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
                if !streamConnected.load(ordering: .acquiring) { setState(.polling) }
                try await waitForNextPoll()
            } catch {
                try await backOff(&backoff, try Self.fault(error))
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
        let outcome = try await intake.store(page.mentions, channel: identity.handle, account: settings.name, cursor: cursor, at: clock.now())
        for skipped in page.skipped + outcome.skipped { log("skipped \(skipped)") }
        if let newest = outcome.newest {
            board.update(settings.name, platform: settings.platform, at: clock.now()) { status in
                status.lastMentionAt = max(status.lastMentionAt ?? newest, newest)
            }
        }
    }

    private func waitForNextPoll() async throws {
        let deadline = clock.now().adding(seconds: Int64(settings.pollSeconds))
        while clock.now() < deadline {
            if catchUpNow.exchange(false, ordering: .acquiringAndReleasing) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Follows the user notification stream: each mention is stored as it comes (the cursor
    /// stays with the catch-up, which runs after every connect, since SSE has no replay).
    private func streamLoop(_ api: MastodonAPI, _ identity: MastodonIdentity, base: String) async throws {
        var backoff = Backoff()
        while true {
            do {
                try await waitForRateLimit()
                let response = try await http.openStream(api.streamURL(host: base), token: api.token)
                if response.status.code == 401 { try tokenRejected("the stream refused the token (HTTP 401)") }
                guard response.status.code == 200 else {
                    throw Fault("GET /api/v1/streaming/user/notification: HTTP \(response.status.code)")
                }
                streamConnected.store(true, ordering: .releasing)
                defer { streamConnected.store(false, ordering: .releasing) }
                setState(.streaming)
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
                try await backOff(&backoff, "stream: " + (try Self.fault(error)))
            }
        }
    }

    // MARK: - Faults

    /// What to say of an error worth a backoff; rethrows what ends the reading (a stop,
    /// the daemon shutting down). A store error (the database busy or full) backs off too:
    /// nothing was stored, the cursor did not move, the next try reads the same page.
    private static func fault(_ error: any Error) throws -> String {
        if error is Stopped || error is CancellationError || Task.isCancelled { throw error }
        switch error {
        case let error as TransportFault: return error.description
        case let error as Fault: return error.description
        default: return "\(PlatformHTTP.reason(error))"
        }
    }

    /// One request, after any rate-limit wait; a 429 waits for its reset and asks again, a 401
    /// stops the account.
    private func call(_ send: () async throws -> PlatformResponse) async throws -> PlatformResponse {
        while true {
            try await waitForRateLimit()
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
            notBefore.withLock { $0 = max($0 ?? wait, wait) }
            if response.status == 429 { log("rate limited (HTTP 429): no request before \(wait.iso8601)") }
        }
    }

    private func waitForRateLimit() async throws {
        while let until = notBefore.withLock({ $0 }) {
            let now = clock.now()
            if until <= now {
                notBefore.withLock { if $0 == until { $0 = nil } }
                return
            }
            setState(.backingOff, until: until, error: "rate limited until \(until.iso8601)")
            try await Task.sleep(for: .milliseconds(until.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
        }
    }

    private func backOff(_ backoff: inout Backoff, _ problem: String) async throws {
        let seconds = backoff.next()
        let until = clock.now().adding(milliseconds: Int64(seconds * 1000))
        setState(.backingOff, until: until, error: problem)
        log("\(problem); trying again in \(String(format: "%.1f", seconds)) s")
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }

    private func tokenRejected(_ message: String) throws -> Never {
        setState(.tokenRejected, error: message)
        log("the token was rejected (\(message)): reading stops; put a new token in \(settings.tokenFile) and restart the daemon")
        throw Stopped()
    }

    private func setState(_ state: AccountStatus.State, until: Timestamp? = nil, error: String? = nil) {
        board.update(settings.name, platform: settings.platform, at: clock.now()) { status in
            // A rejected token stays rejected until the daemon restarts.
            guard status.state != .tokenRejected else { return }
            status.state = state
            status.until = until
            if let error { status.lastError = error }
        }
    }

    var isTokenRejected: Bool { board.all().first { $0.name == settings.name }?.state == .tokenRejected }

    // MARK: - Posting

    public func post(_ request: DeliveryRequest) -> DeliveryOutcome {
        let result = Mutex<DeliveryOutcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: AccountExecutor.shared) {
            let outcome = await self.postNow(request)
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? .failed("the post did not finish")
    }

    func postNow(_ request: DeliveryRequest) async -> DeliveryOutcome {
        let now = clock.now()
        guard let connection = connection.withLock({ $0 }), !isTokenRejected else {
            let why = isTokenRejected ? "its token was rejected" : "it is not connected yet"
            return .later("account \(settings.name) cannot post: \(why) (earshot account list)", at: now.adding(seconds: 60))
        }
        if let until = notBefore.withLock({ $0 }), until > now {
            return .later("rate limited by \(settings.url) until \(until.iso8601)", at: until)
        }
        let status = MastodonReply(request: request)
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
            setState(.tokenRejected, error: MastodonAPI.errorMessage(response))
            return .later("account \(settings.name): the token was rejected (\(MastodonAPI.errorMessage(response)))", at: now.adding(seconds: 300))
        case 429:
            let until = notBefore.withLock { $0 } ?? now.adding(seconds: 60)
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
