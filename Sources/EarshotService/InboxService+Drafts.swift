import EarshotCore
import EarshotStore

/// Drafts live in the store as they are typed, so a dropped SSH connection or a killed TUI
/// loses nothing: reopening the conversation brings the draft back. Clients save at most
/// about once a second while typing (the debounce is theirs); each save is one event.
extension InboxService {
    /// Saves the author's draft for a conversation (one per author and conversation).
    @discardableResult
    public func saveDraft(_ id: ConversationID, text: String, by login: String) throws -> Reply {
        let text = try FieldLimits.clean(text, "the draft", limit: FieldLimits.draft)
        return try store.write { writer in
            let actor = try responder(login, in: writer)
            let conversation = try self.conversation(id, in: writer)
            let now = clock.now()
            let saved: Reply
            if var draft = try writer.draft(in: id, by: actor.id) {
                guard draft.text != text else { return draft }
                draft.text = text
                draft.updatedAt = now
                try writer.updateReply(draft, because: event(.draftSaved, by: actor))
                saved = draft
            } else {
                saved = try writer.insertReply(
                    NewReply(conversationID: id, cycle: conversation.cycle, authorID: actor.id, text: text, state: .draft, createdAt: now),
                    because: event(.draftSaved, by: actor))
            }
            // Typing a draft is working on it (return-to-queue counts from here).
            if conversation.assigneeID == actor.id { try writer.noteTouch(of: id, at: now) }
            return saved
        }
    }

    /// The author's unsent draft for a conversation; nil when there is none or it was cleared.
    public func draft(of id: ConversationID, by login: String) throws -> Reply? {
        try store.read { reader in
            let actor = try responder(login, in: reader)
            _ = try conversation(id, in: reader)
            return try reader.draft(in: id, by: actor.id).flatMap { $0.text.isEmpty ? nil : $0 }
        }
    }
}
