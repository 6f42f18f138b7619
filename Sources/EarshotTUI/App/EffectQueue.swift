import Foundation
import Synchronization

/// Runs the reducer's effects off the key loop, one at a time on a worker thread of its own,
/// and hands back their answers as messages in the order the effects were asked for. A
/// keypress is reduced and drawn at once; what it asked of the daemon or the store (a queue
/// window, a statistics pass for the supervisor pane) arrives as a message when it is done.
///
/// One worker, one order: answers about a conversation come back in the order of the keys
/// that asked for them, and a change is never overtaken by an older read.
final class EffectQueue: Sendable {
    private struct State {
        var pending: [Job] = []
        /// The job the worker is running, if any.
        var running: Job?
        var completed: [AppMessage] = []
        var stopped = false
    }

    private enum Job: Sendable, Equatable {
        case effect(AppEffect)
        /// The runner's reconnect attempt (every tick while the daemon is away).
        case maintain
    }

    /// The runner is only ever used by the worker (and by `settle` callers after it is idle).
    private let runner: Mutex<EffectRunner>
    private let state = Mutex(State())
    private let work = DispatchSemaphore(value: 0)
    /// Signalled each time an effect's answer is in.
    private let answered = DispatchSemaphore(value: 0)

    init(runner: sending EffectRunner) {
        self.runner = Mutex(runner)
        Thread.detachNewThread { [self] in loop() }
    }

    /// Reads asked for again while the same one still waits are asked once: a slow statistics
    /// pass must not pile up a refresh per tick behind it, nor a stream of pushed events a
    /// reload of the window per event (the one waiting reads what they changed).
    /// A reconnect attempt waiting is enough too.
    private static func coalesces(_ job: Job) -> Bool {
        switch job {
        case .maintain, .effect(.pollEvents), .effect(.loadSummary), .effect(.loadSupervisor), .effect(.reportActivity),
             .effect(.loadQueue), .effect(.loadThread), .effect(.loadWaves), .effect(.loadWave):
            true
        default:
            false
        }
    }

    func submit(_ effect: AppEffect) { enqueue(.effect(effect)) }

    func maintain() { enqueue(.maintain) }

    private func enqueue(_ job: Job) {
        let added = state.withLock { state -> Bool in
            if Self.coalesces(job), state.pending.contains(job) { return false }
            state.pending.append(job)
            return true
        }
        if added { work.signal() }
    }

    /// The answers that have arrived since the last call, in order.
    func takeCompleted() -> [AppMessage] {
        state.withLock { state in
            defer { state.completed.removeAll() }
            return state.completed
        }
    }

    /// Whether effects are waiting or running (the loop then looks for answers more often).
    var isBusy: Bool { state.withLock { !$0.pending.isEmpty || $0.running != nil } }

    /// Whether a key typed now must wait for an answer (``AppEffect/holdsKeys``).
    var holdsKeys: Bool {
        state.withLock { state in
            (state.pending + [state.running].compactMap { $0 }).contains { job in
                if case let .effect(effect) = job { return effect.holdsKeys }
                return false
            }
        }
    }

    /// Waits up to `milliseconds` for the next answer.
    func waitForAnswer(milliseconds: Int) {
        _ = answered.wait(timeout: .now() + .milliseconds(milliseconds))
    }

    /// Waits until every effect asked for so far has run (tests, and leaving: a draft being
    /// saved must reach the store before the process ends).
    func waitUntilIdle() {
        while isBusy { waitForAnswer(milliseconds: 10) }
    }

    func stop() {
        state.withLock { $0.stopped = true }
        work.signal()
    }

    private func loop() {
        while true {
            // Between jobs, and every 20 ms when idle, it looks for what the daemon pushed (an
            // event: someone else's claim), so another client's change reaches the screen
            // without a round trip, however busy the queue is.
            // In-process nothing is pushed: the worker sleeps until there is work.
            if runner.withLock({ $0.receivesPushes }) {
                _ = work.wait(timeout: .now() + .milliseconds(20))
            } else {
                work.wait()
            }
            if state.withLock({ $0.stopped }) { return }
            takePushedWhenDue()
            while let job = next() {
                defer { takePushedWhenDue() }
                let messages = runner.withLock { runner in
                    switch job {
                    case let .effect(effect): runner.run(effect)
                    case .maintain: runner.maintain()
                    }
                }
                state.withLock { state in
                    state.completed += messages
                    state.running = nil
                }
                answered.signal()
            }
        }
    }

    /// When the worker last asked for pushed events: at most every 50 ms, so a stream of events
    /// (200 mentions a second) is applied in batches, each one reload of the window, instead of
    /// a reload per event that would keep the daemon busy for one screen.
    private let lastPushPoll = Mutex<UInt64>(0)

    private func takePushedWhenDue() {
        let now = DispatchTime.now().uptimeNanoseconds
        guard lastPushPoll.withLock({ now - $0 >= 50_000_000 }), runner.withLock({ $0.hasPushed }) else { return }
        lastPushPoll.withLock { $0 = now }
        enqueue(.effect(.pollEvents))
    }

    private func next() -> Job? {
        state.withLock { state in
            guard !state.pending.isEmpty else { return nil }
            let job = state.pending.removeFirst()
            state.running = job
            return job
        }
    }
}
