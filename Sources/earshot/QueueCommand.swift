import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "List conversations in a queue view, a window at a time.")
    @Option(help: "mine, unassigned, open, breached, snoozed, aside (spam and broadcasts) or resolved (today).")
    var view: QueueViewName = .unassigned
    @Option(help: "How many rows.") var limit: Int = 50
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() throws {
        let rows = try options.api().send(Inbox.Queue(view: view, limit: limit))
        for row in rows {
            let conversation = row.conversation
            // Customer text is hostile: one line each, with controls made visible (SafeOutput).
            let preview = String(SafeOutput.field(conversation.preview).prefix(60))
            print("\(conversation.id)\t\(conversation.status.rawValue)\t\(conversation.priority.name)\t\(conversation.triageClass.rawValue)\t@\(SafeOutput.field(row.customer))\t\(row.assignee.map(SafeOutput.field) ?? "-")\t\(preview)")
        }
        if rows.isEmpty { print("(no conversations in \(view))") }
    }
}

extension QueueViewName: ExpressibleByArgument {}
