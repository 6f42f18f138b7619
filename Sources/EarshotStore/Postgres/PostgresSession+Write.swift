import EarshotCore
import GRDB

/// Writes, as `SQLiteSession`'s: every method that changes a row appends its event in the same
/// transaction. New ids come back through RETURNING.
extension PostgresSession {
    func insertChannel(platform: Platform, handle: String, displayName: String, because event: EventDraft) throws -> Channel {
        let id: Int64 = try inserted("""
            INSERT INTO channel (platform, handle, display_name, created_at) VALUES (?, ?, ?, ?) RETURNING id
            """, [platform.rawValue, handle, displayName, event.at])
        let channel = Channel(id: ChannelID(id), platform: platform, handle: handle, displayName: displayName, createdAt: event.at)
        try append(event, adding: ["channel": channel.id.description])
        return channel
    }

    func insertCustomer(
        platform: Platform, handle: String, displayName: String, firstSeen: Timestamp, because event: EventDraft
    ) throws -> Customer {
        let id: Int64 = try inserted("""
            INSERT INTO customer (platform, handle, display_name, first_seen) VALUES (?, ?, ?, ?) RETURNING id
            """, [platform.rawValue, handle, displayName, firstSeen])
        let customer = Customer(id: CustomerID(id), platform: platform, handle: handle, displayName: displayName, firstSeen: firstSeen)
        try append(event, adding: ["customer": customer.id.description])
        return customer
    }

    func updateCustomer(_ customer: Customer, because event: EventDraft) throws {
        try requireChange(sql.execute("UPDATE customer SET display_name = ?, notes = ? WHERE id = ?",
                                      [customer.displayName, customer.notes, customer.id]), "customer \(customer.id)")
        try append(event, adding: ["customer": customer.id.description])
    }

    func insertMention(_ mention: NewMention, because event: EventDraft) throws -> MentionInsertOutcome {
        guard let stored = try insertMentionRow(mention) else {
            let existing: Int64? = try sql.value("SELECT id FROM mention WHERE platform = ? AND external_id = ?",
                                                 [mention.platform.rawValue, mention.externalID])
            return .duplicate(existing: MentionID(existing ?? 0))
        }
        var draft = event
        draft.conversationID = draft.conversationID ?? mention.conversationID
        try append(draft, adding: ["mention": stored.id.description])
        return .inserted(stored)
    }

    private func insertMentionRow(_ mention: NewMention) throws -> Mention? {
        let id: Int64? = try sql.value("""
            INSERT INTO mention (platform, external_id, channel_id, customer_id, conversation_id, cycle, kind,
                                 text, created_at, in_reply_to, platform_conversation_id, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, external_id) DO NOTHING RETURNING id
            """, [mention.platform.rawValue, mention.externalID, mention.channelID, mention.customerID, mention.conversationID,
                  mention.cycle, mention.kind.rawValue, mention.text, mention.createdAt, mention.inReplyToExternalID,
                  mention.platformConversationID, mention.rawPayload])
        guard let id else { return nil }
        return Mention(
            id: MentionID(id), platform: mention.platform, externalID: mention.externalID,
            channelID: mention.channelID, customerID: mention.customerID, conversationID: mention.conversationID,
            cycle: mention.cycle, kind: mention.kind, text: mention.text, createdAt: mention.createdAt,
            inReplyToExternalID: mention.inReplyToExternalID,
            platformConversationID: mention.platformConversationID, rawPayload: mention.rawPayload)
    }

    func insertConversation(_ new: NewConversation, because event: EventDraft) throws -> Conversation {
        let conversation = try insertConversationRow(new)
        var draft = event
        draft.conversationID = conversation.id
        try append(draft, adding: [:])
        return conversation
    }

    private func insertConversationRow(_ new: NewConversation) throws -> Conversation {
        let waitingSince = new.waitingForUs ? new.startedAt : nil
        let started = new.startedAt
        let id: Int64 = try inserted("""
            INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason,
                routable, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since,
                sla_due_at, preview)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [new.channelID, new.customerID, new.status.rawValue, new.priority.rawValue, new.triageClass.rawValue,
                  new.triageReason, new.triageClass.isRoutable, started, started, started, started, waitingSince,
                  new.slaDueAt, new.preview])
        return Conversation(
            id: ConversationID(id), channelID: new.channelID, customerID: new.customerID,
            status: new.status, priority: new.priority, triageClass: new.triageClass,
            triageReason: new.triageReason, cycle: 1, cycleStartedAt: new.startedAt, createdAt: new.startedAt,
            updatedAt: new.startedAt, lastCustomerMessageAt: new.startedAt, waitingSince: waitingSince,
            slaDueAt: new.slaDueAt, preview: new.preview)
    }

    func openConversation(
        _ new: NewConversation, with mention: NewMention, because event: EventDraft
    ) throws -> (Conversation, Mention) {
        let conversation = try insertConversationRow(new)
        var first = mention
        first.conversationID = conversation.id
        first.cycle = 1
        guard let stored = try insertMentionRow(first) else {
            throw StoreError.conflict("mention \(mention.platform.rawValue) \(mention.externalID) is already stored")
        }
        var draft = event
        draft.conversationID = conversation.id
        try append(draft, adding: ["mention": stored.id.description])
        return (conversation, stored)
    }

    func addMention(_ mention: NewMention, to conversation: Conversation, because event: EventDraft) throws -> Mention? {
        var message = mention
        message.conversationID = conversation.id
        guard let stored = try insertMentionRow(message) else { return nil }
        try updateConversationRow(conversation)
        var draft = event
        draft.conversationID = conversation.id
        try append(draft, adding: ["mention": stored.id.description])
        return stored
    }

    func moveMessages(from source: ConversationID, to target: ConversationID, because event: EventDraft) throws {
        try sql.execute("UPDATE mention SET conversation_id = ? WHERE conversation_id = ?", [target, source])
        try sql.execute("UPDATE reply SET conversation_id = ? WHERE conversation_id = ?", [target, source])
        var draft = event
        draft.conversationID = target
        try append(draft, adding: ["from": source.description])
    }

    func updateConversation(_ conversation: Conversation, because event: EventDraft) throws {
        try updateConversationRow(conversation)
        var draft = event
        draft.conversationID = conversation.id
        try append(draft, adding: [:])
    }

    private func updateConversationRow(_ conversation: Conversation) throws {
        let changed = try sql.execute("""
            UPDATE conversation SET status = ?, snoozed_until = ?, priority = ?, triage_class = ?,
                triage_reason = ?, triage_locked = ?, routable = ?, assignee_id = ?, cycle = ?, cycle_started_at = ?,
                updated_at = ?, last_customer_at = ?, waiting_since = ?, last_reply_at = ?, sla_due_at = ?, preview = ?,
                assigned_at = ?, touched_at = ?
            WHERE id = ?
            """, [conversation.status.rawValue, conversation.snoozedUntil, conversation.priority.rawValue,
                  conversation.triageClass.rawValue, conversation.triageReason, conversation.triageLocked,
                  conversation.triageClass.isRoutable, conversation.assigneeID, conversation.cycle, conversation.cycleStartedAt,
                  conversation.updatedAt, conversation.lastCustomerMessageAt, conversation.waitingSince, conversation.lastReplyAt,
                  conversation.slaDueAt, conversation.preview, conversation.assignedAt, conversation.touchedAt, conversation.id])
        try requireChange(changed, "conversation \(conversation.id)")
    }

    func setLabels(_ labels: [String], on conversation: ConversationID, because event: EventDraft) throws {
        let wanted = Set(labels)
        let stored = try self.labels(of: conversation)
        for label in stored where !wanted.contains(label) {
            try sql.execute("DELETE FROM conversation_label WHERE conversation_id = ? AND label = ?", [conversation, label])
        }
        for label in wanted.subtracting(stored) {
            try sql.execute("INSERT INTO conversation_label (conversation_id, label) VALUES (?, ?)", [conversation, label])
        }
        var draft = event
        draft.conversationID = conversation
        try append(draft, adding: ["labels": wanted.sorted().joined(separator: ",")])
    }

    func insertResponder(_ new: NewResponder, because event: EventDraft) throws -> Responder {
        if let existing = try responder(login: new.login) {
            let state = existing.removedAt == nil ? "already a responder" : "a removed responder"
            throw StoreError.conflict("\(new.login) is \(state); use `earshot responder set` to change it")
        }
        let id: Int64 = try inserted("""
            INSERT INTO responder (login, display_name, initials, role, availability, capacity) VALUES (?, ?, ?, ?, ?, ?) RETURNING id
            """, [new.login, new.displayName, new.initials, new.role.rawValue, new.availability.rawValue, new.capacity])
        let responder = Responder(
            id: ResponderID(id), login: new.login, displayName: new.displayName,
            initials: new.initials, role: new.role, availability: new.availability, capacity: new.capacity)
        try append(event, adding: ["responder": new.login])
        return responder
    }

    func updateResponder(_ responder: Responder, because event: EventDraft) throws {
        let changed = try sql.execute("""
            UPDATE responder SET display_name = ?, initials = ?, role = ?, availability = ?, capacity = ?,
                last_assigned_at = ?, last_active_at = ?, removed_at = ?
            WHERE id = ?
            """, [responder.displayName, responder.initials, responder.role.rawValue, responder.availability.rawValue,
                  responder.capacity, responder.lastAssignedAt, responder.lastActiveAt, responder.removedAt, responder.id])
        try requireChange(changed, "responder \(responder.login)")
        try append(event, adding: ["responder": responder.login])
    }

    func insertReply(_ new: NewReply, because event: EventDraft) throws -> Reply {
        let id: Int64 = try inserted("""
            INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at,
                               queued_at, sent_at, platform_id, platform, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [new.conversationID, new.cycle, new.authorID, new.text, new.state.rawValue, new.createdAt, new.createdAt,
                  new.queuedAt, new.sentAt, new.platformID, new.platform?.rawValue, new.nextAttemptAt])
        let reply = Reply(
            id: ReplyID(id), conversationID: new.conversationID, cycle: new.cycle,
            authorID: new.authorID, text: new.text, state: new.state, createdAt: new.createdAt,
            updatedAt: new.createdAt, queuedAt: new.queuedAt, sentAt: new.sentAt, platformID: new.platformID,
            platform: new.platform, nextAttemptAt: new.nextAttemptAt)
        var draft = event
        draft.conversationID = new.conversationID
        try append(draft, adding: ["reply": reply.id.description])
        return reply
    }

    func insertBrandPost(_ post: NewBrandPost, because event: EventDraft) throws -> Bool {
        let id: Int64? = try sql.value("""
            INSERT INTO brand_post (platform, platform_id, channel_id, author_id, text, sent_at, in_reply_to, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, platform_id) DO NOTHING RETURNING id
            """, [post.platform.rawValue, post.platformID, post.channelID, post.authorID, post.text, post.sentAt,
                  post.inReplyTo, post.rawPayload])
        guard let id else { return false }
        try append(event, adding: ["post": String(id), "sent_at": String(post.sentAt.millisecondsSinceEpoch)])
        return true
    }

    func removeBrandPost(platform: Platform, platformID: String) throws {
        try sql.execute("DELETE FROM brand_post WHERE platform = ? AND platform_id = ?", [platform.rawValue, platformID])
    }

    func noteTriageOverride(of conversation: ConversationID, by responder: ResponderID, from: TriageClass, to: TriageClass, at: Timestamp) throws {
        try sql.execute("INSERT INTO triage_override (conversation_id, responder_id, at, from_class, to_class) VALUES (?, ?, ?, ?, ?)",
                        [conversation, responder, at, from.rawValue, to.rawValue])
    }

    func setAccountCursor(_ account: String, to cursor: String, channel: String?, at time: Timestamp) throws {
        try sql.execute("""
            INSERT INTO account_cursor (account, cursor, updated_at, channel) VALUES (?, ?, ?, ?)
            ON CONFLICT (account) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at,
                channel = coalesce(excluded.channel, account_cursor.channel)
            """, [account, cursor, time, channel])
    }

    func updateReply(_ reply: Reply, because event: EventDraft) throws {
        let changed = try sql.execute("""
            UPDATE reply SET text = ?, state = ?, updated_at = ?, queued_at = ?, sent_at = ?,
                platform_id = ?, platform = ?, last_error = ?, attempts = ?, next_attempt_at = ?,
                delivery_started_at = ?, delivery_key = ?, platform_url = ?, delivery_owner = ?
            WHERE id = ?
            """, [reply.text, reply.state.rawValue, reply.updatedAt, reply.queuedAt, reply.sentAt, reply.platformID,
                  reply.platform?.rawValue, reply.lastError, reply.attempts, reply.nextAttemptAt, reply.deliveryStartedAt,
                  reply.deliveryKey, reply.platformURL, reply.deliveryOwner, reply.id])
        try requireChange(changed, "reply \(reply.id)")
        var draft = event
        draft.conversationID = reply.conversationID
        try append(draft, adding: ["reply": reply.id.description])
    }

    func insertNote(
        conversation: ConversationID, author: ResponderID, text: String, at: Timestamp, because event: EventDraft
    ) throws -> Note {
        let id: Int64 = try inserted("INSERT INTO note (conversation_id, author_id, text, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                                     [conversation, author, text, at])
        let note = Note(id: NoteID(id), conversationID: conversation, authorID: author, text: text, createdAt: at)
        var draft = event
        draft.conversationID = conversation
        try append(draft, adding: ["note": note.id.description])
        return note
    }

    func noteAssignment(to responder: ResponderID, at time: Timestamp) throws {
        try sql.execute("UPDATE responder SET last_assigned_at = ? WHERE id = ?", [time, responder])
    }

    func noteTouch(of conversation: ConversationID, at time: Timestamp) throws {
        try sql.execute("UPDATE conversation SET touched_at = ? WHERE id = ?", [time, conversation])
    }

    func noteActivity(of responder: ResponderID, at time: Timestamp) throws {
        try sql.execute("UPDATE responder SET last_active_at = ? WHERE id = ?", [time, responder])
    }

    @discardableResult
    func appendEvent(_ event: EventDraft) throws -> Event {
        try append(event, adding: [:])
    }

    // MARK: - Helpers

    @discardableResult
    private func append(_ draft: EventDraft, adding extra: [String: String]) throws -> Event {
        let detail = extra.isEmpty ? draft.detail : draft.detail.merging(extra) { given, _ in given }
        let occurred = (detail["message_at"] ?? detail["sent_at"]).flatMap { Int64($0) }
        let id: Int64 = try inserted("""
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id
            """, [draft.at, draft.kind.rawValue, draft.actor.description, draft.conversationID,
                  EventDetailCoding.encode(detail), occurred])
        return Event(id: EventID(id), at: draft.at, kind: draft.kind, actor: draft.actor, conversationID: draft.conversationID, detail: detail)
    }

    /// The id an `INSERT … RETURNING id` made; a unique constraint's refusal as a conflict.
    private func inserted(_ query: String, _ arguments: [PostgresSQL.Argument]) throws -> Int64 {
        do {
            guard let id: Int64 = try sql.value(query, arguments) else { throw StoreError.conflict("an insert returned no id") }
            return id
        } catch let failure as PostgresFailure where failure.sqlState == "23505" {
            throw StoreError.conflict(failure.description)
        }
    }

    private func requireChange(_ changed: Int, _ what: String) throws {
        if changed == 0 { throw StoreError.notFound(what: what) }
    }
}
