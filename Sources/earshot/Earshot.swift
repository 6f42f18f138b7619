import ArgumentParser
import EarshotTUI
import Foundation

@main
struct Earshot: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "earshot",
        abstract: "A terminal customer-care inbox for teams answering social-media mentions.",
        discussion: """
            Responders run earshot on one shared box to answer the mentions their company gets.
            Data lives in one SQLite database: --db, then EARSHOT_DB, then
            $XDG_DATA_HOME/earshot/earshot.sqlite.
            """,
        version: "earshot \(version) (\(NcursesLibrary.version))",
        subcommands: [
            DatabaseCommand.self, IngestCommand.self, QueueCommand.self, ClaimCommand.self, AssignCommand.self,
            ReleaseCommand.self, ResolveCommand.self, ReopenCommand.self, SnoozeCommand.self, PriorityCommand.self, ClassCommand.self,
            LabelCommand.self, NoteCommand.self, RouteCommand.self, TickCommand.self, StatsCommand.self, ForecastCommand.self, WaveCommand.self, ResponderCommand.self,
            ServeCommand.self, WatchCommand.self, DraftCommand.self, ReplyCommand.self, OutboxCommand.self,
            LengthCommand.self, SampleDeliverCommand.self, DemoCommand.self, TUICommand.self, CannedCommand.self, AccountCommand.self,
        ],
        defaultSubcommand: TUICommand.self
    )

    /// ArgumentParser's own `main`, but a failure's message goes out through ``SafeOutput``:
    /// it can quote a label, a responder's name or the daemon's words. Help, version and
    /// completion scripts (successes) are printed as ArgumentParser prints them.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { SafeOutput.error(message) }
            Foundation.exit(code.rawValue)
        }
    }
}
