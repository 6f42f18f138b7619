import EarshotCore
import EarshotIngest
import EarshotService
import Foundation
import ServiceLifecycle
import Synchronization

/// One X account, live: polls `GET /2/users/:id/mentions` (a minute apart by default: reads
/// are paid), follows `next_token` back to the stored `since_id` before moving it to the first
/// page's `newest_id`, all in one transaction with the mentions, and posts its channel's
/// replies. X has no idempotency key: a 403 on a post is checked against the account's recent
/// posts before the reply is failed, so a retry never posts twice (docs/accounts.md).
public final class XAccount: Service, ReplyPoster {
    public var settings: AccountSettings { runtime.settings }
    let runtime: AccountRuntime
    let api: XAPI
    let intake: MentionIntake
    let onChannel: @Sendable (XAccount, String) -> Void
    private let credentials = Mutex<XCredentials?>(nil)
    private let identity = Mutex<(id: String, username: String)?>(nil)
    private let renewing = AsyncLock()

    typealias Stopped = AccountRuntime.Stopped
    typealias Fault = AccountRuntime.Fault

    public init(
        settings: AccountSettings, service: InboxService, http: PlatformHTTP, log: @escaping @Sendable (String) -> Void,
        note: (@Sendable (String) -> Void)? = nil, onChannel: @escaping @Sendable (XAccount, String) -> Void
    ) {
        runtime = AccountRuntime(settings: settings, board: service.accounts, log: log, note: note)
        api = XAPI(base: settings.url, http: http)
        self.onChannel = onChannel
        intake = .routing(into: service)
    }

    public func run() async throws {
        await runtime.serve { try await self.read() }
    }

    private func read() async throws {
        do {
            let text = try settings.readSecretText()
            let configured = try XCredentials(json: text, account: settings.name, file: settings.tokenFile)
            // A renewed OAuth 2.0 token (its refresh token is good once) outranks the file's,
            // unless the file was written since (new credentials put there by an admin).
            credentials.withLock { $0 = loadRenewed(newerThan: settings.tokenFile) ?? configured }
        } catch {
            runtime.setState(.stopped, error: error.problem)
            runtime.log(error.problem)
            throw Stopped()
        }
        var backoff = Backoff()
        while identity.withLock({ $0 }) == nil {
            do {
                let response = try await authorised { try await self.api.me($0) }
                guard response.status == 200,
                      let data = ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["data"] as? [String: Any],
                      let id = data["id"] as? String, let username = data["username"] as? String else {
                    throw Fault("GET /2/users/me: \(XAPI.errorMessage(response))")
                }
                identity.withLock { $0 = (id, username) }
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
        let me = identity.withLock { $0 }!
        runtime.noteChannel(me.username)
        onChannel(self, me.username)
        runtime.note("reading mentions of @\(me.username) (every \(settings.pollSeconds) s)")
        countReads(0)  // the budget line shows from the start, spent or not
        backoff.succeeded()
        while true {
            do {
                if let until = budgetExhaustedUntil() {
                    runtime.setState(.backingOff, until: until, error: "the monthly read budget is spent: reading resumes \(until.iso8601)")
                    try await Task.sleep(for: .seconds(min(3600, max(1, Double(until.milliseconds(since: runtime.clock.now())) / 1000))))
                    continue
                }
                try await catchUp(me)
                backoff.succeeded()
                runtime.setState(.polling)
                try await runtime.pause(seconds: settings.pollSeconds) { false }
            } catch {
                try await runtime.backOff(&backoff, try AccountRuntime.fault(error))
            }
        }
    }

    // MARK: - Reading

    /// Every page back to the stored `since_id` (or to `backfill_hours` ago the first time);
    /// then the mentions, oldest first, and the first page's `newest_id`, in one transaction.
    private func catchUp(_ me: (id: String, username: String)) async throws {
        let since = try await intake.cursor(of: settings.name)
        let start = runtime.clock.now().adding(seconds: -Int64(settings.backfillHours) * 3600)
        var pages: [[UInt8]] = []
        var newest: String?
        var token: String?
        for _ in 0..<100 {
            let next = token
            let response = try await authorised { try await self.api.mentions(of: me.id, sinceID: since, startTime: start, paginationToken: next, $0) }
            guard response.status == 200,
                  let page = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
                throw Fault("GET /2/users/:id/mentions: " + (response.status == 200
                    ? "the answer is not a page of posts (\(response.body.count) bytes); skipped, read again later" : XAPI.errorMessage(response)))
            }
            let meta = page["meta"] as? [String: Any]
            if newest == nil { newest = meta?["newest_id"] as? String }
            // X bills every post a page returns, whether or not the walk gets to the end.
            countReads((page["data"] as? [Any])?.count ?? 0)
            pages.append(response.body)
            guard let more = meta?["next_token"] as? String else { break }
            token = more
            if pages.count == 100 {
                runtime.log("read back 100 pages (10,000 posts) without reaching since_id: older mentions are not read")
            }
        }
        guard let newest else { return }
        var mentions: [IncomingMention] = []
        for page in pages {
            for result in XV2Adapter().parse(document: String(decoding: page, as: UTF8.self), firstLine: 1) {
                switch result {
                case let .success(.mention(mention)):
                    if Self.author(of: mention) == me.id { runtime.log("skipped \(mention.externalID): a post of our own account") } else { mentions.append(mention) }
                case .success(.brandReply): break
                case let .failure(problem): runtime.log("skipped \(problem.message)")
                }
            }
        }
        mentions.sort { ($0.createdAt, $0.externalID) < ($1.createdAt, $1.externalID) }
        let outcome = try await intake.store(mentions, channel: me.username, platform: settings.platform, account: settings.name, cursor: newest, at: runtime.clock.now())
        for skipped in outcome.skipped { runtime.log("skipped \(skipped)") }
        if let time = outcome.newest { runtime.noteMention(at: time) }
    }

    private static func author(of mention: IncomingMention) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(mention.rawPayload.utf8))) as? [String: Any])?["author_id"] as? String
    }

    // MARK: - Requests

    /// A signed request after any rate-limit wait; a 429 waits for its reset; a 401 renews an
    /// OAuth 2.0 token once (when it can) and asks again, else stops the account.
    /// `waitsOnLimit` false (posting): a 429 comes back as it is, for the outbox to try later.
    private func authorised(
        waitsOnLimit: Bool = true, _ send: @escaping @Sendable (XCredentials) async throws -> PlatformResponse
    ) async throws -> PlatformResponse {
        guard let current = credentials.withLock({ $0 }) else { throw Stopped() }
        let response = try await call(waitsOnLimit: waitsOnLimit) { try await send(current) }
        guard response.status == 401 else { return response }
        let fresh = try await renewed(from: current, refused: response)
        return try await call(waitsOnLimit: waitsOnLimit) { try await send(fresh) }
    }

    /// One renewal at a time (a refresh token is good once): a caller whose token another has
    /// already renewed takes the new one. X refusing the renewal (400/401) stops the account; a
    /// 5xx or no answer is a fault like any other.
    private func renewed(from stale: XCredentials, refused response: PlatformResponse) async throws -> XCredentials {
        guard case let .oauth2(staleAccess, refresh?, clientID?) = stale else {
            try runtime.credentialRejected(XAPI.errorMessage(response), fix: "put new credentials in \(settings.tokenFile) and restart the daemon")
        }
        await renewing.lock()
        defer { Task { await renewing.unlock() } }
        if case let .oauth2(access, _, _)? = credentials.withLock({ $0 }), access != staleAccess { return credentials.withLock { $0 }! }
        let answer = try await call { try await self.api.refresh(refresh, clientID: clientID) }
        guard answer.status == 200,
              let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any],
              let access = object["access_token"] as? String else {
            guard answer.status == 400 || answer.status == 401 else { throw Fault("POST /2/oauth2/token: \(XAPI.errorMessage(answer))") }
            try runtime.credentialRejected("the token could not be renewed: \(XAPI.errorMessage(answer))",
                                           fix: "authorise the app again and put the new token in \(settings.tokenFile), then restart the daemon")
        }
        let fresh = XCredentials.oauth2(access: access, refresh: (object["refresh_token"] as? String) ?? refresh, clientID: clientID)
        credentials.withLock { $0 = fresh }
        keepRenewed(fresh)
        return fresh
    }

    private func call(waitsOnLimit: Bool = true, _ send: () async throws -> PlatformResponse) async throws -> PlatformResponse {
        while true {
            if waitsOnLimit { try await runtime.waitForRateLimit() }
            let response = try await send()
            if let wait = XRateLimit.waitUntil(
                status: response.status, remaining: response.header("x-rate-limit-remaining"), reset: response.header("x-rate-limit-reset"),
                now: runtime.clock.now()) {
                runtime.limit(until: wait, refused: response.status == 429)
            }
            if response.status == 429 && waitsOnLimit { continue }
            return response
        }
    }

    // MARK: - What is kept between runs (beside the database, mode 0600)

    private func stateFile(_ suffix: String) -> String? { settings.stateDirectory.map { $0 + "/\(settings.name).\(suffix)" } }

    private func keepRenewed(_ fresh: XCredentials) {
        guard let file = stateFile("x-token.json"), let object = fresh.stored else { return }
        write(object, to: file)
    }

    private func loadRenewed(newerThan configured: String) -> XCredentials? {
        guard let file = stateFile("x-token.json"), let data = FileManager.default.contents(atPath: file) else { return nil }
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        if let kept = modified(file), let given = modified(configured), given > kept { return nil }
        return try? XCredentials(json: String(decoding: data, as: UTF8.self), account: settings.name, file: file)
    }

    private func write(_ object: [String: Any], to file: String) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        let temporary = file + ".new"
        unlink(temporary)
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]),
              rename(temporary, file) == 0 else {
            runtime.log("cannot write \(file)")
            return
        }
    }

    /// The month's reads (`2026-12`), kept so a restart does not forget what was spent.
    private let reads = Mutex<(month: String, count: Int)?>(nil)

    private static func month(_ time: Timestamp) -> String { String(time.iso8601.prefix(7)) }

    private func readsThisMonth() -> (month: String, count: Int) {
        let month = Self.month(runtime.clock.now())
        return reads.withLock { current in
            if current == nil, let file = stateFile("x-reads.json"), let data = FileManager.default.contents(atPath: file),
               let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
               let stored = object["month"] as? String, let count = object["read"] as? Int {
                current = (stored, count)
            }
            if current?.month != month { current = (month, 0) }
            return current!
        }
    }

    private func countReads(_ count: Int) {
        var now = readsThisMonth()
        now.count += count
        reads.withLock { $0 = now }
        if let file = stateFile("x-reads.json") { write(["month": now.month, "read": now.count], to: file) }
        if let budget = settings.monthlyReadBudget {
            runtime.board.update(settings.name, platform: .x, at: runtime.clock.now()) { $0.budget = "\(now.count) of \(budget) posts read this month" }
        }
    }

    /// When reading may go on, if this month's budget is spent: the start of next month (UTC).
    private func budgetExhaustedUntil() -> Timestamp? {
        guard let budget = settings.monthlyReadBudget, readsThisMonth().count >= budget else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = runtime.clock.now().date
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        return Timestamp(calendar.date(byAdding: .month, value: 1, to: start)!)
    }

    // MARK: - Posting

    public func post(_ request: DeliveryRequest) -> DeliveryOutcome {
        AccountRuntime.blocking { await self.postNow(request) }
    }

    func postNow(_ request: DeliveryRequest) async -> DeliveryOutcome {
        let now = runtime.clock.now()
        guard let me = identity.withLock({ $0 }), !runtime.isTokenRejected else {
            let why = runtime.isTokenRejected ? "its credentials were refused" : "it is not connected yet"
            return .later("account \(settings.name) cannot post: \(why) (earshot account list)", at: now.adding(seconds: 60))
        }
        if let until = runtime.limitedUntil { return .later("rate limited by X until \(until.iso8601)", at: until) }
        let handle = "@" + request.customer
        let text = BlueskyReply.names(request.text, handle) ? request.text : handle + " " + request.text
        let weighted = XWeightedLength.measure(text)
        guard weighted <= XWeightedLength.maximum else {
            return .refused("the reply weighs \(weighted) on X, which takes \(XWeightedLength.maximum) (CJK characters and emoji weigh 2, a link 23): shorten it")
        }
        do {
            let response = try await authorised(waitsOnLimit: false) { try await self.api.createTweet(text: text, inReplyTo: request.inReplyTo, $0) }
            if response.status == 201 || response.status == 200,
               let data = ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["data"] as? [String: Any],
               let id = data["id"] as? String {
                return .delivered(platformID: id, url: "https://x.com/\(me.username)/status/\(id)")
            }
            if response.status == 429 { return .later("rate limited by X", at: runtime.limitedUntil ?? now.adding(seconds: 60)) }
            if response.status == 403 {
                // X refuses the same text twice: after a retry that means "possibly posted".
                // Only the account's own recent posts can tell; the reply is failed only if it is not there.
                switch try await findPosted(text: text, inReplyTo: request.inReplyTo, me: me) {
                case let .found(id): return .delivered(platformID: id, url: "https://x.com/\(me.username)/status/\(id)")
                case .notFound: return .refused(XAPI.errorMessage(response))
                case let .unknown(why): return .failed("X refused the post (\(XAPI.errorMessage(response))) and its recent posts could not be read (\(why)); trying again")
                }
            }
            if (400..<500).contains(response.status) { return .refused(XAPI.errorMessage(response)) }
            return .failed("POST /2/tweets: \(XAPI.errorMessage(response))")
        } catch is Stopped {
            return .later("account \(settings.name): its credentials were refused (earshot account list)", at: now.adding(seconds: 300))
        } catch {
            return .failed("POST /2/tweets: \(error)")
        }
    }

    enum Lookup { case found(String), notFound, unknown(String) }

    /// The account's recent post answering `inReplyTo` with this text, if X has it. X gives
    /// the text back with links shortened (t.co) and `&<>` escaped, so both sides are compared
    /// without their links and entities.
    private func findPosted(text: String, inReplyTo: String?, me: (id: String, username: String)) async throws -> Lookup {
        let response = try await authorised(waitsOnLimit: false) { try await self.api.recentPosts(of: me.id, $0) }
        guard response.status == 200 else { return .unknown(XAPI.errorMessage(response)) }
        let posts = ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any])?["data"] as? [[String: Any]] ?? []
        countReads(posts.count)
        let wanted = Self.comparable(text)
        let match = posts.first { post in
            guard Self.comparable(post["text"] as? String ?? "") == wanted else { return false }
            guard let inReplyTo else { return (post["referenced_tweets"] as? [[String: Any]])?.isEmpty ?? true }
            return (post["referenced_tweets"] as? [[String: Any]])?.contains { $0["type"] as? String == "replied_to" && $0["id"] as? String == inReplyTo } == true
        }
        return (match?["id"] as? String).map(Lookup.found) ?? .notFound
    }

    /// A post's text without its links and HTML entities, whitespace collapsed.
    static func comparable(_ text: String) -> String {
        let unescaped = text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return unescaped.split(whereSeparator: \.isWhitespace)
            .filter { !($0.hasPrefix("http://") || $0.hasPrefix("https://")) }
            .joined(separator: " ")
    }
}
