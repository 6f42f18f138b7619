import ArgumentParser
import EarshotCore
import EarshotService

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Run a routing pass: hand the unassigned backlog to responders with room.",
        discussion: "Uses the configured policy; with routing = manual, balanced unless --policy says otherwise.")
    @Option(help: ArgumentHelp("round_robin or balanced for this pass.", valueName: "policy")) var policy: String?
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        if let policy, RoutingPolicy(rawValue: policy) == nil || policy == "manual" {
            throw ValidationError("--policy must be round_robin or balanced, not \"\(policy)\"")
        }
    }

    func run() throws {
        let assignments = try options.api().send(Inbox.Route(policy: policy.flatMap(RoutingPolicy.init(rawValue:))))
        for assignment in assignments {
            print("conversation \(assignment.conversation) -> \(SafeOutput.field(assignment.login))\(assignment.sticky ? " (sticky)" : "")")
        }
        print("\(assignments.count) assigned")
    }
}

struct TickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "Apply the time rules once: wake snoozes, mark idle responders away, return untouched work, route, find waves.",
        discussion: "The daemon does this every few seconds; in single-user mode run it from cron if you need it.")
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let report = try options.service().tick()
        print("woke \(report.woke.count), away \(report.wentAway.count), returned \(report.returnedToQueue.count), routed \(report.routed.count), "
            + "waves formed \(report.waves.formed.count) (\(report.waves.joined) joined, \(report.waves.left) left)")
    }
}
