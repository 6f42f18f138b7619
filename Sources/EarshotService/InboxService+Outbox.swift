import EarshotCore
import EarshotStore

/// The author's side of sending: a reply goes to the outbox (state `queued`) and waits out
/// the undo window before the deliverer may start on it (InboxService+Delivery).
extension InboxService {
    /// Queues a reply: `text` plus the author's signature, within 140 as twitter-text counts.
    ///
    /// The author's draft in the conversation becomes the reply. When the conversation changed
    /// since `basedOn` (the moment the author last read it; by default when the draft began) —
    /// a new customer message, someone else's reply — it is refused with `changedSinceDraft`
    /// unless `confirmed`. Replying to an unassigned conversation claims it; one that belongs
    /// to someone else is theirs to answer (or a supervisor's).
    @discardableResult
    public func sendReply(
        _ id: ConversationID, text: String, basedOn: Timestamp? = nil, confirmed: Bool = false, by login: String
    ) throws -> Reply {
        let body = try FieldLimits.clean(text, "the reply", limit: FieldLimits.draft).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty else { throw ServiceError.invalid("a reply needs some text") }
        let result = try store.write { writer -> Reply in
            let actor = try responder(login, in: writer)
            var conversation = try self.conversation(id, in: writer)
            guard conversation.status != .resolved else {
                throw ServiceError.wrongState("conversation \(id) is resolved; reopen it first (`earshot reopen \(id)`)")
            }
            try requireOwnerOrSupervisor(actor, of: conversation, action: "reply to", in: writer)
            let full = body + actor.signature
            try ReplyLimit.check(full, signature: actor.signature)
            let draft = try writer.draft(in: id, by: actor.id)
            if !confirmed, let since = basedOn ?? draft?.createdAt {
                let changes = try changesSince(since, in: id, ignoring: actor, in: writer)
                if !changes.isEmpty { throw ServiceError.changedSinceDraft(conversation: id, changes: changes) }
            }
            let now = clock.now()
            let deliverAt = now.adding(milliseconds: Int64(delivery.undoSeconds) * 1000)
            if conversation.assigneeID == nil {
                try give(&conversation, to: actor.id, in: writer)
                try writer.updateConversation(conversation, because: event(.claimed, by: actor, detail: ["by_reply": "true"]))
            }
            try writer.noteTouch(of: id, at: now)
            let detail = ["deliver_at": deliverAt.iso8601]
            if var reply = draft {
                reply.text = full
                reply.state = .queued
                reply.cycle = conversation.cycle
                reply.updatedAt = now
                reply.queuedAt = now
                reply.nextAttemptAt = deliverAt
                try writer.updateReply(reply, because: event(.replyQueued, by: actor, detail: detail))
                return reply
            }
            return try writer.insertReply(
                NewReply(
                    conversationID: id, cycle: conversation.cycle, authorID: actor.id, text: full, state: .queued,
                    createdAt: now, queuedAt: now, nextAttemptAt: deliverAt),
                because: event(.replyQueued, by: actor, detail: detail))
        }
        return result
    }

    /// Takes a queued reply back before delivery starts: it becomes the author's draft again
    /// (signature removed), merged in front of any draft begun since.
    @discardableResult
    public func cancelReply(_ replyID: ReplyID, by login: String) throws -> Reply {
        try store.write { writer in
            let actor = try responder(login, in: writer)
            var reply = try ownReply(replyID, of: actor, in: writer)
            guard reply.isCancellable else {
                throw ServiceError.wrongState(
                    reply.state == .queued
                        ? "reply \(replyID) is already being delivered; it can no longer be cancelled"
                        : "reply \(replyID) is \(reply.state.rawValue), not waiting in the outbox")
            }
            let now = clock.now()
            let text = reply.text.hasSuffix(actor.signature) ? String(reply.text.dropLast(actor.signature.count)) : reply.text
            let newer = try writer.draft(in: reply.conversationID, by: actor.id).flatMap { $0.text.isEmpty ? nil : $0 }
            reply.text = newer == nil ? text : ""
            reply.state = .draft
            reply.queuedAt = nil
            reply.nextAttemptAt = nil
            reply.updatedAt = now
            try writer.updateReply(reply, because: event(.replyCancelled, by: actor))
            guard var newer else { return reply }
            // A draft begun since is the newest; the cancelled text goes in front of it.
            newer.text = text + "\n" + newer.text
            newer.updatedAt = now
            try writer.updateReply(newer, because: event(.draftSaved, by: actor, detail: ["cancelled_reply": replyID.description]))
            return newer
        }
    }

    /// Sends a failed reply again: back into the outbox, due now, with a fresh set of attempts.
    @discardableResult
    public func retryReply(_ replyID: ReplyID, by login: String) throws -> Reply {
        try store.write { writer in
            let actor = try responder(login, in: writer)
            var reply = try ownReply(replyID, of: actor, in: writer)
            guard reply.state == .failed else {
                throw ServiceError.wrongState("reply \(replyID) is \(reply.state.rawValue); only a failed reply can be retried")
            }
            let now = clock.now()
            reply.state = .queued
            reply.attempts = 0
            reply.nextAttemptAt = now
            reply.updatedAt = now
            try writer.updateReply(reply, because: event(.replyQueued, by: actor, detail: ["retry": "true"]))
            return reply
        }
    }

    /// One reply, for its author (or a supervisor).
    public func reply(_ replyID: ReplyID, by login: String) throws -> Reply {
        try store.read { reader in try ownReply(replyID, of: try responder(login, in: reader), in: reader) }
    }

    /// Replies not yet delivered (queued) or given up on (failed): the caller's, or everyone's for a supervisor asking for all.
    public func outbox(all: Bool, by login: String) throws -> [Reply] {
        try store.read { reader in
            let actor = try responder(login, in: reader)
            if all && actor.role != .supervisor { throw ServiceError.supervisorsOnly(action: "seeing everyone's outbox") }
            return try reader.unsentReplies(by: all ? nil : actor.id, limit: 500)
        }
    }

    private func ownReply(_ id: ReplyID, of actor: Responder, in reader: any InboxReader) throws -> Reply {
        guard let reply = try reader.reply(id), reply.state != .draft || reply.authorID == actor.id else {
            throw ServiceError.invalid("no reply \(id); `earshot outbox` lists yours")
        }
        guard reply.authorID == actor.id || actor.role == .supervisor else {
            throw ServiceError.invalid("reply \(id) was written by someone else; only its author or a supervisor can change it")
        }
        return reply
    }

    /// What happened in a conversation after `time` that the author has not seen: customer
    /// messages and other people's replies.
    private func changesSince(
        _ time: Timestamp, in id: ConversationID, ignoring actor: Responder, in reader: any InboxReader
    ) throws -> [String] {
        var messages = 0
        var repliers: [String] = []
        for event in try reader.events(for: id, after: time) {
            switch event.kind {
            case .opened, .ingested:
                messages += 1
            case .reopened where event.actor == .ingest:
                messages += 1
            case .replyQueued, .replied:
                if event.actor != .responder(login: actor.login), case let .responder(login) = event.actor, !repliers.contains(login) {
                    repliers.append(login)
                }
            default:
                break
            }
        }
        var changes: [String] = []
        if messages > 0 { changes.append(messages == 1 ? "a new customer message" : "\(messages) new customer messages") }
        changes += repliers.map { "a reply by \($0)" }
        return changes
    }
}
