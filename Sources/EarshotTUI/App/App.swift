import EarshotCore
import EarshotService
import Foundation

/// The loop: terminal events and clock ticks become messages, the model reduces them, the
/// runner performs the effects, the view is drawn and only changed cells are presented.
public final class App {
    let terminal: any Terminal
    public var model: AppModel
    let runner: EffectRunner
    let clock: any Clock
    /// Milliseconds between ticks (event polling, draft saves, message expiry).
    public var tickInterval: Int64 = 250
    private var lastTick: Int64 = 0

    public init(terminal: any Terminal, model: AppModel, runner: EffectRunner, clock: any Clock) {
        self.terminal = terminal
        self.model = model
        self.runner = runner
        self.clock = clock
    }

    /// Runs until the responder quits or the terminal goes away.
    public func run() {
        start()
        while !model.state.quitting {
            step(waiting: Int(tickInterval))
        }
        terminal.shutdown()
    }

    /// First reads and the first frame.
    public func start() {
        let size = terminal.size
        model.state.width = size.width
        model.state.height = size.height
        model.state.now = clock.now()
        model.state.connection = runner.connection
        process(model.start())
        lastTick = clock.now().millisecondsSinceEpoch
        render()
    }

    /// One turn: an event (or none within `waiting` ms), a tick when due, a frame.
    public func step(waiting: Int) {
        if let event = terminal.nextEvent(timeout: waiting) { dispatch(.terminal(event)) }
        if terminal.isClosed {
            hangUp()
            return
        }
        let now = clock.now()
        if now.millisecondsSinceEpoch - lastTick >= tickInterval {
            lastTick = now.millisecondsSinceEpoch
            dispatch(.tick(now))
            for message in runner.maintain() { dispatch(message) }
        }
        render()
    }

    /// Nobody is there any more: keep what was typed and end, without asking (no one could
    /// answer). Leaving closes the daemon connection, and with it this responder's presence.
    private func hangUp() {
        process(model.draftSaveOnLeave())
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
            default: for message in runner.run(effect) { dispatch(message) }
            }
        }
    }

    private func render() {
        guard !model.state.quitting else { return }
        terminal.present(AppView.render(model.state, keymap: model.keymap))
    }
}
