import ArgumentParser
import EarshotCore
import EarshotService
import EarshotTUI
import Foundation

/// The inbox in the terminal: what `earshot` runs when given no subcommand.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Work the inbox in the terminal (the default when earshot is run without a subcommand).",
        discussion: """
            Talks to the team's daemon when a socket is configured or present (and says so when it is \
            down), else runs the service in this process on your own database (single-user mode, which \
            also delivers your replies). ? shows the keys; \
            keys can be rebound in $XDG_CONFIG_HOME/earshot/keys.toml (docs/keys.md).
            """)
    @OptionGroup var options: ServiceOptions

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CommandFailure("the inbox needs a terminal; for scripts use the subcommands (earshot --help)")
        }
        let environment = ProcessInfo.processInfo.environment
        let api = try options.api()
        let runner: EffectRunner
        var deliverer: OutboxDeliverer?
        if let remote = api as? RemoteInbox {
            let socket = options.daemonSocket
            runner = EffectRunner(api: remote, socketPath: socket.path) {
                // Checked again each time: whoever answers after a restart must still be the daemon.
                let connection = try DaemonConnection(path: socket.path, trust: try SocketTrust.forClient(socket))
                return RemoteInbox(connection: connection)
            }
        } else {
            runner = EffectRunner(api: api)
            if let local = api as? LocalInbox {
                deliverer = OutboxDeliverer(service: local.service, log: { _ in })  // never onto the screen it draws
                deliverer?.start()
            }
        }
        // Refused before the screen is taken, so the message can be read.
        let summary = try api.send(Inbox.Summary())
        let (keymap, problems) = KeymapLoader.load(environment: environment)
        let terminal = try NcursesTerminal()
        var model = AppModel(login: summary.me.login, keymap: keymap, size: terminal.size)
        model.state.summary = summary
        model.state.now = summary.now
        model.canned = CannedReplies.load(directories: CannedReplies.directories(environment: environment))
        if let first = problems.first {
            model.state.message = StatusMessage(
                text: "\(first)" + (problems.count > 1 ? " (+\(problems.count - 1) more, printed on exit)" : ""),
                isError: true, until: SystemClock().now().adding(seconds: 10))
        }
        let app = App(terminal: terminal, model: model, runner: runner, clock: SystemClock())
        app.run()
        deliverer?.stop()
        for problem in problems { SafeOutput.error("earshot: \(problem)") }
    }
}
