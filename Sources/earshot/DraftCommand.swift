import ArgumentParser
import EarshotCore
import EarshotService

struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Show your draft reply for a conversation, or save one (an empty text clears it).",
        discussion: "Drafts are stored as they are typed, so a dropped connection loses nothing.")
    @Argument(help: "The conversation id.") var conversation: ConversationArgument
    @Argument(help: "The draft's text; without it, the saved draft is printed.") var text: [String] = []
    @Option(help: "Save this text (use \"\" to clear the draft).") var set: String?
    @OptionGroup var options: ServiceOptions

    func run() throws {
        let api = try options.api()
        if let replacement = set ?? (text.isEmpty ? nil : text.joined(separator: " ")) {
            let draft = try api.send(Inbox.SaveDraft(conversation.id, text: replacement))
            print(draft.text.isEmpty ? "draft cleared for conversation \(conversation.id)" : "draft saved for conversation \(conversation.id)")
        } else if let draft = try api.send(Inbox.GetDraft(conversation.id)) {
            print(SafeOutput.whole(draft.text))
        } else {
            print("(no draft for conversation \(conversation.id))")
        }
    }
}
