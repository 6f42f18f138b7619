@testable import EarshotAccounts
import EarshotCore
import EarshotService
import EarshotStore
import Foundation
import GRDB
import Logging
import ServiceLifecycle
import Testing

/// What the live-account fixtures share: running an account as the daemon does, waiting for
/// what it stores, and answering a customer as a responder would.
protocol LiveInbox: Sendable {
    var store: SQLiteInboxStore { get }
    var service: InboxService { get }
    var deliverer: OutboxDeliverer { get }
    var requestTimeout: Int64 { get }
    var platform: Platform { get }
    var accountName: String { get }
}

extension LiveInbox {
    /// Runs the account `make` builds (and the deliverer) while `body` runs, then shuts them
    /// down as SIGTERM would. All of it on the accounts' own executor: the other suites'
    /// synchronous tests may hold Swift's cooperative pool (two threads here) for a minute.
    func runLive<Account: Service>(
        _ make: @Sendable (PlatformHTTP) -> Account, _ body: @Sendable (Account) async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(AccountExecutor.shared) {
            let http = PlatformHTTP(requestTimeout: .seconds(requestTimeout), streamSilence: .seconds(3))
            let account = make(http)
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

    func cursor() throws -> String? { try store.read { try $0.accountCursor(accountName) } }

    var status: AccountStatus? { service.accounts.all().first }

    /// Waits until the customer's post is stored, claims its conversation as dana and sends `text`.
    func reply(to id: String, _ text: String) async throws -> Reply {
        #expect(try await eventually { try mentionRows().contains(id) })
        let mention = try #require(try store.read { try $0.mention(platform: platform, externalID: id) })
        _ = try service.claim(mention.conversationID, by: "dana")
        return try service.sendReply(mention.conversationID, text: text, basedOn: nil, confirmed: true, by: "dana")
    }

    func reply(_ id: ReplyID) throws -> Reply { try service.reply(id, by: "dana") }

    /// A fresh inbox with dana, a supervisor, and no undo window.
    static func inbox(at path: String, command: [String] = []) throws -> (SQLiteInboxStore, InboxService) {
        let store = try SQLiteInboxStore(path: path)
        var service = InboxService(store: store, clock: SystemClock())
        service.delivery.command = command
        service.policy.routing = .manual
        service.delivery.undoSeconds = 0
        service.delivery.retryBaseSeconds = 1
        try service.addResponder(
            NewResponder(login: "dana", displayName: "Dana", initials: "DA", role: .supervisor, availability: .available, capacity: 50),
            by: "admin")
        return (store, service)
    }
}
