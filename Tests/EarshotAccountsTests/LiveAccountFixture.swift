@testable import EarshotAccounts
import EarshotCore
import EarshotPlatformStubs
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A real inbox (SQLite in a temporary folder) with one live Mastodon account pointed at a
/// Mastodon stub on 127.0.0.1, the account running as a service in a `ServiceGroup` as the
/// daemon runs it.
final class LiveAccountFixture: Sendable {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let service: InboxService
    let stub: MastodonStub
    let settings: AccountSettings
    let deliverer: OutboxDeliverer
    let logged = LogLines()

    let requestTimeout: Int64

    init(streaming: Bool = true, pollSeconds: Int = 600, token: String = "stub-token", heartbeat: Double = 0.5, requestTimeout: Int64 = 5) throws {
        self.requestTimeout = requestTimeout
        directory = try TemporaryDirectory("earshot-live")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        var service = InboxService(store: store, clock: SystemClock())
        service.policy.routing = .manual
        service.delivery.undoSeconds = 0
        service.delivery.retryBaseSeconds = 1
        try service.addResponder(
            NewResponder(login: "dana", displayName: "Dana", initials: "DA", role: .supervisor, availability: .available, capacity: 5),
            by: "admin")
        self.service = service
        stub = MastodonStub(token: "stub-token", heartbeatSeconds: heartbeat)
        let base = try stub.start()
        let tokenFile = directory.file("acme.token")
        try token.write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o600)
        var settings = AccountSettings(name: "acme-mastodon", platform: .mastodon, url: base, tokenFile: tokenFile)
        settings.streaming = streaming
        settings.pollSeconds = pollSeconds
        self.settings = settings
        let logged = logged
        deliverer = OutboxDeliverer(service: service) { line in logged.append(line) }
    }

    deinit { stub.stop() }

    var log: [String] { logged.all }

    /// Runs the account (and the deliverer) while `body` runs, then shuts them down as SIGTERM would.
    /// All of it on the accounts' own executor: the other suites' synchronous tests may hold
    /// Swift's cooperative pool (two threads here) for a minute at a time.
    func run(_ body: @Sendable (MastodonAccount) async throws -> Void) async throws {
        try await withTaskExecutorPreference(AccountExecutor.shared) { try await runHere(body) }
    }

    private func runHere(_ body: @Sendable (MastodonAccount) async throws -> Void) async throws {
        let http = PlatformHTTP(requestTimeout: .seconds(requestTimeout), streamSilence: .seconds(3))
        let logged = logged
        let deliverer = deliverer
        let account = MastodonAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) {
            account, channel in deliverer.register(account, platform: .mastodon, channel: channel)
        }
        deliverer.start()
        let group = ServiceGroup(services: [account], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(account)
            } catch {
                await group.triggerGracefulShutdown()
                await deliverer.stopAndWait()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await deliverer.stopAndWait()
        await http.shutdown()
    }

    /// Waits up to `seconds` for `condition`; false if it never held.
    func eventually(_ seconds: Double = 15, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    /// Every stored mention's platform id, in storage order.
    func mentionRows() throws -> [String] {
        try DatabaseQueue(path: store.path).read { db in try String.fetchAll(db, sql: "SELECT external_id FROM mention ORDER BY id") }
    }

    func cursor() throws -> String? { try store.read { try $0.accountCursor("acme-mastodon") } }

    var status: AccountStatus? { service.accounts.all().first }

    /// Waits until the customer's mention is stored, claims its conversation as dana and sends `text`.
    func reply(to statusID: String, _ text: String) async throws -> Reply {
        #expect(try await eventually { try mentionRows().contains(statusID) })
        let mention = try #require(try store.read { try $0.mention(platform: .mastodon, externalID: statusID) })
        _ = try service.claim(mention.conversationID, by: "dana")
        return try service.sendReply(mention.conversationID, text: text, basedOn: nil, confirmed: true, by: "dana")
    }

    func reply(_ id: ReplyID) throws -> Reply { try service.reply(id, by: "dana") }
}

/// What the account and the deliverer logged, for tests to read.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
