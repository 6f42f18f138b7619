import EarshotCore
import EarshotService
import ServiceLifecycle

/// The daemon's live accounts: one service per `[[account]]`, their replies routed to them by
/// the deliverer, and the HTTP client they share (shut down after the last of them).
public struct LiveAccounts: Sendable {
    public let services: [any Service]

    public init(config: EarshotConfig, service: InboxService, deliverer: OutboxDeliverer, log: @escaping @Sendable (String) -> Void) {
        guard !config.accounts.isEmpty else {
            services = []
            return
        }
        let http = PlatformHTTP()
        var services: [any Service] = [HTTPClientService(http: http)]
        for settings in config.accounts where settings.platform == .mastodon {
            services.append(MastodonAccount(settings: settings, service: service, http: http, log: log) { account, channel in
                deliverer.register(account, platform: .mastodon, channel: channel)
            })
        }
        self.services = services
    }
}

/// Keeps the accounts' HTTP client until the daemon shuts down; listed before the accounts, so
/// it is shut down after them.
struct HTTPClientService: Service {
    let http: PlatformHTTP

    func run() async throws {
        try? await gracefulShutdown()
        await http.shutdown()
    }
}
