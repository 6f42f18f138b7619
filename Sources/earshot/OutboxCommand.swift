import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Replies waiting to be delivered, or that failed: list, cancel, retry, deliver.",
        subcommands: [OutboxList.self, OutboxCancel.self, OutboxRetry.self, OutboxDeliver.self],
        defaultSubcommand: OutboxList.self)
}

struct OutboxList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List your queued and failed replies.")
    @Flag(help: "Everyone's (supervisors).") var all = false
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let replies = try options.api().send(Inbox.Outbox(all: all))
        if replies.isEmpty { print("the outbox is empty") }
        for reply in replies { print(OutboxFormatter.line(reply)) }
    }
}

struct OutboxCancel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Take a queued reply back into your draft, before delivery starts.")
    @Argument(help: "The reply id (from `earshot reply` or `earshot outbox`).") var reply: Int64
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let draft = try options.api().send(Inbox.CancelReply(ReplyID(reply)))
        print("reply \(reply) cancelled; it is your draft for conversation \(draft.conversationID) again")
    }
}

struct OutboxRetry: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Send a failed reply again.")
    @Argument(help: "The reply id.") var reply: Int64
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let queued = try options.api().send(Inbox.RetryReply(ReplyID(reply)))
        print("reply \(queued.id) queued again for conversation \(queued.conversationID)")
    }
}

struct OutboxDeliver: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver every reply that is due now, in this process (single-user mode; the daemon does this itself).")
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        guard !service.delivery.command.isEmpty else {
            throw CommandFailure("no delivery command is configured: set [delivery] command in config.toml (docs/config.md)")
        }
        let deliverer = OutboxDeliverer(service: service, log: { SafeOutput.error("earshot: \($0)") })
        let attempts = try deliverer.deliverDue()
        let waiting = try service.nextDeliveryTime()
        print("\(attempts) delivery attempts made" + (waiting.map { "; the next reply is due at \(OutboxFormatter.clock($0))" } ?? ""))
    }
}

/// How the outbox is shown in a terminal.
enum OutboxFormatter {
    static func line(_ reply: Reply) -> String {
        var status = reply.state.rawValue
        if reply.state == .queued {
            if reply.deliveryStartedAt != nil {
                status += ", delivering (attempt \(reply.attempts))"
            } else if let next = reply.nextAttemptAt {
                status += reply.attempts == 0 ? ", delivery starts \(clock(next))" : ", attempt \(reply.attempts + 1) at \(clock(next))"
            }
        } else if reply.state == .failed {
            status += " after \(reply.attempts) attempts"
        }
        var line = "reply \(reply.id)  conversation \(reply.conversationID)  \(status)  \(preview(reply.text))"
        if let error = reply.lastError { line += "\n    last error: \(SafeOutput.field(error))" }
        return line
    }

    static func preview(_ text: String) -> String {
        let flat = SafeOutput.field(text.split(whereSeparator: \.isNewline).joined(separator: " "))
        return flat.count <= 60 ? flat : String(flat.prefix(59)) + "…"
    }

    /// A time of day in the local zone, e.g. 14:05:09.
    static func clock(_ time: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000))
    }
}
