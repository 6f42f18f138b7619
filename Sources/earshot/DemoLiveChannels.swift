import EarshotAccounts
import EarshotCore
import EarshotDemo
import EarshotPlatformStubs
import EarshotService
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The demo's channels, live: a Mastodon instance, a Bluesky PDS and the X API, each a stub of
/// its own on loopback, and the real connectors reading them and posting replies to them, as
/// the daemon does with the real platforms. Simulated customers of those channels post to the stubs;
/// nothing is ingested for them.
final class DemoLiveChannels: Sendable {
    let mastodon: MastodonStub
    let bluesky: BlueskyStub
    let x: XStub
    private let http = PlatformHTTP()
    private let group: ServiceGroup
    private let finished = DispatchSemaphore(value: 0)
    /// Demo post ids to the stubs' post ids (and platforms), so a follow-up answers the right post.
    private let postIDs = Mutex<[String: (platform: Platform, id: String)]>([:])

    init(service: InboxService, deliverer: OutboxDeliverer, workspace: DemoWorkspace, log: DemoLog) throws {
        let token = UUID().uuidString
        mastodon = MastodonStub(token: token, username: "acme", domain: "mastodon.social")
        bluesky = BlueskyStub(handle: "acme.bsky.social", password: UUID().uuidString)
        x = XStub(username: "AcmeSupport")
        let mastodonURL = try mastodon.start(), blueskyURL = try bluesky.start(), xURL = try x.start()
        func secret(_ name: String, _ value: String) throws -> String {
            let file = workspace.directory + "/" + name
            guard FileManager.default.createFile(atPath: file, contents: Data(value.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CommandFailure("cannot write the demo's \(name) in \(workspace.directory)")
            }
            return file
        }
        var toot = AccountSettings(name: "demo-mastodon", platform: .mastodon, url: mastodonURL, tokenFile: try secret("mastodon.token", token))
        toot.pollSeconds = 30
        var sky = AccountSettings(name: "demo-bluesky", platform: .bluesky, url: blueskyURL, tokenFile: try secret("bluesky.password", bluesky.password))
        sky.handle = bluesky.handle
        sky.streaming = false
        sky.pollSeconds = 5
        sky.stateDirectory = workspace.directory
        var bird = AccountSettings(name: "demo-x", platform: .x, url: xURL, tokenFile: try secret("x.json", x.oauth2Credentials))
        bird.streaming = false
        bird.pollSeconds = 5  // the stub's reads cost nothing
        bird.stateDirectory = workspace.directory
        let write: @Sendable (String) -> Void = { log.write($0) }
        let accounts: [any Service] = [
            MastodonAccount(settings: toot, service: service, http: http, log: write, note: { _ in }) { account, channel in
                deliverer.register(account, platform: .mastodon, channel: channel)
            },
            BlueskyAccount(settings: sky, service: service, http: http, log: write, note: { _ in }) { account, channel in
                deliverer.register(account, platform: .bluesky, channel: channel)
            },
            XAccount(settings: bird, service: service, http: http, log: write, note: { _ in }) { account, channel in
                deliverer.register(account, platform: .x, channel: channel)
            },
        ]
        group = ServiceGroup(services: accounts, logger: Logger(label: "earshot.demo.accounts"))
    }

    func start() {
        let (group, finished) = (group, finished)
        Task {
            try? await group.run()
            finished.signal()
        }
    }

    /// Each live channel's poster, for `DemoSimulation.livePosting`.
    func posting() -> [Platform: (DemoMention, Timestamp) -> String] {
        [.mastodon: { mention, time in self.postOnMastodon(mention, at: time) },
         .bluesky: { mention, time in self.postOnBluesky(mention, at: time) },
         .x: { mention, time in self.postOnX(mention, at: time) }]
    }

    private func parent(of mention: DemoMention) -> String? {
        mention.inReplyTo.flatMap { id in postIDs.withLock { $0[id]?.id } }
    }

    /// A simulated customer writes on Mastodon: a status on the stub, its notification streamed.
    private func postOnMastodon(_ mention: DemoMention, at time: Timestamp) -> String {
        var text = mention.text
        // The stub writes the @mention of the account itself, as Mastodon's HTML does.
        if text.hasPrefix(mention.channel.address + " ") { text.removeFirst(mention.channel.address.count + 1) }
        let id = mastodon.mention(from: mention.customer.handle, text: text, inReplyTo: parent(of: mention), at: time.date)
        postIDs.withLock { $0[mention.externalID] = (.mastodon, id) }
        return id
    }

    /// On X: a tweet naming the account, as X's mentions do.
    private func postOnX(_ mention: DemoMention, at time: Timestamp) -> String {
        let id = x.mention(from: mention.customer.handle, text: mention.text, inReplyTo: parent(of: mention), at: time.date)
        postIDs.withLock { $0[mention.externalID] = (.x, id) }
        return id
    }

    /// On Bluesky: a post on the stub PDS (its text names the account, as Bluesky posts do).
    private func postOnBluesky(_ mention: DemoMention, at time: Timestamp) -> String {
        let reference = parent(of: mention).flatMap(bluesky.reference)
        let uri = bluesky.mention(from: mention.customer.handle, text: mention.text, reason: reference == nil ? "mention" : "reply",
                                  replyTo: reference, langs: [mention.language.rawValue], at: time.date)
        postIDs.withLock { $0[mention.externalID] = (.bluesky, uri) }
        return uri
    }

    /// Waits (up to `seconds`) until the connectors have stored every post made on the stubs,
    /// so the summary and the database agree.
    func waitUntilRead(_ service: InboxService, seconds: Double = 15) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let posts = postIDs.withLock { Array($0.values) }
            let stored = (try? service.store.read { reader in
                try posts.allSatisfy { try reader.mentionExists(platform: $0.platform, externalID: $0.id) }
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
        mastodon.stop()
        bluesky.stop()
        x.stop()
    }

    /// Replies the connectors posted on the stubs, all channels.
    var repliesPosted: Int {
        mastodon.posted.filter { !$0.repeated }.count + bluesky.created.filter { !$0.refused }.count + x.posted.filter { !$0.refused }.count
    }

    /// For the summary: posts made on the stubs, and replies the connectors posted there.
    var summary: String {
        let tootReplies = mastodon.posted.filter { !$0.repeated }.count
        let skyReplies = bluesky.created.filter { !$0.refused }.count
        return "mastodon: \(mastodon.mentionCount) customer posts on the demo's instance, \(tootReplies) replies posted there by its connector (\(mastodon.baseURL))\n"
            + "bluesky: \(bluesky.mentionCount) customer posts on the demo's PDS, \(skyReplies) replies posted there by its connector (\(bluesky.baseURL))\n"
            + "x: \(x.mentionCount) customer posts on the demo's X API, \(x.posted.filter { !$0.refused }.count) replies posted there by its connector (\(x.baseURL))"
    }
}
