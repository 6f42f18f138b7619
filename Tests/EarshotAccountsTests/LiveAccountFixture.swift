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
final class LiveAccountFixture: LiveInbox {
    let platform = Platform.mastodon
    let accountName = "acme-mastodon"
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let service: InboxService
    let stub: MastodonStub
    let settings: AccountSettings
    let deliverer: OutboxDeliverer
    let logged = LogLines()

    let requestTimeout: Int64

    init(
        streaming: Bool = true, pollSeconds: Int = 600, token: String = "stub-token", heartbeat: Double = 0.5, requestTimeout: Int64 = 5,
        maxCharacters: Int = 500, deliveryCommand: [String] = []
    ) throws {
        self.requestTimeout = requestTimeout
        directory = try TemporaryDirectory("earshot-live")
        (store, service) = try Self.inbox(at: directory.file("inbox.sqlite"), command: deliveryCommand)
        stub = MastodonStub(token: "stub-token", heartbeatSeconds: heartbeat, maxCharacters: maxCharacters)
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

    func run(_ body: @Sendable (MastodonAccount) async throws -> Void) async throws {
        let (settings, logged, deliverer) = (settings, logged, deliverer)
        try await runLive({ http in
            MastodonAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) { account, channel in
                deliverer.register(account, platform: .mastodon, channel: channel)
            }
        }, body)
    }
}

/// What the account and the deliverer logged, for tests to read.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
