import EarshotCore
import EarshotService
import Foundation
import ServiceLifecycle
import Synchronization

/// What every live account shares, whatever its platform: its state on the board, its log,
/// the rate-limit wait, backoff, stopping itself, and running as a service of the daemon on
/// the accounts' own executor. The platform's account (`MastodonAccount`, `BlueskyAccount`)
/// holds one and says only what is the platform's own.
final class AccountRuntime: Sendable {
    let settings: AccountSettings
    let board: AccountBoard
    let log: @Sendable (String) -> Void
    /// What is news but no trouble (the account started reading).
    let note: @Sendable (String) -> Void
    /// Wall time: rate-limit resets and backoffs are real seconds, whatever clock the inbox runs on.
    let clock: any Clock = SystemClock()
    /// No request before this (a rate limit's reset).
    private let notBefore = Mutex<Timestamp?>(nil)

    /// Ends the account's reading for good (a rejected credential, an unusable setup).
    struct Stopped: Error {}
    /// A fault worth a backoff: the platform's answer was not what it should be.
    struct Fault: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    init(settings: AccountSettings, board: AccountBoard, log: @escaping @Sendable (String) -> Void, note: (@Sendable (String) -> Void)?) {
        self.settings = settings
        self.board = board
        self.log = { message in log("account \(settings.name): \(message)") }
        let note = note ?? log
        self.note = { message in note("account \(settings.name): \(message)") }
        board.update(settings.name, platform: settings.platform, at: clock.now()) { _ in }
    }

    /// Runs `read` as the account's service body: on the accounts' executor, until the
    /// daemon shuts down. An account that stops itself waits for the shutdown instead of
    /// ending the daemon's group.
    func serve(_ read: @escaping @Sendable () async throws -> Void) async {
        await withTaskExecutorPreference(AccountExecutor.shared) {
            do {
                try await cancelWhenGracefulShutdown { try await read() }
            } catch is Stopped {
                try? await gracefulShutdown()
            } catch {
                if !(Task.isCancelled || Task.isShuttingDownGracefully) {
                    // Unforeseen: the account stops, visibly; the daemon goes on.
                    setState(.stopped, error: "\(error)")
                    log("stopped: \(error)")
                    try? await gracefulShutdown()
                }
            }
            setState(isTokenRejected ? .tokenRejected : .stopped)
        }
    }

    /// What to say of an error worth a backoff; rethrows what ends the reading (a stop,
    /// the daemon shutting down). A store error (the database busy or full) backs off too:
    /// nothing was stored, the cursor did not move, the next try reads the same page.
    static func fault(_ error: any Error) throws -> String {
        if error is Stopped || error is CancellationError || Task.isCancelled { throw error }
        switch error {
        case let error as TransportFault: return error.description
        case let error as Fault: return error.description
        default: return PlatformHTTP.reason(error)
        }
    }

    /// Holds every request of the account until `wait` (a rate limit's reset).
    func limit(until wait: Timestamp, refused: Bool) {
        notBefore.withLock { $0 = max($0 ?? wait, wait) }
        if refused { log("rate limited (HTTP 429): no request before \(wait.iso8601)") }
    }

    /// When the account may ask again, if a rate limit holds it now.
    var limitedUntil: Timestamp? {
        guard let until = notBefore.withLock({ $0 }), until > clock.now() else { return nil }
        return until
    }

    func waitForRateLimit() async throws {
        while let until = notBefore.withLock({ $0 }) {
            let now = clock.now()
            if until <= now {
                notBefore.withLock { if $0 == until { $0 = nil } }
                return
            }
            setState(.backingOff, until: until, error: "rate limited until \(until.iso8601)")
            try await Task.sleep(for: .milliseconds(until.millisecondsSinceEpoch - now.millisecondsSinceEpoch))
        }
    }

    func backOff(_ backoff: inout Backoff, _ problem: String) async throws {
        let seconds = backoff.next()
        let until = clock.now().adding(milliseconds: Int64(seconds * 1000))
        setState(.backingOff, until: until, error: problem)
        log("\(problem); trying again in \(String(format: "%.1f", seconds)) s")
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }

    /// The platform refused the account's credential: reading stops, visibly, with what to do.
    func credentialRejected(_ message: String, fix: String) throws -> Never {
        setState(.tokenRejected, error: message)
        log("the platform rejected the credential (\(message)): reading stops; \(fix)")
        throw Stopped()
    }

    func setState(_ state: AccountStatus.State, until: Timestamp? = nil, error: String? = nil) {
        board.update(settings.name, platform: settings.platform, at: clock.now()) { status in
            // A rejected credential stays rejected until the daemon restarts.
            guard status.state != .tokenRejected else { return }
            status.state = state
            status.until = until
            if let error { status.lastError = error }
        }
    }

    var isTokenRejected: Bool { board.all().first { $0.name == settings.name }?.state == .tokenRejected }

    func noteChannel(_ channel: String) {
        board.update(settings.name, platform: settings.platform, at: clock.now()) { $0.channel = channel }
    }

    func noteMention(at newest: Timestamp) {
        board.update(settings.name, platform: settings.platform, at: clock.now()) { status in
            status.lastMentionAt = max(status.lastMentionAt ?? newest, newest)
        }
    }

    /// Waits up to `seconds`, or until `early` says to go on.
    func pause(seconds: Int, unless early: () -> Bool) async throws {
        let deadline = clock.now().adding(seconds: Int64(seconds))
        while clock.now() < deadline {
            if early() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The deliverer's thread waits here for an async post (within the HTTP client's timeouts).
    static func blocking(_ post: @escaping @Sendable () async -> DeliveryOutcome) -> DeliveryOutcome {
        let result = Mutex<DeliveryOutcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: AccountExecutor.shared) {
            let outcome = await post()
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return result.withLock { $0 } ?? .failed("the post did not finish")
    }
}
