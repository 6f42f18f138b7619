import ArgumentParser
import EarshotAccounts
import EarshotCore
import EarshotService
import Foundation
import Synchronization

struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "The live platform accounts the daemon reads and posts for (docs/accounts.md).",
        subcommands: [AccountList.self, AccountCheckCommand.self],
        defaultSubcommand: AccountList.self)
}

struct AccountList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Each account: platform, channel, state, last mention seen, last error.")
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConfigLoader.load(files: ConfigLoader.files(environment: environment, userFile: options.store.paths.configFile))
        let running = try options.api().send(Inbox.ListAccounts())
        var rows = running
        // Configured here but not read by the daemon answering (none runs, or it was started before the account was added).
        for account in config.accounts where !running.contains(where: { $0.name == account.name }) {
            var status = AccountStatus(name: account.name, platform: account.platform, state: .stopped, since: SystemClock().now())
            status.lastError = "no daemon reads it: start `earshot serve` with this config"
            rows.append(status)
        }
        if rows.isEmpty {
            print("no accounts: add an [[account]] to config.toml (docs/accounts.md)")
            return
        }
        print(["NAME", "PLATFORM", "CHANNEL", "STATE", "LAST MENTION", "LAST ERROR", "READ BUDGET"].joined(separator: "\t"))
        for row in rows.sorted(by: { $0.name < $1.name }) {
            print([
                row.name, row.platform.rawValue, row.channel.map { "@" + $0 } ?? "-", row.stateText,
                row.lastMentionAt?.iso8601 ?? "-", row.lastError.map(SafeOutput.field) ?? "-", row.budget ?? "-",
            ].joined(separator: "\t"))
        }
    }
}

struct AccountCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Ask the platform whose the account's token is and what it may do.")
    @Argument(help: "The account's name in config.toml.") var name: String
    @OptionGroup var store: StoreOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = try ConfigLoader.load(files: ConfigLoader.files(environment: environment, userFile: store.paths.configFile))
        guard let settings = config.accounts.first(where: { $0.name == name }) else {
            let known = config.accounts.map(\.name)
            throw CommandFailure("no account \"\(name)\" in config.toml; " + (known.isEmpty ? "add an [[account]] (docs/accounts.md)" : "known: \(known.joined(separator: ", "))"))
        }
        let outcome = Mutex<Result<AccountCheck.Report, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let result: Result<AccountCheck.Report, any Error>
            do { result = .success(try await AccountCheck.run(settings)) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        switch outcome.withLock({ $0 }) {
        case let .success(report)?:
            print("\(settings.name): @\(report.handle) on \(settings.url)")
            if settings.platform == .x {
                print(report.scopes?.first.map { "signed with \($0)" } ?? "signed with an OAuth 2.0 user token (tweet.read tweet.write users.read offline.access)")
            } else if settings.platform == .bluesky {
                print("signed in with an app password (it may do what the account may, except account settings)")
            } else {
                print("scopes: " + (report.scopes.map { $0.joined(separator: " ") } ?? "not reported by this instance"))
            }
        case let .failure(error)?:
            throw CommandFailure("\(error)")
        case nil:
            throw CommandFailure("the check did not finish")
        }
    }
}
