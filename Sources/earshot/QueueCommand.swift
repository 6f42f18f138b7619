import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "List conversations in a queue view, a window at a time.")
    @Option(help: "mine, unassigned, open, breached, snoozed, aside (spam and broadcasts) or resolved (today).")
    var view: String = "unassigned"
    @Option(help: "How many rows.") var limit: Int = 50
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard InboxService.queueViews.contains(view) else {
            throw ValidationError("--view must be one of \(InboxService.queueViews.joined(separator: ", "))")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() throws {
        let rows = try options.api().queue(view, limit: limit)
        for row in rows {
            let conversation = row.conversation
            // Customer text is shown on one line with control characters made visible.
            let preview = String(conversation.preview.unicodeScalars.map { scalar -> String in
                scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }.joined().prefix(60))
            print("\(conversation.id)\t\(conversation.status.rawValue)\t\(conversation.priority.name)\t\(conversation.triageClass.rawValue)\t@\(row.customer)\t\(row.assignee ?? "-")\t\(preview)")
        }
        if rows.isEmpty { print("(no conversations in \(view))") }
    }
}
