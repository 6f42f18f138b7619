import ArgumentParser
import EarshotCore
import EarshotService
import Foundation

/// One line describing a conversation after a change, e.g. `conversation 12: open, assigned to dana`.
func describe(_ conversation: Conversation, api: any InboxAPI) throws -> String {
    let owner = try conversation.assigneeID.flatMap { try api.send(Inbox.ResponderLogin($0)) }
    var line = "conversation \(conversation.id): \(conversation.status.rawValue)"
    if conversation.status == .snoozed, let until = conversation.snoozedUntil { line += " until \(until.iso8601)" }
    line += owner.map { ", assigned to \(SafeOutput.field($0))" } ?? ", unassigned"
    if conversation.priority != .normal { line += ", \(conversation.priority.name) priority" }
    if conversation.triageLocked { line += ", class \(conversation.triageClass.rawValue)" }
    if !conversation.labels.isEmpty { line += ", labels \(conversation.labels.map(SafeOutput.field).joined(separator: ","))" }
    return line
}

/// A verb on one conversation: each command says what it does; running, printing and errors are shared.
protocol ConversationVerb: ParsableCommand {
    var conversation: ConversationArgument { get }
    var options: ServiceOptions { get }
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation
}

extension ConversationVerb {
    func run() throws {
        let api = try options.api()
        print(try describe(perform(api, conversation.id), api: api))
    }
}

struct ClaimCommand: ConversationVerb {
    static let configuration = CommandConfiguration(commandName: "claim", abstract: "Take an unassigned conversation.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation { try api.send(Inbox.Claim(id)) }
}

struct AssignCommand: ConversationVerb {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Assign or reassign a conversation (others: supervisors, unless anyone_can_assign).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The responder's login.") var responder: String
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation { try api.send(Inbox.Assign(id, to: responder)) }
}

struct ReleaseCommand: ConversationVerb {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Put a conversation back in the queue.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation { try api.send(Inbox.Release(id)) }
}

struct ResolveCommand: ConversationVerb {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a conversation done.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation { try api.send(Inbox.Resolve(id)) }
}

struct ReopenCommand: ConversationVerb {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Open a resolved conversation again (a new cycle).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation { try api.send(Inbox.Reopen(id)) }
}

struct SnoozeCommand: ConversationVerb {
    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Put a conversation aside until a time; it wakes back into the queue.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Option(help: ArgumentHelp("When it wakes: ISO 8601, or a delay like 45m, 2h, 1d.", valueName: "time"))
    var until: TimeArgument
    @OptionGroup var options: ServiceOptions
    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation {
        try api.send(Inbox.Snooze(id, until: until.resolve(now: SystemClock().now())))
    }
}

/// The class is a value the argument parser knows, so help and completion list the classes.
extension TriageClass: ExpressibleByArgument {}

struct ClassCommand: ConversationVerb {
    static let configuration = CommandConfiguration(
        commandName: "class",
        abstract: "Correct the triage class: bring a conversation set aside back (question), or set one aside (spam).",
        discussion: "The class is then kept when the customer writes again; the change is an event with who made it.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "question, complaint, praise, broadcast, spam or other.") var triageClass: TriageClass
    @OptionGroup var options: ServiceOptions

    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation {
        try api.send(Inbox.SetClass(id, to: triageClass))
    }
}

struct PriorityCommand: ConversationVerb {
    static let configuration = CommandConfiguration(commandName: "priority", abstract: "Set a conversation's priority.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "low, normal, high or urgent.") var level: String
    @OptionGroup var options: ServiceOptions

    func validate() throws {
        guard Priority(name: level) != nil else { throw ValidationError("priority must be low, normal, high or urgent, not \"\(level)\"") }
    }

    func perform(_ api: any InboxAPI, _ id: ConversationID) throws -> Conversation {
        try api.send(Inbox.SetPriority(id, to: Priority(name: level) ?? .normal))
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
        let api = try options.api()
        var latest: Conversation?
        for change in changes {
            latest = try api.send(Inbox.Label(conversation.id, String(change.dropFirst()), add: change.hasPrefix("+")))
        }
        if let latest { print(try describe(latest, api: api)) }
    }
}

struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add an internal note (never sent to the customer).")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The note's text.") var text: [String]
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let note = try options.api().send(Inbox.AddNote(conversation.id, text: text.joined(separator: " ")))
        print("note \(note.id) added to conversation \(conversation.id)")
    }
}
