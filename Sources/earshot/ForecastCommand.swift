import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Responders needed per hour for the coming days, from the team's own history.",
        discussion: """
            Arrivals come from the same hour of the week over the last weeks, scaled by their trend; the \
            handling time from claim-to-reply times and replies per conversation; the responders needed to \
            answer the service level within the SLA target from Erlang C, checked by a simulation. Hours \
            the responders available now cannot cover are marked. The backtest forecasts last week from \
            the weeks before it. See docs/forecast.md.
            """)
    @Option(help: ArgumentHelp("Days ahead, from the current hour (1 to 28).", valueName: "n")) var days = 7
    @Option(help: ArgumentHelp("Weeks of history to learn from, at most (1 to 52).", valueName: "n")) var weeks = 8
    @Option(help: ArgumentHelp("Share of conversations to answer within the target, in percent (50 to 99).", valueName: "pct"))
    var serviceLevel: Double = 80
    @Option(help: ArgumentHelp("The target (30m, 1h; default: normal priority's first-response target).", valueName: "time"))
    var target: TimeArgument?
    @Option(help: "table, csv or json.") var format: String = "table"
    @OptionGroup var options: ServiceOptions

    var forecastOptions: ForecastOptions {
        var seconds: Double?
        if case let .relative(value) = target?.value { seconds = Double(value) }
        return ForecastOptions(days: days, weeks: weeks, serviceLevel: serviceLevel / 100, targetSeconds: seconds)
    }

    func validate() throws {
        guard ["table", "csv", "json"].contains(format) else { throw ValidationError("--format must be table, csv or json") }
        if let target, case .absolute = target.value { throw ValidationError("--target is a length of time, like 30m or 2h, not a date") }
        if let problem = forecastOptions.problem { throw ValidationError(problem) }
    }

    func run() throws {
        let forecast = try options.api().send(Inbox.Forecast(forecastOptions))
        switch format {
        case "csv": print(ForecastFormatter.csv(forecast), terminator: "")
        case "json": print(SafeOutput.json(ForecastFormatter.json(forecast)))
        default: print(ForecastFormatter.table(forecast, zone: .current), terminator: "")
        }
    }
}
