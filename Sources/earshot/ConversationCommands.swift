import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

/// One line describing a conversation after a change, e.g. `12 open, assigned to dana: "where is…"`.
func describe(_ conversation: Conversation, service: InboxService) throws -> String {
    let owner = try service.store.read { reader in
        try conversation.assigneeID.flatMap { try reader.responder($0) }?.login
    }
    var line = "conversation \(conversation.id): \(conversation.status.rawValue)"
    if conversation.status == .snoozed, let until = conversation.snoozedUntil { line += " until \(until.iso8601)" }
    line += owner.map { ", assigned to \($0)" } ?? ", unassigned"
    if conversation.priority != .normal { line += ", \(conversation.priority.name) priority" }
    if !conversation.labels.isEmpty { line += ", labels \(conversation.labels.joined(separator: ","))" }
    return line
}

struct ClaimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claim", abstract: "Take an unassigned conversation.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        print(try describe(service.claim(conversation.id, by: ServiceOptions.currentLogin), service: service))
    }
}

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Assign or reassign a conversation (others: supervisors, unless anyone_can_assign).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The responder's login.") var responder: String
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        print(try describe(service.assign(conversation.id, to: responder, by: ServiceOptions.currentLogin), service: service))
    }
}

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Put a conversation back in the queue.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        print(try describe(service.release(conversation.id, by: ServiceOptions.currentLogin), service: service))
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a conversation done.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        print(try describe(service.resolve(conversation.id, by: ServiceOptions.currentLogin), service: service))
    }
}

struct ReopenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Open a resolved conversation again (a new cycle).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        print(try describe(service.reopen(conversation.id, by: ServiceOptions.currentLogin), service: service))
    }
}

struct SnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Put a conversation aside until a time; it wakes back into the queue.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Option(help: ArgumentHelp("When it wakes: ISO 8601, or a delay like 45m, 2h, 1d.", valueName: "time"))
    var until: TimeArgument
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        let wake = until.resolve(now: service.clock.now())
        print(try describe(service.snooze(conversation.id, until: wake, by: ServiceOptions.currentLogin), service: service))
    }
}

struct PriorityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "priority", abstract: "Set a conversation's priority.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "low, normal, high or urgent.") var level: String
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard Priority(name: level) != nil else { throw ValidationError("priority must be low, normal, high or urgent, not \"\(level)\"") }
    }

    func run() throws {
        let service = try options.service()
        let priority = Priority(name: level) ?? .normal
        print(try describe(service.setPriority(conversation.id, to: priority, by: ServiceOptions.currentLogin), service: service))
    }
}

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label", abstract: "Add (+name) or remove (-name) labels.",
        discussion: "Example: earshot label 12 +billing -- -vip   (use -- before a label that starts with -)")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "+label to add, -label to remove.") var changes: [String]
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        if changes.isEmpty { throw ValidationError("give at least one +label or -label") }
        for change in changes where !(change.hasPrefix("+") || change.hasPrefix("-")) || change.count < 2 {
            throw ValidationError("\"\(change)\": write +name to add a label or -name to remove one")
        }
    }

    func run() throws {
        let service = try options.service()
        var latest: Conversation?
        for change in changes {
            latest = try service.label(conversation.id, String(change.dropFirst()), add: change.hasPrefix("+"), by: ServiceOptions.currentLogin)
        }
        if let latest { print(try describe(latest, service: service)) }
    }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add an internal note (never sent to the customer).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The note's text.") var text: [String]
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let service = try options.service()
        let note = try service.addNote(conversation.id, text: text.joined(separator: " "), by: ServiceOptions.currentLogin)
        print("note \(note.id) added to conversation \(conversation.id)")
    }
}
