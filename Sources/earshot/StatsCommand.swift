import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Reply latency and SLA figures from the event log, with the live load beside them.",
        discussion: """
            Per group: first response time and reply time (n, p50, p90, p99, max; exact nearest-rank \
            percentiles), resolution time, SLA attainment, replies sent, conversations resolved. Waits are \
            counted by when they began, replies and resolves by when they happened. See docs/metrics.md.
            """)
    @Option(help: ArgumentHelp("Only waits that began at or after this time (ISO 8601, or 7d for 7 days ago).", valueName: "time"))
    var since: TimeArgument?
    @Option(help: ArgumentHelp("Only waits that began before this time.", valueName: "time")) var until: TimeArgument?
    @Option(help: "responder, channel, hour or day.") var by: String = "responder"
    @Option(help: "table, csv or json.") var format: String = "table"
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard StatsGrouping(rawValue: by) != nil else { throw ValidationError("--by must be responder, channel, hour or day") }
        guard ["table", "csv", "json"].contains(format) else { throw ValidationError("--format must be table, csv or json") }
    }

    func run() throws {
        let api = try options.api()
        let now = SystemClock().now()
        // For stats a bare delay means "that long ago".
        func moment(_ argument: TimeArgument?) -> Timestamp? {
            guard let argument else { return nil }
            if case let .relative(seconds) = argument.value { return now.adding(seconds: -seconds) }
            return argument.resolve(now: now)
        }
        let report = try api.send(Inbox.Stats(by: StatsGrouping(rawValue: by) ?? .responder, since: moment(since), until: moment(until)))
        switch format {
        case "csv": print(StatsFormatter.csv(report), terminator: "")
        case "json": print(SafeOutput.json(StatsFormatter.json(report)))
        default: print(StatsFormatter.table(report, now: now), terminator: "")
        }
    }
}
