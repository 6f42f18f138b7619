import EarshotCore
import EarshotService
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
        accounts = config.accounts.compactMap { configured -> (any Service)? in
            var settings = configured
            settings.stateDirectory = stateDirectory
            switch settings.platform {
            case .mastodon:
                return MastodonAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .mastodon, channel: channel)
                }
            case .bluesky:
                return BlueskyAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .bluesky, channel: channel)
                }
            case .x:
                return XAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                    deliverer.register(account, platform: .x, channel: channel)
                }
            default:
                return nil
            }
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
