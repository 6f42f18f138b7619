import EarshotCore
import Foundation
import Synchronization

/// Delivers the outbox off every caller's thread, so a slow platform never holds up a claim or
/// an ingest. Each live account's channel has a lane of its own (a thread, one reply at a
/// time), and everything else goes through the delivery command's lane: one platform's bad
/// day (a post waiting for its timeout) never delays another's replies. Runs inside the
/// daemon, and inside a single-user TUI or demo; `deliverDue()` is the same work done once,
/// in the caller's thread, for `earshot outbox deliver`.
public final class OutboxDeliverer: Sendable {
    public let service: InboxService
    let command: DeliveryCommand?
    let log: @Sendable (String) -> Void

    private struct State {
        var started = false
        var stopped = false
        /// Lanes whose thread has not left its loop yet.
        var running = 0
        /// Each lane's wake-up, by its key (a poster's channel key, or `commandLane`).
        var wakeups: [String: DispatchSemaphore] = [:]
    }
    private let state = Mutex(State())
    /// Live accounts that post their channel's replies themselves, by platform and channel.
    private let posters = Mutex<[String: any ReplyPoster]>([:])
    /// Channel keys whose replies only live accounts post (`reserve`), whichever daemon runs them.
    private let reserved = Mutex<Set<String>>([])
    private let reservedAccounts = Mutex<Set<String>>([])
    /// The longest sleep between looks: replies queued by another process (a single-user
    /// CLI beside a TUI) are noticed within this.
    public let maximumSleep: Duration = .milliseconds(500)
    private static let commandLane = "(command)"
    /// How often the command lane looks for replies a stopped daemon left in flight.
    public let recoverySeconds: Double = 10

    public init(service: InboxService, log: @escaping @Sendable (String) -> Void) {
        self.service = service
        let argv = service.delivery.command
        command = argv.isEmpty ? nil : DeliveryCommand(argv: argv, timeout: .seconds(service.delivery.timeoutSeconds))
        self.log = log
    }

    /// From now on replies on `channel` of `platform` are posted by `poster`, in a lane of their own.
    public func register(_ poster: any ReplyPoster, platform: Platform, channel: String) {
        let key = Self.key(platform.rawValue, channel)
        posters.withLock { $0[key] = poster }
        if state.withLock({ $0.started && !$0.stopped }) { startLane(key) }
    }

    /// A delivery lane's key for a channel: "platform:handle", the handle lowercased.
    public static func key(_ platform: String, _ channel: String) -> String { platform + ":" + channel.lowercased() }

    /// The live accounts configured for this daemon: their channels' replies are posted by the
    /// accounts only. When several daemons share a database, the one holding an account posts
    /// its replies, and the others' command lanes leave them alone instead of sending them
    /// through the command. Which channel an account reads is in the database once it has read
    /// (`accountChannels`), looked up again with each recovery pass.
    public func reserve(accounts names: [String]) {
        reservedAccounts.withLock { $0.formUnion(names) }
        refreshReservedChannels()
    }

    private func refreshReservedChannels() {
        let names = reservedAccounts.withLock { $0 }
        guard !names.isEmpty, let channels = try? service.store.read({ try $0.accountChannels() }) else { return }
        reserved.withLock { $0 = Set(channels.filter { names.contains($0.key) }.values) }
    }

    private var canDeliver: Bool { command != nil || !posters.withLock(\.isEmpty) }

    /// Picks up replies a previous run left in flight, then delivers until `stop()`.
    public func start() {
        if !canDeliver {
            log("no delivery command is configured ([delivery] command in config.toml): sent replies wait in the outbox, except on the channels of live accounts (docs/accounts.md), which post their own")
        }
        do {
            let recovered = try service.recoverInterruptedDeliveries()
            if recovered > 0 { log("\(recovered) replies were in delivery when the last run stopped; delivering them again") }
        } catch {
            log("outbox: \(error)")
        }
        state.withLock { $0.started = true }
        startLane(Self.commandLane)
        for key in posters.withLock({ Array($0.keys) }) { startLane(key) }
    }

    private func startLane(_ key: String) {
        let wakeup = DispatchSemaphore(value: 0)
        let isNew = state.withLock { state -> Bool in
            guard state.wakeups[key] == nil else { return false }
            state.wakeups[key] = wakeup
            state.running += 1
            return true
        }
        guard isNew else { return }
        Thread.detachNewThread { [self] in loop(key, wakeup) }
    }

    /// Looks at the outbox now (a reply was just queued or retried).
    public func wake() {
        for wakeup in state.withLock({ Array($0.wakeups.values) }) { wakeup.signal() }
    }

    public func stop() {
        state.withLock { $0.stopped = true }
        wake()
    }

    /// Delivers every reply that is due now, in the caller's thread; returns how many attempts ran.
    @discardableResult
    public func deliverDue() throws -> Int {
        try deliverDue { _ in true }
    }

    /// The due replies `accepts` takes (by their channel key), one after another.
    private func deliverDue(accepting accepts: @escaping (String) -> Bool) throws -> Int {
        guard canDeliver else { return 0 }
        var attempts = 0
        while !isStopped, let request = try service.beginNextDelivery(where: { accepts(Self.key($0, $1)) }) {
            let outcome = attempt(request)
            let reply = try service.finishDelivery(ReplyID(request.replyID), outcome: outcome)
            attempts += 1
            switch outcome {
            case let .failed(error), let .refused(error), let .later(error, _):
                log("reply \(request.replyID) attempt \(request.attempt) failed (\(reply.state == .failed ? "giving up" : "will retry")): \(error)")
            case .delivered:
                break
            }
        }
        return attempts
    }

    /// One attempt: the channel's live account if it has one, else the delivery command.
    private func attempt(_ request: DeliveryRequest) -> DeliveryOutcome {
        if let poster = posters.withLock({ $0[Self.key(request.platform, request.channel)] }) { return poster.post(request) }
        if let command { return command.run(request) }
        return .later(
            "nothing posts replies on @\(request.channel) (\(request.platform)): add its account to config.toml (docs/accounts.md) or set [delivery] command",
            at: service.clock.now().adding(seconds: 60))
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Stops, then waits for every lane's reply in flight (if any) to be delivered and recorded.
    public func stopAndWait() async {
        stop()
        while state.withLock({ $0.running > 0 }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func loop(_ key: String, _ wakeup: DispatchSemaphore) {
        defer { state.withLock { $0.running -= 1 } }
        // A poster's lane takes its channel's replies; the command's lane every other one.
        let accepts: (String) -> Bool = key == Self.commandLane
            ? { [self] channel in
                posters.withLock { $0[channel] == nil } && !reserved.withLock { $0.contains(channel) }
            }
            : { $0 == key }
        var lastRecovery = Date()
        while !isStopped {
            var sleep = maximumSleep
            do {
                // Replies another daemon sharing the database was delivering when it died.
                if key == Self.commandLane && Date().timeIntervalSince(lastRecovery) >= recoverySeconds {
                    lastRecovery = Date()
                    refreshReservedChannels()
                    let recovered = try service.recoverInterruptedDeliveries()
                    if recovered > 0 { log("\(recovered) replies were in delivery by a daemon that stopped; delivering them again") }
                }
                try deliverDue(accepting: accepts)
                if canDeliver, let next = try service.nextDeliveryTime() {
                    let wait = Duration.milliseconds(next.millisecondsSinceEpoch - service.clock.now().millisecondsSinceEpoch)
                    sleep = max(.milliseconds(10), min(sleep, wait))
                }
            } catch {
                log("outbox: \(error)")
            }
            let seconds = Double(sleep.components.seconds) + Double(sleep.components.attoseconds) / 1e18
            _ = wakeup.wait(timeout: .now() + seconds)
        }
    }
}
