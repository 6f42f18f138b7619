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
import Testing

/// A real inbox with one live Bluesky account pointed at a Bluesky stub PDS on 127.0.0.1.
final class BlueskyFixture: Sendable {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let service: InboxService
    let stub: BlueskyStub
    let settings: AccountSettings
    let deliverer: OutboxDeliverer
    let logged = LogLines()
    let requestTimeout: Int64

    init(pollSeconds: Int = 5, password: String? = nil, requestTimeout: Int64 = 5) throws {
        self.requestTimeout = requestTimeout
        directory = try TemporaryDirectory("earshot-bluesky")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        var service = InboxService(store: store, clock: SystemClock())
        service.policy.routing = .manual
        service.delivery.undoSeconds = 0
        service.delivery.retryBaseSeconds = 1
        try service.addResponder(
            NewResponder(login: "dana", displayName: "Dana", initials: "DA", role: .supervisor, availability: .available, capacity: 50),
            by: "admin")
        self.service = service
        stub = BlueskyStub()
        let base = try stub.start()
        let passwordFile = directory.file("acme.password")
        try (password ?? stub.password).write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o600)
        var settings = AccountSettings(name: "acme-bluesky", platform: .bluesky, url: base, tokenFile: passwordFile)
        settings.handle = stub.handle
        settings.streaming = false
        settings.pollSeconds = pollSeconds
        settings.stateDirectory = directory.path
        self.settings = settings
        let logged = logged
        deliverer = OutboxDeliverer(service: service) { line in logged.append(line) }
    }

    deinit { stub.stop() }

    var log: [String] { logged.all }
    var status: AccountStatus? { service.accounts.all().first }

    func run(_ body: @Sendable (BlueskyAccount) async throws -> Void) async throws {
        try await withTaskExecutorPreference(AccountExecutor.shared) { try await runHere(body) }
    }

    private func runHere(_ body: @Sendable (BlueskyAccount) async throws -> Void) async throws {
        let http = PlatformHTTP(requestTimeout: .seconds(requestTimeout), streamSilence: .seconds(3))
        let logged = logged
        let deliverer = deliverer
        let account = BlueskyAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) {
            account, channel in deliverer.register(account, platform: .bluesky, channel: channel)
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

    func eventually(_ seconds: Double = 15, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    func mentionRows() throws -> [String] {
        try DatabaseQueue(path: store.path).read { db in try String.fetchAll(db, sql: "SELECT external_id FROM mention ORDER BY id") }
    }

    func cursor() throws -> String? { try store.read { try $0.accountCursor("acme-bluesky") } }

    func reply(to uri: String, _ text: String) async throws -> Reply {
        #expect(try await eventually { try mentionRows().contains(uri) })
        let mention = try #require(try store.read { try $0.mention(platform: .bluesky, externalID: uri) })
        _ = try service.claim(mention.conversationID, by: "dana")
        return try service.sendReply(mention.conversationID, text: text, basedOn: nil, confirmed: true, by: "dana")
    }

    func reply(_ id: ReplyID) throws -> Reply { try service.reply(id, by: "dana") }
}
