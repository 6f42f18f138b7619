import EarshotCore
import Foundation
import Synchronization

/// Delivers the outbox on a thread of its own, one reply at a time, so a slow platform
/// never holds up a claim or an ingest. Runs inside the daemon, and inside a single-user
/// TUI or demo; `deliverDue()` is the same work done once, for `earshot outbox deliver`.
public final class OutboxDeliverer: Sendable {
    public let service: InboxService
    let command: DeliveryCommand?
    let log: @Sendable (String) -> Void
    /// `stopped` asks the delivery thread to leave its loop; it sets `finished` when it has
    /// (nothing is in flight any more).
    private let state = Mutex((stopped: false, finished: false))
    /// Signalled to look at the outbox before the sleep is over (a reply queued, or stop).
    private let wakeup = DispatchSemaphore(value: 0)
    /// Live accounts that post their channel's replies themselves, by platform and channel.
    private let posters = Mutex<[String: any ReplyPoster]>([:])
    /// The longest sleep between looks: replies queued by another process (a single-user
    /// CLI beside a TUI) are noticed within this.
    public let maximumSleep: Duration = .milliseconds(500)

    public init(service: InboxService, log: @escaping @Sendable (String) -> Void) {
        self.service = service
        let argv = service.delivery.command
        command = argv.isEmpty ? nil : DeliveryCommand(argv: argv, timeout: .seconds(service.delivery.timeoutSeconds))
        self.log = log
    }

    /// From now on replies on `channel` of `platform` are posted by `poster`, not the command.
    public func register(_ poster: any ReplyPoster, platform: Platform, channel: String) {
        posters.withLock { $0[Self.key(platform.rawValue, channel)] = poster }
    }

    private static func key(_ platform: String, _ channel: String) -> String { platform + ":" + channel.lowercased() }

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
        Thread.detachNewThread { [self] in loop() }
    }

    /// Looks at the outbox now (a reply was just queued or retried).
    public func wake() { wakeup.signal() }

    public func stop() {
        state.withLock { $0.stopped = true }
        wakeup.signal()
    }

    /// Delivers every reply that is due now; returns how many attempts ran.
    @discardableResult
    public func deliverDue() throws -> Int {
        guard canDeliver else { return 0 }
        var attempts = 0
        while !isStopped, let request = try service.beginNextDelivery() {
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

    /// Stops, then waits for the reply in flight (if any) to be delivered and recorded.
    public func stopAndWait() async {
        stop()
        while !state.withLock({ $0.finished }) {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    private func loop() {
        defer { state.withLock { $0.finished = true } }
        while !isStopped {
            var sleep = maximumSleep
            do {
                try deliverDue()
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
