import EarshotCore
import EarshotService
import EarshotStore
import ServiceLifecycle

/// The daemon's live accounts: one service per `[[account]]`, their replies routed to them by
/// the deliverer, and the HTTP client they share.
public struct LiveAccounts: Sendable {
    /// The accounts' shared HTTP client: first in the group, so it is shut down last, after
    /// delivery has finished the reply it was posting.
    public let client: [any Service]
    /// One per account: after the clock, before the socket server.
    public let accounts: [any Service]

    /// `stateDirectory`: where a Bluesky session is kept between runs (beside the database).
    public init(
        config: EarshotConfig, service: InboxService, deliverer: OutboxDeliverer, stateDirectory: String?,
        log: @escaping @Sendable (String) -> Void
    ) {
        guard !config.accounts.isEmpty else {
            (client, accounts) = ([], [])
            return
        }
        let http = PlatformHTTP()
        client = [HTTPClientService(http: http)]
        deliverer.reserve(accounts: config.accounts.map(\.name))
        accounts = config.accounts.compactMap { configured -> (any Service)? in
            var settings = configured
            settings.stateDirectory = stateDirectory
            let account: (any Service)? = switch settings.platform {
            case .mastodon:
                MastodonAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .mastodon, channel: channel)
                }
            case .bluesky:
                BlueskyAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .bluesky, channel: channel)
                }
            case .x:
                XAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .x, channel: channel)
                }
            default:
                nil
            }
            return account.map {
                LeasedAccount(account: $0, name: configured.name, platform: configured.platform, service: service, log: log)
            }
        }
    }
}

/// Runs an account only while this daemon holds its lease, so that of several daemons sharing
/// a database exactly one reads and posts for it; the others try again every few seconds and
/// take over once the holder is gone (docs/scale-out.md). A lease lost with its connection (the
/// database restarted) stops the account until it is held again.
struct LeasedAccount: Service {
    let account: any Service
    let name: String
    let platform: Platform
    let service: InboxService
    let log: @Sendable (String) -> Void
    var store: any InboxStore { service.store }
    var retry: Duration = .seconds(5)

    func run() async throws {
        var waiting = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if let lease = try? store.tryLease("account:" + name) {
                if waiting { log("account \(name): taken over from the daemon that read it") }
                defer { lease.release() }
                let lost = try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask { try await account.run(); return false }
                    group.addTask {
                        while lease.isHeld && !Task.isCancelled { try? await Task.sleep(for: retry) }
                        return !Task.isCancelled
                    }
                    let first = try await group.next() ?? false
                    group.cancelAll()
                    return first
                }
                guard lost else { return }
                log("account \(name): its lease was lost with the database connection; stopped until it is held again")
                waiting = true
                continue
            }
            if !waiting {
                log("account \(name): another daemon reads it; this one takes over if that one stops")
                service.accounts.update(name, platform: platform, at: service.clock.now()) { status in
                    status.state = .standby
                    status.since = service.clock.now()
                }
            }
            waiting = true
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: retry) }
        }
    }
}

/// Keeps the accounts' HTTP client until the daemon shuts down; listed first, so it is shut
/// down after everything that posts or reads with it.
struct HTTPClientService: Service {
    let http: PlatformHTTP

    func run() async throws {
        try? await gracefulShutdown()
        await http.shutdown()
    }
}
