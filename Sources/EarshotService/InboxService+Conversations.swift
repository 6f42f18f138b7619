import EarshotCore
import EarshotStore
import Foundation

/// Operations on one conversation. Each returns the conversation as it now stands.
extension InboxService {
    /// Takes an unassigned conversation. Two people claiming at once: the second is told who won.
    @discardableResult
    public func claim(_ id: ConversationID, by login: String) throws -> Conversation {
        try store.write { writer in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            if conversation.assigneeID == actor.id { return conversation }
            if let owner = conversation.assigneeID {
                throw ServiceError.alreadyClaimed(conversation: id, by: try name(of: owner, in: writer))
            }
            guard conversation.status != .resolved else {
                throw ServiceError.wrongState("conversation \(id) is resolved; reopen it first (`earshot reopen \(id)`)")
            }
            try give(&conversation, to: actor.id, in: writer)
            try writer.updateConversation(conversation, because: event(.claimed, by: actor))
            return conversation
        }
    }

    /// Assigns or reassigns to someone. Assigning to oneself is a claim; anyone else is for
    /// supervisors unless `anyone_can_assign` is set. A manual assignment may exceed capacity.
    @discardableResult
    public func assign(_ id: ConversationID, to assigneeLogin: String, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            guard let assignee = try writer.responder(login: assigneeLogin), assignee.removedAt == nil else {
                throw ServiceError.unknownResponder(login: assigneeLogin)
            }
            var conversation = try self.conversation(id, in: writer)
            let othersInvolved = assignee.id != actor.id || (conversation.assigneeID.map { $0 != actor.id } ?? false)
            if othersInvolved && actor.role != .supervisor && !policy.anyoneCanAssign {
                throw ServiceError.supervisorsOnly(action: "assigning or reassigning others' conversations")
            }
            guard conversation.status != .resolved else {
                throw ServiceError.wrongState("conversation \(id) is resolved; reopen it first (`earshot reopen \(id)`)")
            }
            if conversation.assigneeID == assignee.id { return conversation }
            let previous = conversation.assigneeID
            try give(&conversation, to: assignee.id, in: writer)
            var detail = ["to": assignee.login]
            if let previous, let from = try writer.responder(previous) { detail["from"] = from.login }
            try writer.updateConversation(conversation, because: event(.assigned, by: actor, detail: detail))
            return conversation
        }
        try drainIfAutomatic()
        return result
    }

    /// Back to the queue. One's own, or anyone's for a supervisor.
    @discardableResult
    public func release(_ id: ConversationID, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard let owner = conversation.assigneeID else {
                throw ServiceError.wrongState("conversation \(id) is not assigned to anyone")
            }
            try requireOwnerOrSupervisor(actor, of: conversation, action: "release", in: writer)
            let ownerLogin = try writer.responder(owner)?.login ?? ""
            conversation.unassign(at: clock.now())
            try writer.updateConversation(conversation, because: event(.released, by: actor, detail: ["from": ownerLogin]))
            return conversation
        }
        try drainIfAutomatic()
        return result
    }

    /// Done. One's own or an unassigned one, or anyone's for a supervisor. The assignee stays
    /// on record (history and sticky routing); the capacity it held frees up.
    @discardableResult
    public func resolve(_ id: ConversationID, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard conversation.status != .resolved else { return conversation }
            try requireOwnerOrSupervisor(actor, of: conversation, action: "resolve", in: writer)
            conversation.resolve(at: clock.now())
            try writer.updateConversation(conversation, because: event(.resolved, by: actor, detail: ["cycle": String(conversation.cycle)]))
            return conversation
        }
        try drainIfAutomatic()
        return result
    }

    /// Opens a resolved conversation again as a new cycle, waiting from now.
    @discardableResult
    public func reopen(_ id: ConversationID, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard conversation.status == .resolved else {
                throw ServiceError.wrongState("conversation \(id) is \(conversation.status.rawValue), not resolved")
            }
            let now = clock.now()
            conversation.reopenAsNewCycle(waitingFrom: now, at: now, sla: sla)
            if let owner = conversation.assigneeID, try writer.responder(owner)?.removedAt != nil {
                conversation.unassign(at: now)
            }
            try writer.updateConversation(conversation, because: event(.reopened, by: actor, detail: ["cycle": String(conversation.cycle)]))
            return conversation
        }
        try drainIfAutomatic()
        return result
    }

    /// Puts it aside until `until`, when it wakes back into the queue (`tick`).
    @discardableResult
    public func snooze(_ id: ConversationID, until: Timestamp, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard until > clock.now() else {
                throw ServiceError.invalid("snooze until \(until.iso8601) is not in the future")
            }
            guard conversation.status != .resolved else {
                throw ServiceError.wrongState("conversation \(id) is resolved; there is nothing to snooze")
            }
            try requireOwnerOrSupervisor(actor, of: conversation, action: "snooze", in: writer)
            conversation.snooze(until: until, at: clock.now())
            try writer.updateConversation(conversation, because: event(.snoozed, by: actor, detail: ["until": until.iso8601]))
            return conversation
        }
        try drainIfAutomatic()
        return result
    }

    /// A person corrects the classifier: a customer set aside as spam or a broadcast comes back
    /// into the queue, or a scam the classifier missed is set aside. The class is then locked:
    /// a customer writing again (a new cycle) keeps it. Any responder may, and the event says who.
    @discardableResult
    public func setTriageClass(_ id: ConversationID, to triageClass: TriageClass, by login: String) throws -> Conversation {
        let result = try store.write { writer -> Conversation in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            let previous = conversation.triageClass
            guard previous != triageClass || !conversation.triageLocked else { return conversation }
            let now = clock.now()
            conversation.triageClass = triageClass
            conversation.triageReason = "set by \(actor.login) (was \(previous.rawValue))"
            conversation.triageLocked = true
            conversation.updatedAt = now
            try writer.updateConversation(
                conversation, because: event(.triaged, by: actor, detail: ["from": previous.rawValue, "to": triageClass.rawValue]))
            if previous != triageClass {
                try writer.noteTriageOverride(of: id, by: actor.id, from: previous, to: triageClass, at: now)
            }
            return conversation
        }
        // Back in the queue: routing may give it to someone now.
        try drainIfAutomatic()
        return result
    }

    @discardableResult
    public func setPriority(_ id: ConversationID, to priority: Priority, by login: String) throws -> Conversation {
        try store.write { writer in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard conversation.priority != priority else { return conversation }
            let previous = conversation.priority
            conversation.priority = priority
            conversation.updatedAt = clock.now()
            conversation.slaDueAt = sla.dueAt(for: conversation)
            try writer.updateConversation(
                conversation, because: event(.priorityChanged, by: actor, detail: ["from": previous.name, "to": priority.name]))
            return conversation
        }
    }

    /// Adds (`add: true`) or removes a label. Labels are words: no spaces or commas, at most
    /// `FieldLimits.label` characters, `FieldLimits.labelsPerConversation` on a conversation.
    @discardableResult
    public func label(_ id: ConversationID, _ label: String, add: Bool, by login: String) throws -> Conversation {
        // Removing is not limited: a label stored before the limit is removed by the cut name
        // clients were shown ("ééé…").
        let name = try FieldLimits.clean(label, "a label", limit: add ? FieldLimits.label : .max)
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, !name.contains(where: { $0 == "," || $0.isWhitespace }) else {
            throw ServiceError.invalid("label \"\(ServiceError.quoted(label))\" must be one word without commas")
        }
        return try store.write { writer in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            var labels = Set(conversation.labels)
            let stored = add ? name : conversation.labels.first { $0 == name } ?? conversation.labels.first {
                ReadClipping.clip($0, to: FieldLimits.label) == name
            } ?? name
            let changed = add ? labels.insert(name).inserted : labels.remove(stored) != nil
            guard changed else { return conversation }
            if add && labels.count > FieldLimits.labelsPerConversation {
                throw ServiceError.invalid(
                    "conversation \(id) already has \(conversation.labels.count) labels; the limit is \(FieldLimits.labelsPerConversation): remove one first")
            }
            try writer.setLabels(Array(labels), on: id, because: event(add ? .labelAdded : .labelRemoved, by: actor, detail: ["label": name]))
            conversation.setLabels(Array(labels))
            return conversation
        }
    }

    /// An internal note: visible to the team, never sent. Counts as the assignee working on it.
    @discardableResult
    public func addNote(_ id: ConversationID, text: String, by login: String) throws -> Note {
        let trimmed = try FieldLimits.clean(text, "the note", limit: FieldLimits.note).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ServiceError.invalid("a note needs some text") }
        return try store.write { writer in
            let actor = try responder(login, in: writer)
            let conversation = try self.conversation(id, in: writer)
            let now = clock.now()
            let note = try writer.insertNote(conversation: id, author: actor.id, text: trimmed, at: now, because: event(.noted, by: actor))
            if conversation.assigneeID == actor.id { try writer.noteTouch(of: id, at: now) }
            return note
        }
    }

    /// Makes `responder` the assignee, stamping when (for round robin and return-to-queue).
    func give(_ conversation: inout Conversation, to responder: ResponderID, in writer: any InboxWriter) throws {
        let now = clock.now()
        conversation.assign(to: responder, at: now)
        try writer.noteAssignment(to: responder, at: now)
    }
}
