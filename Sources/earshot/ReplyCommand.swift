import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

struct ReplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reply",
        abstract: "Send a reply: it waits in the outbox for the undo window, then the delivery command posts it.",
        discussion: """
            Your signature (" ^AB") is added and counts toward the 140. Your draft in the conversation becomes \
            the reply. If the conversation changed since your draft began (a new customer message, someone \
            else's reply), the reply is refused until you send it again with --confirm. Replying to an \
            unassigned conversation claims it. `earshot outbox cancel ID` takes it back during the undo window.
            """)
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The reply's text (without the signature).") var text: [String]
    @Flag(help: "Send even though the conversation changed since the draft began.") var confirm = false
    @Flag(help: "Wait until the reply is delivered or has failed; exit 1 if it failed.") var wait = false
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let api = try options.api()
        let reply = try api.send(Inbox.SendReply(conversation.id, text: text.joined(separator: " "), confirmed: confirm))
        let due = reply.nextAttemptAt.map { " after the undo window (\(OutboxFormatter.clock($0)))" } ?? ""
        print("reply \(reply.id) queued for conversation \(conversation.id); delivery starts\(due). Cancel before then: earshot outbox cancel \(reply.id)")
        if api is LocalInbox && !wait {
            print("no earshot daemon is running: `earshot outbox deliver` delivers due replies (or start `earshot serve`)")
        }
        guard wait else { return }
        let final = try OutboxWaiter(api: api, service: (api as? LocalInbox)?.service).waitForOutcome(of: reply.id)
        if final.state == .failed {
            throw CommandFailure("reply \(final.id) failed after \(final.attempts) attempts: \(final.lastError ?? "no error recorded")")
        }
        print("reply \(final.id) delivered: \(final.platformID.map(SafeOutput.field) ?? "(no platform id)")")
    }
}

/// Waits for a queued reply to be sent or to fail. In single-user mode nobody else delivers,
/// so this process does, once each attempt is due.
struct OutboxWaiter {
    let api: any InboxAPI
    let service: InboxService?

    func waitForOutcome(of id: ReplyID) throws -> Reply {
        let deliverer = service.map { OutboxDeliverer(service: $0, log: { SafeOutput.error("earshot: \($0)") }) }
        if let service, service.delivery.command.isEmpty {
            throw CommandFailure("no delivery command is configured ([delivery] command in config.toml, docs/config.md), so nothing can deliver it")
        }
        while true {
            let reply = try api.send(Inbox.GetReply(id))
            if reply.state == .sent || reply.state == .failed { return reply }
            if reply.state == .draft { throw CommandFailure("reply \(id) was cancelled; it is your draft again") }
            try deliverer?.deliverDue()
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
