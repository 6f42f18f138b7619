import EarshotCore
import GRDB

/// Writes. Every method that changes a row appends its event before returning; both
/// live in the caller's transaction, so they commit or roll back together.
extension SQLiteSession {
    func insertChannel(platform: Platform, handle: String, displayName: String, because event: EventDraft) throws -> Channel {
        try db.execute(
            sql: "INSERT INTO channel (platform, handle, display_name, created_at) VALUES (?, ?, ?, ?)",
            arguments: [platform.rawValue, handle, displayName, event.at.millisecondsSinceEpoch])
        let channel = Channel(
            id: ChannelID(db.lastInsertedRowID), platform: platform, handle: handle,
            displayName: displayName, createdAt: event.at)
        try append(event, adding: ["channel": channel.id.description])
        return channel
    }

    func insertCustomer(
        platform: Platform, handle: String, displayName: String, firstSeen: Timestamp, because event: EventDraft
    ) throws -> Customer {
        try db.cachedStatement(sql: """
            INSERT INTO customer (platform, handle, display_name, first_seen) VALUES (?, ?, ?, ?)
            """).execute(arguments: [platform.rawValue, handle, displayName, firstSeen.millisecondsSinceEpoch])
        let customer = Customer(
            id: CustomerID(db.lastInsertedRowID), platform: platform, handle: handle,
            displayName: displayName, firstSeen: firstSeen)
        try append(event, adding: ["customer": customer.id.description])
        return customer
    }

    func updateCustomer(_ customer: Customer, because event: EventDraft) throws {
        try db.execute(
            sql: "UPDATE customer SET display_name = ?, notes = ? WHERE id = ?",
            arguments: [customer.displayName, customer.notes, customer.id.rawValue])
        try requireChange("customer \(customer.id)")
        try append(event, adding: ["customer": customer.id.description])
    }

    func insertMention(_ mention: NewMention, because event: EventDraft) throws -> MentionInsertOutcome {
        guard let stored = try insertMentionRow(mention) else {
            let existing = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT id FROM mention WHERE platform = ? AND external_id = ?"),
                arguments: [mention.platform.rawValue, mention.externalID])
            return .duplicate(existing: MentionID(existing ?? 0))
        }
        var draft = event
        draft.conversationID = draft.conversationID ?? mention.conversationID
        try append(draft, adding: ["mention": stored.id.description])
        return .inserted(stored)
    }

    /// Inserts the row unless (platform, external id) exists; nil for a duplicate.
    private func insertMentionRow(_ mention: NewMention) throws -> Mention? {
        var insert = try DirectStatement(db, """
            INSERT INTO mention (platform, external_id, channel_id, customer_id, conversation_id, cycle, kind,
                                 text, created_at, in_reply_to, platform_conversation_id, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, external_id) DO NOTHING
            """)
        insert.bind(mention.platform.rawValue)
        insert.bind(mention.externalID)
        insert.bind(mention.channelID.rawValue)
        insert.bind(mention.customerID.rawValue)
        insert.bind(mention.conversationID.rawValue)
        insert.bind(mention.cycle)
        insert.bind(mention.kind.rawValue)
        insert.bind(mention.text)
        insert.bind(mention.createdAt.millisecondsSinceEpoch)
        insert.bind(mention.inReplyToExternalID)
        insert.bind(mention.platformConversationID)
        insert.bind(mention.rawPayload)
        try insert.execute(in: db)
        guard db.changesCount > 0 else { return nil }
        return Mention(
            id: MentionID(db.lastInsertedRowID), platform: mention.platform, externalID: mention.externalID,
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
        var insert = try DirectStatement(db, """
            INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason,
                routable, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since,
                sla_due_at, preview)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
            """)
        let started = new.startedAt.millisecondsSinceEpoch
        insert.bind(new.channelID.rawValue)
        insert.bind(new.customerID.rawValue)
        insert.bind(new.status.rawValue)
        insert.bind(new.priority.rawValue)
        insert.bind(new.triageClass.rawValue)
        insert.bind(new.triageReason)
        insert.bind(new.triageClass.isRoutable)
        insert.bind(started)
        insert.bind(started)
        insert.bind(started)
        insert.bind(started)
        insert.bind(waitingSince?.millisecondsSinceEpoch)
        insert.bind(new.slaDueAt?.millisecondsSinceEpoch)
        insert.bind(new.preview)
        try insert.execute(in: db)
        return Conversation(
            id: ConversationID(db.lastInsertedRowID), channelID: new.channelID, customerID: new.customerID,
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
        try db.execute(
            sql: "UPDATE mention SET conversation_id = ? WHERE conversation_id = ?",
            arguments: [target.rawValue, source.rawValue])
        try db.execute(
            sql: "UPDATE reply SET conversation_id = ? WHERE conversation_id = ?",
            arguments: [target.rawValue, source.rawValue])
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
        var update = try DirectStatement(db, """
            UPDATE conversation SET status = ?, snoozed_until = ?, priority = ?, triage_class = ?,
                triage_reason = ?, triage_locked = ?, routable = ?, assignee_id = ?, cycle = ?, cycle_started_at = ?,
                updated_at = ?, last_customer_at = ?, waiting_since = ?, last_reply_at = ?, sla_due_at = ?, preview = ?,
                assigned_at = ?, touched_at = ?
            WHERE id = ?
            """)
        update.bind(conversation.status.rawValue)
        update.bind(conversation.snoozedUntil?.millisecondsSinceEpoch)
        update.bind(conversation.priority.rawValue)
        update.bind(conversation.triageClass.rawValue)
        update.bind(conversation.triageReason)
        update.bind(conversation.triageLocked)
        update.bind(conversation.triageClass.isRoutable)
        update.bind(conversation.assigneeID?.rawValue)
        update.bind(conversation.cycle)
        update.bind(conversation.cycleStartedAt.millisecondsSinceEpoch)
        update.bind(conversation.updatedAt.millisecondsSinceEpoch)
        update.bind(conversation.lastCustomerMessageAt.millisecondsSinceEpoch)
        update.bind(conversation.waitingSince?.millisecondsSinceEpoch)
        update.bind(conversation.lastReplyAt?.millisecondsSinceEpoch)
        update.bind(conversation.slaDueAt?.millisecondsSinceEpoch)
        update.bind(conversation.preview)
        update.bind(conversation.assignedAt?.millisecondsSinceEpoch)
        update.bind(conversation.touchedAt?.millisecondsSinceEpoch)
        update.bind(conversation.id.rawValue)
        try update.execute(in: db)
        try requireChange("conversation \(conversation.id)")
    }

    func setLabels(_ labels: [String], on conversation: ConversationID, because event: EventDraft) throws {
        let wanted = Set(labels)
        let stored = try self.labels(of: conversation)
        for label in stored where !wanted.contains(label) {
            try db.execute(
                sql: "DELETE FROM conversation_label WHERE conversation_id = ? AND label = ?",
                arguments: [conversation.rawValue, label])
        }
        for label in wanted.subtracting(stored) {
            try db.execute(
                sql: "INSERT INTO conversation_label (conversation_id, label) VALUES (?, ?)",
                arguments: [conversation.rawValue, label])
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
        try db.execute(
            sql: """
                INSERT INTO responder (login, display_name, initials, role, availability, capacity)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [new.login, new.displayName, new.initials, new.role.rawValue,
                        new.availability.rawValue, new.capacity])
        let responder = Responder(
            id: ResponderID(db.lastInsertedRowID), login: new.login, displayName: new.displayName,
            initials: new.initials, role: new.role, availability: new.availability, capacity: new.capacity)
        try append(event, adding: ["responder": new.login])
        return responder
    }

    func updateResponder(_ responder: Responder, because event: EventDraft) throws {
        try db.execute(
            sql: """
                UPDATE responder SET display_name = ?, initials = ?, role = ?, availability = ?, capacity = ?,
                    last_assigned_at = ?, last_active_at = ?, removed_at = ?
                WHERE id = ?
                """,
            arguments: [
                responder.displayName, responder.initials, responder.role.rawValue,
                responder.availability.rawValue, responder.capacity,
                responder.lastAssignedAt?.millisecondsSinceEpoch, responder.lastActiveAt?.millisecondsSinceEpoch,
                responder.removedAt?.millisecondsSinceEpoch, responder.id.rawValue,
            ])
        try requireChange("responder \(responder.login)")
        try append(event, adding: ["responder": responder.login])
    }

    func insertReply(_ new: NewReply, because event: EventDraft) throws -> Reply {
        try db.cachedStatement(sql: """
            INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at,
                               queued_at, sent_at, platform_id, platform, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                new.conversationID.rawValue, new.cycle, new.authorID.rawValue, new.text, new.state.rawValue,
                new.createdAt.millisecondsSinceEpoch, new.createdAt.millisecondsSinceEpoch,
                new.queuedAt?.millisecondsSinceEpoch, new.sentAt?.millisecondsSinceEpoch, new.platformID,
                new.platform?.rawValue, new.nextAttemptAt?.millisecondsSinceEpoch,
            ])
        let reply = Reply(
            id: ReplyID(db.lastInsertedRowID), conversationID: new.conversationID, cycle: new.cycle,
            authorID: new.authorID, text: new.text, state: new.state, createdAt: new.createdAt,
            updatedAt: new.createdAt, queuedAt: new.queuedAt, sentAt: new.sentAt, platformID: new.platformID,
            platform: new.platform, nextAttemptAt: new.nextAttemptAt)
        var draft = event
        draft.conversationID = new.conversationID
        try append(draft, adding: ["reply": reply.id.description])
        return reply
    }

    func insertBrandPost(_ post: NewBrandPost, because event: EventDraft) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT INTO brand_post (platform, platform_id, channel_id, author_id, text, sent_at, in_reply_to, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, platform_id) DO NOTHING
            """).execute(arguments: [
                post.platform.rawValue, post.platformID, post.channelID, post.authorID, post.text, post.sentAt,
                post.inReplyTo, post.rawPayload,
            ])
        guard db.changesCount > 0 else { return false }
        try append(event, adding: ["post": String(db.lastInsertedRowID), "sent_at": String(post.sentAt.millisecondsSinceEpoch)])
        return true
    }

    func noteTriageOverride(of conversation: ConversationID, by responder: ResponderID, from: TriageClass, to: TriageClass, at: Timestamp) throws {
        try db.cachedStatement(sql: """
            INSERT INTO triage_override (conversation_id, responder_id, at, from_class, to_class) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [conversation, responder, at, from.rawValue, to.rawValue])
    }

    func removeBrandPost(platform: Platform, platformID: String) throws {
        try db.cachedStatement(sql: "DELETE FROM brand_post WHERE platform = ? AND platform_id = ?")
            .execute(arguments: [platform.rawValue, platformID])
    }

    func setAccountCursor(_ account: String, to cursor: String, channel: String?, at time: Timestamp) throws {
        try db.execute(
            sql: """
                INSERT INTO account_cursor (account, cursor, updated_at, channel) VALUES (?, ?, ?, ?)
                ON CONFLICT (account) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at,
                    channel = coalesce(excluded.channel, account_cursor.channel)
                """,
            arguments: [account, cursor, time.millisecondsSinceEpoch, channel])
    }

    func updateReply(_ reply: Reply, because event: EventDraft) throws {
        try db.execute(
            sql: """
                UPDATE reply SET text = ?, state = ?, updated_at = ?, queued_at = ?, sent_at = ?,
                    platform_id = ?, platform = ?, last_error = ?, attempts = ?, next_attempt_at = ?,
                    delivery_started_at = ?, delivery_key = ?, platform_url = ?, delivery_owner = ?
                WHERE id = ?
                """,
            arguments: [
                reply.text, reply.state.rawValue, reply.updatedAt.millisecondsSinceEpoch,
                reply.queuedAt?.millisecondsSinceEpoch, reply.sentAt?.millisecondsSinceEpoch, reply.platformID,
                reply.platform?.rawValue, reply.lastError, reply.attempts, reply.nextAttemptAt?.millisecondsSinceEpoch,
                reply.deliveryStartedAt?.millisecondsSinceEpoch, reply.deliveryKey, reply.platformURL, reply.deliveryOwner, reply.id.rawValue,
            ])
        try requireChange("reply \(reply.id)")
        var draft = event
        draft.conversationID = reply.conversationID
        try append(draft, adding: ["reply": reply.id.description])
    }

    func insertNote(
        conversation: ConversationID, author: ResponderID, text: String, at: Timestamp, because event: EventDraft
    ) throws -> Note {
        try db.execute(
            sql: "INSERT INTO note (conversation_id, author_id, text, created_at) VALUES (?, ?, ?, ?)",
            arguments: [conversation.rawValue, author.rawValue, text, at.millisecondsSinceEpoch])
        let note = Note(
            id: NoteID(db.lastInsertedRowID), conversationID: conversation, authorID: author, text: text, createdAt: at)
        var draft = event
        draft.conversationID = conversation
        try append(draft, adding: ["note": note.id.description])
        return note
    }

    func noteAssignment(to responder: ResponderID, at time: Timestamp) throws {
        try db.execute(
            sql: "UPDATE responder SET last_assigned_at = ? WHERE id = ?",
            arguments: [time.millisecondsSinceEpoch, responder.rawValue])
    }

    func noteTouch(of conversation: ConversationID, at time: Timestamp) throws {
        try db.execute(
            sql: "UPDATE conversation SET touched_at = ? WHERE id = ?",
            arguments: [time.millisecondsSinceEpoch, conversation.rawValue])
    }

    func noteActivity(of responder: ResponderID, at time: Timestamp) throws {
        try db.execute(
            sql: "UPDATE responder SET last_active_at = ? WHERE id = ?",
            arguments: [time.millisecondsSinceEpoch, responder.rawValue])
    }

    @discardableResult
    func appendEvent(_ event: EventDraft) throws -> Event {
        try append(event, adding: [:])
    }

    // MARK: - Helpers

    @discardableResult
    private func append(_ draft: EventDraft, adding extra: [String: String]) throws -> Event {
        let detail = extra.isEmpty ? draft.detail : draft.detail.merging(extra) { given, _ in given }
        var insert = try DirectStatement(db, """
            INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?)
            """)
        insert.bind(draft.at.millisecondsSinceEpoch)
        insert.bind(draft.kind.rawValue)
        insert.bind(draft.actor.description)
        insert.bind(draft.conversationID?.rawValue)
        insert.bind(EventDetailCoding.encode(detail))
        // The time the fact happened in the world, for metrics (see v6_event_occurred_at).
        insert.bind((detail["message_at"] ?? detail["sent_at"]).flatMap { Int64($0) })
        try insert.execute(in: db)
        return Event(
            id: EventID(db.lastInsertedRowID), at: draft.at, kind: draft.kind, actor: draft.actor,
            conversationID: draft.conversationID, detail: detail)
    }

    private func requireChange(_ what: String) throws {
        if db.changesCount == 0 { throw StoreError.notFound(what: what) }
    }

}
