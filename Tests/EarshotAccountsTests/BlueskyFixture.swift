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
final class BlueskyFixture: LiveInbox {
    let platform = Platform.bluesky
    let accountName = "acme-bluesky"
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
        (store, service) = try Self.inbox(at: directory.file("inbox.sqlite"))
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
    func run(_ body: @Sendable (BlueskyAccount) async throws -> Void) async throws {
        let (settings, logged, deliverer) = (settings, logged, deliverer)
        try await runLive({ http in
            BlueskyAccount(settings: settings, service: service, http: http, log: { line in logged.append(line) }) { account, channel in
                deliverer.register(account, platform: .bluesky, channel: channel)
            }
        }, body)
    }
}
