import EarshotAccounts
import EarshotCore
import EarshotDemo
import EarshotPlatformStubs
import EarshotService
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The demo's Mastodon channel, live: a Mastodon stub of its own on loopback, and the real
/// connector (`MastodonAccount`) reading it and posting replies to it, as the daemon does with
/// a real instance. Simulated Mastodon customers post to the stub; nothing is ingested for them.
final class DemoMastodon: Sendable {
    let stub: MastodonStub
    let settings: AccountSettings
    private let http = PlatformHTTP()
    private let group: ServiceGroup
    private let finished = DispatchSemaphore(value: 0)
    /// Demo post ids to the stub's status ids, so a follow-up answers the right status.
    private let statusIDs = Mutex<[String: String]>([:])

    init(service: InboxService, deliverer: OutboxDeliverer, workspace: DemoWorkspace, log: DemoLog) throws {
        let token = UUID().uuidString
        stub = MastodonStub(token: token, username: "acme", domain: "mastodon.social")
        let base = try stub.start()
        let tokenFile = workspace.directory + "/mastodon.token"
        guard FileManager.default.createFile(atPath: tokenFile, contents: Data(token.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("cannot write the demo's token file in \(workspace.directory)")
        }
        var settings = AccountSettings(name: "demo-mastodon", platform: .mastodon, url: base, tokenFile: tokenFile)
        settings.pollSeconds = 30
        self.settings = settings
        let account = MastodonAccount(settings: settings, service: service, http: http, log: { log.write($0) }, note: { _ in }) { account, channel in
            deliverer.register(account, platform: .mastodon, channel: channel)
        }
        group = ServiceGroup(services: [account], logger: Logger(label: "earshot.demo.mastodon"))
    }

    func start() {
        let (group, finished) = (group, finished)
        Task {
            try? await group.run()
            finished.signal()
        }
    }

    /// A simulated customer writes on Mastodon: a status on the stub, its notification streamed.
    func post(_ mention: DemoMention, at time: Timestamp) {
        var text = mention.text
        // The stub writes the @mention of the account itself, as Mastodon's HTML does.
        if text.hasPrefix(mention.channel.address + " ") { text.removeFirst(mention.channel.address.count + 1) }
        let parent = mention.inReplyTo.flatMap { id in statusIDs.withLock { $0[id] } }
        let id = stub.mention(from: mention.customer.handle, text: text, inReplyTo: parent, at: time.date)
        statusIDs.withLock { $0[mention.externalID] = id }
    }

    /// Waits (up to `seconds`) until the connector has stored every post made on the stub, so
    /// the summary and the database agree.
    func waitUntilRead(_ service: InboxService, seconds: Double = 10) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let ids = statusIDs.withLock { Array($0.values) }
            let stored = (try? service.store.read { reader in
                try ids.allSatisfy { try reader.mentionExists(platform: .mastodon, externalID: $0) }
            }) ?? false
            if stored { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func stop() {
        let (group, http) = (group, http)
        Task { await group.triggerGracefulShutdown() }
        _ = finished.wait(timeout: .now() + 10)
        let done = DispatchSemaphore(value: 0)
        Task {
            await http.shutdown()
            done.signal()
        }
        _ = done.wait(timeout: .now() + 5)
        stub.stop()
    }

    /// For the summary: posts made on the demo's instance, and replies the connector posted there.
    var summary: String {
        let replies = stub.posted.filter { !$0.repeated }.count
        return "mastodon: \(stub.mentionCount) customer posts on the demo's instance, \(replies) replies posted there by its connector (\(stub.baseURL))"
    }
}
