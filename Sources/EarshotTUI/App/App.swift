import EarshotCore
import EarshotService
import Foundation

/// The loop: terminal events and clock ticks become messages, the model reduces them, the
/// effect queue performs the effects off the loop (their answers come back as messages), the
/// view is drawn and only changed cells are presented. A key never waits for I/O.
public final class App {
    let terminal: any Terminal
    public var model: AppModel
    let effects: EffectQueue
    /// How the runner reached the inbox when the app began (in-process or the daemon).
    private let initialConnection: ConnectionState
    let clock: any Clock
    /// Milliseconds between ticks (event polling, draft saves, message expiry).
    public var tickInterval: Int64 = 250
    private var lastTick: Int64 = 0

    public init(terminal: any Terminal, model: AppModel, runner: sending EffectRunner, clock: any Clock) {
        self.terminal = terminal
        self.model = model
        initialConnection = runner.connection
        effects = EffectQueue(runner: runner)
        self.clock = clock
    }

    /// Runs until the responder quits or the terminal goes away.
    public func run() {
        start()
        while !model.state.quitting {
            step(waiting: Int(tickInterval))
        }
        // What was asked last (a draft saved on leaving) reaches the inbox before we go.
        effects.waitUntilIdle()
        effects.stop()
        terminal.shutdown()
    }

    /// First reads and the first frame.
    public func start() {
        let size = terminal.size
        model.state.width = size.width
        model.state.height = size.height
        model.state.now = clock.now()
        model.state.connection = initialConnection
        process(model.start())
        lastTick = clock.now().millisecondsSinceEpoch
        render()
    }

    /// One turn: an event (or none within `waiting` ms), a tick when due, a frame.
    public func step(waiting: Int) {
        if effects.holdsKeys {
            // The next key acts on an answer still out (a view loading): it waits in the
            // terminal's input buffer, in order, while the answer is awaited.
            effects.waitForAnswer(milliseconds: min(waiting, 10))
        } else {
            // While effects are out, look for their answers often; else wait for a key, through
            // the daemon not longer than a pushed event may wait to be drawn.
            let pushed = if case .daemon = model.state.connection { true } else { false }
            let wait = effects.isBusy ? min(waiting, 10) : (pushed ? min(waiting, 30) : waiting)
            if let event = terminal.nextEvent(timeout: wait) { dispatch(.terminal(event)) }
        }
        if terminal.isClosed {
            hangUp()
            return
        }
        let now = clock.now()
        if now.millisecondsSinceEpoch - lastTick >= tickInterval {
            lastTick = now.millisecondsSinceEpoch
            dispatch(.tick(now))
            effects.maintain()
        }
        for message in effects.takeCompleted() { dispatch(message) }
        render()
    }

    /// Whether effects are out (the loop then waits at most 10 ms for a key, else 30 ms).
    public var hasEffectsOut: Bool { effects.isBusy }

    /// Waits for every effect asked for so far and applies its answers, then draws (tests and
    /// benchmarks, which look at the screen once the answers are in).
    public func settle() {
        while true {
            effects.waitUntilIdle()
            // The effects an answer asks for may all be done before we look again: their answers
            // wait in the queue, so "not busy" alone is not "settled".
            let answers = effects.takeCompleted()
            if answers.isEmpty && !effects.isBusy { break }
            for message in answers { dispatch(message) }
        }
        render()
    }

    /// Nobody is there any more: keep what was typed and end, without asking (no one could
    /// answer). Leaving closes the daemon connection, and with it this responder's presence.
    private func hangUp() {
        process(model.draftSaveOnLeave())
        effects.waitUntilIdle()
        model.state.quitting = true
    }

    public func dispatch(_ message: AppMessage) {
        process(model.handle(message))
    }

    private func process(_ effects: [AppEffect]) {
        for effect in effects {
            switch effect {
            case .redraw: terminal.forceRedraw()
            case .bell: terminal.bell()
            case .suspend: terminal.suspend { _ = raise(SIGTSTP) }
            case .quit: model.state.quitting = true
            default: self.effects.submit(effect)
            }
        }
    }

    private func render() {
        guard !model.state.quitting else { return }
        terminal.present(AppView.render(model.state, keymap: model.keymap))
    }
}
