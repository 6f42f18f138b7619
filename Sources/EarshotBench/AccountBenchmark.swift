import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import EarshotStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A live Mastodon account against the stub on loopback: how long from a customer's post on
/// the instance to the mention in the inbox (streaming, and polling alone), and how long a
/// reply takes to be posted once its undo window is over. The baseline of each is the bare
/// HTTP round trip it rides on, through the same client.
struct AccountBenchmark {
    let mentions: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--mentions"])
        mentions = try options.extra["--mentions"].map { try BenchUsage.int($0, "--mentions") } ?? 40
    }

    func run() throws {
        let http = PlatformHTTP()
        defer { Self.blocking { await http.shutdown() } }
        let baseline = try measureBareRequests(http)
        let streamed = try measureArrivals(streaming: true, count: mentions, spacing: 0.05, http: http)
        print(Self.line("accounts: mention to queue, streaming", streamed, goal: "p99 <= 1000 ms", baseline: baseline.get, baselineName: "a bare GET of a notifications page"))
        let polled = try measureArrivals(streaming: false, count: max(10, mentions / 4), spacing: 0.5, http: http)
        print(Self.line("accounts: mention to queue, polling every 5 s", polled, goal: "p99 <= poll_seconds", baseline: baseline.get, baselineName: "a bare GET of a notifications page"))
        let sky = try measureBluesky(count: max(10, mentions / 4), spacing: 0.5, http: http)
        print(Self.line("accounts: Bluesky mention to queue, polling every 5 s", sky, goal: "p99 <= poll_seconds", baseline: baseline.get, baselineName: "a bare GET of a notifications page"))
        let bird = try measureX(count: max(10, mentions / 4), spacing: 0.5, http: http)
        print(Self.line("accounts: X mention to queue, polling every 5 s", bird, goal: "p99 <= poll_seconds", baseline: baseline.get, baselineName: "a bare GET of a notifications page"))
        let posted = try measurePosts(count: max(10, mentions / 2), http: http)
        print(Self.line("accounts: reply posted after its undo window", posted, goal: "", baseline: baseline.post, baselineName: "a bare POST of a status"))
    }

    /// The bare HTTP round trips (ms): GET a page of notifications, POST a status.
    private func measureBareRequests(_ http: PlatformHTTP) throws -> (get: [Double], post: [Double]) {
        let stub = MastodonStub()
        let base = try stub.start()
        defer { stub.stop() }
        for index in 0..<40 { stub.mention(from: "c\(index)@social.example", text: "order \(index) is late") }
        var gets: [Double] = []
        var posts: [Double] = []
        for index in 0..<50 {
            gets.append(Self.timed { _ = try? await http.send(.GET, base + "/api/v1/notifications?types%5B%5D=mention&limit=40", token: stub.token) })
            posts.append(Self.timed {
                _ = try? await http.send(.POST, base + "/api/v1/statuses", token: stub.token, headers: [("Idempotency-Key", "bench-\(index)")],
                                         form: [("status", "hello \(index)"), ("visibility", "public")])
            })
        }
        return (gets.sorted(), posts.sorted())
    }

    /// Posts `count` mentions on the stub, `spacing` seconds apart, and times each until it is in the store.
    private func measureArrivals(streaming: Bool, count: Int, spacing: Double, http: PlatformHTTP) throws -> [Double] {
        let live = try LiveAccount(streaming: streaming, http: http)
        defer { live.stop() }
        live.waitUntilReading()
        return try Self.timeArrivals(in: live.store, platform: .mastodon, count: count, spacing: spacing) { index in
            live.stub.mention(from: "k\(index)@social.example", text: "where is order \(index)?")
        }
    }

    /// The same on Bluesky, which has no stream: its poll alone brings a mention in.
    private func measureBluesky(count: Int, spacing: Double, http: PlatformHTTP) throws -> [Double] {
        let live = try LiveBluesky(http: http)
        defer { live.stop() }
        live.waitUntilReading()
        return try Self.timeArrivals(in: live.store, platform: .bluesky, count: count, spacing: spacing) { index in
            live.stub.mention(from: "k\(index).bsky.social", text: "@acme.bsky.social where is order \(index)?")
        }
    }

    /// And on X, polled too (a minute apart by default; 5 s here).
    private func measureX(count: Int, spacing: Double, http: PlatformHTTP) throws -> [Double] {
        let live = try LiveX(http: http)
        defer { live.stop() }
        live.waitUntilReading()
        return try Self.timeArrivals(in: live.store, platform: .x, count: count, spacing: spacing) { index in
            live.stub.mention(from: "k\(index)", text: "@AcmeSupport where is order \(index)?")
        }
    }

    private static func timeArrivals(
        in store: SQLiteInboxStore, platform: Platform, count: Int, spacing: Double, post: (Int) -> String
    ) throws -> [Double] {
        let pending = Mutex<[String: UInt64]>([:])
        let arrived = Mutex<[Double]>([])
        let done = Atomic<Bool>(false)
        let watcher = Thread {
            while !done.load(ordering: .acquiring) {
                let waiting = pending.withLock { $0 }
                for (id, posted) in waiting where (try? store.read { try $0.mentionExists(platform: platform, externalID: id) }) == true {
                    let now = DispatchTime.now().uptimeNanoseconds
                    pending.withLock { _ = $0.removeValue(forKey: id) }
                    arrived.withLock { $0.append(Double(now - posted) / 1e6) }
                }
                usleep(2_000)
            }
        }
        watcher.start()
        for index in 0..<count {
            let posted = DispatchTime.now().uptimeNanoseconds
            let id = post(index)
            pending.withLock { $0[id] = posted }
            Thread.sleep(forTimeInterval: spacing)
        }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !pending.withLock(\.isEmpty) { Thread.sleep(forTimeInterval: 0.01) }
        done.store(true, ordering: .releasing)
        return arrived.withLock { $0 }.sorted()
    }

    /// Replies sent with a 1 s undo window: from the window's end to the platform's answer recorded.
    private func measurePosts(count: Int, http: PlatformHTTP) throws -> [Double] {
        let live = try LiveAccount(streaming: true, http: http, undoSeconds: 1)
        defer { live.stop() }
        live.waitUntilReading()
        var asked: [String] = []
        for index in 0..<count { asked.append(live.stub.mention(from: "r\(index)@social.example", text: "hello \(index)")) }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !asked.allSatisfy({ id in (try? live.store.read { try $0.mentionExists(platform: .mastodon, externalID: id) }) == true }) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        var replies: [ReplyID] = []
        for id in asked {
            guard let mention = try live.store.read({ try $0.mention(platform: .mastodon, externalID: id) }) else { continue }
            _ = try live.service.claim(mention.conversationID, by: "bench")
            replies.append(try live.service.sendReply(mention.conversationID, text: "on its way", basedOn: nil, confirmed: true, by: "bench").id)
            Thread.sleep(forTimeInterval: 0.05)
        }
        var latencies: [Double] = []
        let end = Date().addingTimeInterval(30)
        for id in replies {
            while Date() < end {
                let reply = try live.service.reply(id, by: "bench")
                if let sent = reply.sentAt, let queued = reply.queuedAt {
                    latencies.append(Double(sent.milliseconds(since: queued.adding(seconds: 1))))
                    break
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        return latencies.sorted()
    }

    static func line(_ name: String, _ values: [Double], goal: String, baseline: [Double], baselineName: String) -> String {
        let p50 = percentile(values, 0.5), p99 = percentile(values, 0.99), base = percentile(baseline, 0.5)
        return String(format: "%@: p50 %.1f ms, p99 %.1f ms (%d); baseline %@ p50 %.2f ms, ratio %.2fx%@",
                      name, p50, p99, values.count, baselineName, base, p50 / base, goal.isEmpty ? "" : "; goal \(goal)")
    }

    static func percentile(_ values: [Double], _ q: Double) -> Double {
        values.isEmpty ? .nan : values[min(values.count - 1, max(0, Int((q * Double(values.count)).rounded(.up)) - 1))]
    }

    static func timed(_ body: @escaping @Sendable () async -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        blocking(body)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func blocking(_ body: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await body()
            done.signal()
        }
        done.wait()
    }
}

/// An inbox with one live account on a fresh stub, running as the daemon runs it.
private final class LiveAccount: Sendable {
    let stub = MastodonStub(heartbeatSeconds: 15)
    let store: SQLiteInboxStore
    let service: InboxService
    let directory: String
    private let group: ServiceGroup
    private let deliverer: OutboxDeliverer
    private let finished = DispatchSemaphore(value: 0)

    init(streaming: Bool, http: PlatformHTTP, undoSeconds: Int = 0) throws {
        directory = NSTemporaryDirectory() + "earshot-accounts-bench-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteInboxStore(path: directory + "/bench.sqlite")
        var service = InboxService(store: store, clock: SystemClock(), policy: { var p = AssignmentPolicy(); p.routing = .manual; return p }())
        service.delivery.undoSeconds = undoSeconds
        try service.addResponder(NewResponder(login: "bench", displayName: "Bench", initials: "BE", role: .supervisor,
                                              availability: .available, capacity: 1_000_000), by: "admin")
        self.service = service
        let base = try stub.start()
        let tokenFile = directory + "/token"
        _ = FileManager.default.createFile(atPath: tokenFile, contents: Data(stub.token.utf8), attributes: [.posixPermissions: 0o600])
        var settings = AccountSettings(name: "bench", platform: .mastodon, url: base, tokenFile: tokenFile)
        settings.streaming = streaming
        settings.pollSeconds = 5
        let deliverer = OutboxDeliverer(service: service) { _ in }
        self.deliverer = deliverer
        let account = MastodonAccount(settings: settings, service: service, http: http, log: { _ in }) { account, channel in
            deliverer.register(account, platform: .mastodon, channel: channel)
        }
        group = ServiceGroup(services: [account], logger: Logger(label: "bench"))
        let (group, finished) = (group, finished)
        Task {
            try? await group.run()
            finished.signal()
        }
        deliverer.start()
    }

    /// Until the account has read once (and, streaming, holds its stream open).
    func waitUntilReading() {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let state = service.accounts.all().first?.state
            if state == .streaming || state == .polling { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    func stop() {
        deliverer.stop()
        let group = group
        Task { await group.triggerGracefulShutdown() }
        _ = finished.wait(timeout: .now() + 10)
        stub.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// An inbox of its own in a temporary folder, with one live account running as the daemon runs it.
private final class LiveInboxRun: Sendable {
    let store: SQLiteInboxStore
    let service: InboxService
    let directory: String
    private let group: ServiceGroup
    private let finished = DispatchSemaphore(value: 0)

    /// `account` builds the account from the inbox's service and a secret file written with `secret`.
    init(_ name: String, secret: String, account: (InboxService, String) -> any Service) throws {
        directory = NSTemporaryDirectory() + "earshot-\(name)-bench-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteInboxStore(path: directory + "/bench.sqlite")
        service = InboxService(store: store, clock: SystemClock(), policy: { var p = AssignmentPolicy(); p.routing = .manual; return p }())
        let file = directory + "/secret"
        _ = FileManager.default.createFile(atPath: file, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600])
        group = ServiceGroup(services: [account(service, file)], logger: Logger(label: "bench"))
        let (group, finished) = (group, finished)
        Task {
            try? await group.run()
            finished.signal()
        }
    }

    func waitUntilReading() {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, service.accounts.all().first?.state != .polling { Thread.sleep(forTimeInterval: 0.01) }
    }

    func stop() {
        let group = group
        Task { await group.triggerGracefulShutdown() }
        _ = finished.wait(timeout: .now() + 10)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A live Bluesky account on a fresh stub PDS.
private final class LiveBluesky: Sendable {
    let stub = BlueskyStub()
    let run: LiveInboxRun
    var store: SQLiteInboxStore { run.store }

    init(http: PlatformHTTP) throws {
        let (stub, base) = (stub, try stub.start())
        run = try LiveInboxRun("bluesky", secret: stub.password) { service, file in
            var settings = AccountSettings(name: "bench-bluesky", platform: .bluesky, url: base, tokenFile: file)
            settings.handle = stub.handle
            settings.streaming = false
            settings.pollSeconds = 5
            return BlueskyAccount(settings: settings, service: service, http: http, log: { _ in }) { _, _ in }
        }
    }

    func waitUntilReading() { run.waitUntilReading() }
    func stop() {
        run.stop()
        stub.stop()
    }
}

/// A live X account on a fresh stub API.
private final class LiveX: Sendable {
    let stub = XStub()
    let run: LiveInboxRun
    var store: SQLiteInboxStore { run.store }

    init(http: PlatformHTTP) throws {
        let base = try stub.start()
        run = try LiveInboxRun("x", secret: stub.oauth2Credentials) { service, file in
            var settings = AccountSettings(name: "bench-x", platform: .x, url: base, tokenFile: file)
            settings.streaming = false
            settings.pollSeconds = 5
            return XAccount(settings: settings, service: service, http: http, log: { _ in }) { _, _ in }
        }
    }

    func waitUntilReading() { run.waitUntilReading() }
    func stop() {
        run.stop()
        stub.stop()
    }
}
