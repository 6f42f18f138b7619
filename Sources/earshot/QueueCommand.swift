import ArgumentParser
import EarshotCore
import EarshotService
import EarshotStore
import Foundation

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "List conversations in a queue view, a window at a time.")
    @Option(help: "mine, unassigned, open, breached, snoozed, aside (spam and broadcasts) or resolved (today).")
    var view: String = "unassigned"
    @Option(help: "How many rows.") var limit: Int = 50
    @OptionGroup var options: ServiceOptions

    static let views = ["mine", "unassigned", "open", "breached", "snoozed", "aside", "resolved"]

    func validate() throws {
        guard Self.views.contains(view) else { throw ValidationError("--view must be one of \(Self.views.joined(separator: ", "))") }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() throws {
        let service = try options.service()
        let now = service.clock.now()
        let rows = try service.store.read { reader -> [(Conversation, String, String)] in
            let queueView: QueueView
            switch view {
            case "mine":
                guard let me = try reader.responder(login: ServiceOptions.currentLogin) else {
                    throw ServiceError.notAResponder(login: ServiceOptions.currentLogin)
                }
                queueView = .mine(me.id)
            case "open": queueView = .allOpen
            case "breached": queueView = .breached(now: now)
            case "snoozed": queueView = .snoozed
            case "aside": queueView = .setAside
            case "resolved": queueView = .resolved(since: Timestamp(secondsSinceEpoch: now.millisecondsSinceEpoch / 86_400_000 * 86_400))
            default: queueView = .unassigned
            }
            return try reader.queue(queueView, after: nil, limit: limit).map { conversation in
                let customer = try reader.customer(conversation.customerID)?.handle ?? "?"
                let owner = try conversation.assigneeID.flatMap { try reader.responder($0) }?.login ?? "-"
                return (conversation, customer, owner)
            }
        }
        for (conversation, customer, owner) in rows {
            // Customer text is shown on one line with control characters made visible.
            let preview = String(conversation.preview.unicodeScalars.map { scalar -> String in
                scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }.joined().prefix(60))
            print("\(conversation.id)\t\(conversation.status.rawValue)\t\(conversation.priority.name)\t\(conversation.triageClass.rawValue)\t@\(customer)\t\(owner)\t\(preview)")
        }
        if rows.isEmpty { print("(no conversations in \(view))") }
    }
}
