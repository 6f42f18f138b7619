import EarshotCore
import EarshotIngest
import EarshotService
import Foundation
import ServiceLifecycle
import Synchronization

/// One Bluesky account, live: logs in once with its app password and keeps the session
/// (reused across restarts: logins are limited to 30 per 5 minutes), polls its mention, reply
/// and quote notifications, and posts its channel's replies. Bluesky has no per-user stream;
/// `listNotifications` pages backwards only, so each poll reads from the newest notification
/// back to the stored high-water mark and stores what is new with the new mark in one
/// transaction (docs/accounts.md).
public final class BlueskyAccount: Service, ReplyPoster {
    public var settings: AccountSettings { runtime.settings }
    let runtime: AccountRuntime
    let api: BlueskyAPI
    let intake: MentionIntake
    let onChannel: @Sendable (BlueskyAccount, String) -> Void
    private let session = Mutex<BlueskySession?>(nil)
    private let password = Mutex<String?>(nil)
    private let refreshing = AsyncLock()

    typealias Stopped = AccountRuntime.Stopped
    typealias Fault = AccountRuntime.Fault

    public init(
        settings: AccountSettings, service: InboxService, http: PlatformHTTP, log: @escaping @Sendable (String) -> Void,
        note: (@Sendable (String) -> Void)? = nil, onChannel: @escaping @Sendable (BlueskyAccount, String) -> Void
    ) {
        runtime = AccountRuntime(settings: settings, board: service.accounts, log: log, note: note)
        api = BlueskyAPI(base: settings.url, http: http)
        self.onChannel = onChannel
        intake = .routing(into: service)
    }

    public func run() async throws {
        await runtime.serve { try await self.read() }
    }

    private func read() async throws {
        do {
            password.withLock { $0 = nil }
            let secret = try settings.readToken()
            password.withLock { $0 = secret }
        } catch {
            runtime.setState(.stopped, error: error.problem)
            runtime.log(error.problem)
            throw Stopped()
        }
        var backoff = Backoff()
        let current: BlueskySession
        while true {
            do {
                current = try await connect()
                break
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
        runtime.noteChannel(current.handle)
        onChannel(self, current.handle)
        runtime.note("reading mentions of @\(current.handle) (every \(settings.pollSeconds) s)")
        backoff.succeeded()
        while true {
            do {
                try await catchUp()
                backoff.succeeded()
                runtime.setState(.polling)
                try await runtime.pause(seconds: settings.pollSeconds) { false }
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
    }

    // MARK: - The session

    /// The stored session when there is one (checked by refreshing it), else a login.
    private func connect() async throws -> BlueskySession {
        if let stored = loadSession() {
            let response = try await call(authorised: false) { try await self.api.refreshSession(refreshJwt: stored.refreshJwt) }
            if response.status == 200, let fresh = BlueskySession(response.body) {
                keep(fresh)
                return fresh
            }
            // A session from an earlier run that can no longer be refreshed: log in once.
        }
        guard let handle = settings.handle, let secret = password.withLock({ $0 }) else { throw Stopped() }
        let response = try await call(authorised: false) { try await self.api.createSession(identifier: handle, password: secret) }
        if response.status == 200, let fresh = BlueskySession(response.body) {
            keep(fresh)
            return fresh
        }
        if response.status == 401 || BlueskyAPI.errorName(response) == "AuthenticationRequired" {
            try runtime.credentialRejected(BlueskyAPI.errorMessage(response), fix: "put a new app password in \(settings.tokenFile) and restart the daemon")
        }
        throw Fault("com.atproto.server.createSession: \(BlueskyAPI.errorMessage(response))")
    }

    /// An authorised call; an expired access token (HTTP 400 `ExpiredToken`) is refreshed once
    /// with the refresh token and the call made again. A refresh that fails stops the account.
    /// `waitsOnLimit` false (posting): a 429 comes back as it is, for the outbox to try later,
    /// instead of holding the deliverer's thread until the reset.
    private func authorised(
        waitsOnLimit: Bool = true, _ send: @escaping @Sendable (String) async throws -> PlatformResponse
    ) async throws -> PlatformResponse {
        guard let current = session.withLock({ $0 }) else { throw Fault("no session yet") }
        let response = try await call(authorised: true, waitsOnLimit: waitsOnLimit) { try await send(current.accessJwt) }
        guard response.status == 400, ["ExpiredToken", "InvalidToken"].contains(BlueskyAPI.errorName(response)) else { return response }
        let fresh = try await refreshed(from: current)
        return try await call(authorised: true, waitsOnLimit: waitsOnLimit) { try await send(fresh.accessJwt) }
    }

    /// One refresh at a time: a caller whose session another already renewed takes the new one.
    /// The platform's refusal of the refresh token (HTTP 400 or 401) stops the account; a 5xx or
    /// no answer is a fault like any other (backed off, tried again).
    private func refreshed(from stale: BlueskySession) async throws -> BlueskySession {
        await refreshing.lock()
        defer { Task { await refreshing.unlock() } }
        if let now = session.withLock({ $0 }), now.accessJwt != stale.accessJwt { return now }
        let answer = try await call(authorised: false) { try await self.api.refreshSession(refreshJwt: stale.refreshJwt) }
        if answer.status == 200, let fresh = BlueskySession(answer.body) {
            keep(fresh)
            return fresh
        }
        guard answer.status == 400 || answer.status == 401 else {
            throw Fault("com.atproto.server.refreshSession: \(BlueskyAPI.errorMessage(answer))")
        }
        try runtime.credentialRejected(
            "the session could not be refreshed: \(BlueskyAPI.errorMessage(answer))",
            fix: "check the app password in \(settings.tokenFile) and restart the daemon")
    }

    /// One request after any rate-limit wait; a 429 waits for the reset and asks again.
    private func call(authorised: Bool, waitsOnLimit: Bool = true, _ send: () async throws -> PlatformResponse) async throws -> PlatformResponse {
        while true {
            if waitsOnLimit { try await runtime.waitForRateLimit() }
            let response = try await send()
            if let wait = BlueskyRateLimit.waitUntil(
                status: response.status, remaining: response.header("RateLimit-Remaining"), reset: response.header("RateLimit-Reset"),
                now: runtime.clock.now()) {
                runtime.limit(until: wait, refused: response.status == 429)
            }
            if response.status == 429 {
                if waitsOnLimit { continue }
                return response
            }
            if authorised, response.status == 401 {
                try runtime.credentialRejected(BlueskyAPI.errorMessage(response), fix: "check the app password in \(settings.tokenFile) and restart the daemon")
            }
            return response
        }
    }

    private var sessionFile: String? {
        settings.stateDirectory.map { $0 + "/\(settings.name).bluesky-session.json" }
    }

    /// The session now, and in its file (mode 0600, beside the database) for the next run.
    private func keep(_ fresh: BlueskySession) {
        session.withLock { $0 = fresh }
        guard let file = sessionFile, let data = try? JSONEncoder().encode(fresh) else { return }
        let temporary = file + ".new"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(temporary, file) == 0 else {
            runtime.log("cannot keep the session in \(file): the next start logs in again")
            return
        }
    }

    private func loadSession() -> BlueskySession? {
        guard let file = sessionFile, let data = FileManager.default.contents(atPath: file) else { return nil }
        return try? JSONDecoder().decode(BlueskySession.self, from: data)
    }

    // MARK: - Reading

    /// From the newest notification back to the stored mark (`indexedAt` and uri of the newest
    /// one read before), or to `backfill_hours` ago on the first read; what is new is stored,
    /// oldest first, with the new mark, in one transaction.
    private func catchUp() async throws {
        guard let me = session.withLock({ $0 }) else { return }
        let mark = try await intake.cursor(of: settings.name).flatMap(Mark.init)
        let floor = mark?.indexedAt ?? runtime.clock.now().adding(seconds: -Int64(settings.backfillHours) * 3600)
        var fresh: [[String: Any]] = []
        var newest: Mark?
        var cursor: String?
        pages: for pages in 0..<100 {
            let from = cursor
            let response = try await authorised { token in try await self.api.notifications(cursor: from, token: token) }
            guard response.status == 200,
                  let page = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
                  let items = page["notifications"] as? [[String: Any]] else {
                throw Fault("GET app.bsky.notification.listNotifications: " + (response.status == 200
                    ? "the answer is not a list of notifications (\(response.body.count) bytes); skipped, read again later"
                    : BlueskyAPI.errorMessage(response)))
            }
            for item in items {
                guard let uri = item["uri"] as? String, let indexed = (item["indexedAt"] as? String).flatMap({ TimestampParsing.iso8601($0)?.0 }) else {
                    continue
                }
                if newest == nil { newest = Mark(indexedAt: indexed, uri: uri) }
                if uri == mark?.uri || indexed < floor { break pages }
                if (item["author"] as? [String: Any])?["did"] as? String == me.did {
                    runtime.log("skipped \(uri): a post of our own account")
                    continue
                }
                fresh.append(item)
            }
            guard let next = page["cursor"] as? String, !items.isEmpty else { break }
            cursor = next
            if pages == 99 {
                runtime.log("read back 100 pages (5,000 notifications) without reaching the last one read: older ones are not read")
            }
        }
        guard let newest, newest != mark else { return }
        let document = (try? JSONSerialization.data(withJSONObject: ["notifications": Array(fresh.reversed())], options: [.sortedKeys])) ?? Data()
        var mentions: [IncomingMention] = []
        for result in BlueskyAdapter().parse(document: String(decoding: document, as: UTF8.self), firstLine: 1) {
            switch result {
            case let .success(.mention(mention)): mentions.append(mention)
            case .success(.brandReply): break
            case let .failure(problem): runtime.log("skipped \(problem.message)")
            }
        }
        let outcome = try await intake.store(mentions, channel: me.handle, platform: settings.platform, account: settings.name, cursor: newest.text, at: runtime.clock.now())
        for skipped in outcome.skipped { runtime.log("skipped \(skipped)") }
        if let time = outcome.newest { runtime.noteMention(at: time) }
    }

    /// Where the last read stopped: the newest notification's `indexedAt` and uri.
    struct Mark: Equatable {
        var indexedAt: Timestamp
        var uri: String

        init(indexedAt: Timestamp, uri: String) { (self.indexedAt, self.uri) = (indexedAt, uri) }

        init?(_ text: String) {
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let time = Int64(parts[0]) else { return nil }
            (indexedAt, uri) = (Timestamp(millisecondsSinceEpoch: time), parts[1])
        }

        var text: String { "\(indexedAt.millisecondsSinceEpoch) \(uri)" }
    }

    // MARK: - Posting

    public func post(_ request: DeliveryRequest) -> DeliveryOutcome {
        AccountRuntime.blocking { await self.postNow(request) }
    }

    func postNow(_ request: DeliveryRequest) async -> DeliveryOutcome {
        let now = runtime.clock.now()
        guard let me = session.withLock({ $0 }), !runtime.isTokenRejected else {
            let why = runtime.isTokenRejected ? "its session was refused" : "it is not connected yet"
            return .later("account \(settings.name) cannot post: \(why) (earshot account list)", at: now.adding(seconds: 60))
        }
        if let until = runtime.limitedUntil { return .later("rate limited by \(settings.url) until \(until.iso8601)", at: until) }
        let reply: BlueskyReply
        do {
            reply = try BlueskyReply(request: request, now: now)
        } catch {
            return .refused(error.description)
        }
        let rkey = RecordKey.tid(for: request.idempotencyKey)
        let record = (try? JSONSerialization.data(withJSONObject: reply.record, options: [.sortedKeys])) ?? Data()
        do {
            let response = try await authorised(waitsOnLimit: false) { token in
                try await self.api.createPost(repo: me.did, rkey: rkey, record: record, token: token)
            }
            if response.status == 200, let uri = Self.uri(response.body) {
                return .delivered(platformID: uri, url: Self.webURL(handle: me.handle, rkey: rkey))
            }
            if response.status == 429 { return .later("rate limited (RateLimitExceeded)", at: runtime.limitedUntil ?? now.adding(seconds: 60)) }
            if (400..<500).contains(response.status) {
                // A retry of a post already made collides on its record key: the post is there.
                let existing = try await authorised { token in try await self.api.getPost(repo: me.did, rkey: rkey, token: token) }
                if existing.status == 200, let uri = Self.uri(existing.body) {
                    return .delivered(platformID: uri, url: Self.webURL(handle: me.handle, rkey: rkey))
                }
                return .refused(BlueskyAPI.errorMessage(response))
            }
            return .failed("com.atproto.repo.createRecord: \(BlueskyAPI.errorMessage(response))")
        } catch is Stopped {
            return .later("account \(settings.name): its session was refused (earshot account list)", at: now.adding(seconds: 300))
        } catch {
            return .failed("com.atproto.repo.createRecord: \(error)")
        }
    }

    private static func uri(_ body: [UInt8]) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any])?["uri"] as? String
    }

    static func webURL(handle: String, rkey: String) -> String { "https://bsky.app/profile/\(handle)/post/\(rkey)" }
}
