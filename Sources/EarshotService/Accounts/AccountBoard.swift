import EarshotCore
import Synchronization

/// How a live account is doing, as `earshot account list` and the supervisor pane show it.
public struct AccountStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Not read yet (the daemon is starting it).
        case starting
        /// Reading by polling alone (`streaming = false`, or between streams).
        case polling
        /// Following the platform's stream; polling catches up after each reconnect.
        case streaming
        /// Waiting after a fault (rate limit, 5xx, timeout) until `until`.
        case backingOff = "backing_off"
        /// The platform refused the token; nothing is read until it is replaced and the daemon restarted.
        case tokenRejected = "token_rejected"
        /// Not running: no daemon reads it, or its setup failed (`lastError` says why).
        case stopped
        /// Another daemon sharing the database reads it; this one takes over if that one stops.
        case standby
    }

    public var name: String
    public var platform: Platform
    /// The channel its mentions belong to (`acme@mastodon.social`), once known.
    public var channel: String?
    public var state: State
    /// Since when it is in this state.
    public var since: Timestamp
    /// `backingOff`: until when.
    public var until: Timestamp?
    /// The newest mention read.
    public var lastMentionAt: Timestamp?
    public var lastError: String?
    /// X: the month's reads against the configured budget (`1234 of 10000 posts read this month`).
    public var budget: String?

    public init(name: String, platform: Platform, state: State, since: Timestamp) {
        self.name = name
        self.platform = platform
        self.state = state
        self.since = since
    }

    /// Whether a supervisor needs to look at it.
    public var isHealthy: Bool { state == .polling || state == .streaming || state == .starting || state == .standby }

    /// The state as a person reads it: `backing off until 2026-12-05T10:00:00.000Z`.
    public var stateText: String {
        switch state {
        case .backingOff: "backing off" + (until.map { " until \($0.iso8601)" } ?? "")
        case .tokenRejected: "token rejected since \(since.iso8601)"
        case .starting, .polling, .streaming, .stopped: state.rawValue
        case .standby: "standby (another daemon reads it)"
        }
    }
}

/// The live accounts' states, written by their connectors, read by requests.
public final class AccountBoard: Sendable {
    private let statuses = Mutex<[String: AccountStatus]>([:])

    public init() {}

    /// Changes one account's status (creating it when new).
    public func update(_ name: String, platform: Platform, at now: Timestamp, _ change: (inout AccountStatus) -> Void) {
        statuses.withLock { all in
            var status = all[name] ?? AccountStatus(name: name, platform: platform, state: .starting, since: now)
            let before = status.state
            change(&status)
            if status.state != before { status.since = now }
            if status.state != .backingOff { status.until = nil }
            all[name] = status
        }
    }

    /// Every account, by name.
    public func all() -> [AccountStatus] { statuses.withLock { Array($0.values) }.sorted { $0.name < $1.name } }
}
