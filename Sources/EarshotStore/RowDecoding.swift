import EarshotCore
import GRDB

/// Turns rows into domain values. A value the domain cannot read (an unknown enum name,
/// say, written by a newer build) raises a message naming the table, row and column.
enum RowDecoding {
    struct CorruptValue: Error, CustomStringConvertible {
        let table: String
        let id: Int64
        let column: String
        let value: String
        var description: String { "\(table) row \(id): unreadable \(column) \"\(value)\"" }
    }

    static func timestamp(_ row: Row, _ column: String) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: row[column])
    }

    static func optionalTimestamp(_ row: Row, _ column: String) -> Timestamp? {
        (row[column] as Int64?).map { Timestamp(millisecondsSinceEpoch: $0) }
    }

    static func enumValue<E: RawRepresentable>(_ row: Row, _ column: String, table: String) throws -> E
    where E.RawValue == String {
        let raw: String = row[column]
        guard let value = E(rawValue: raw) else {
            throw CorruptValue(table: table, id: row["id"], column: column, value: raw)
        }
        return value
    }

    static func channel(_ row: Row) throws -> Channel {
        Channel(
            id: ChannelID(row["id"]), platform: try enumValue(row, "platform", table: "channel"),
            handle: row["handle"], displayName: row["display_name"], createdAt: timestamp(row, "created_at"))
    }

    static func customer(_ row: Row) throws -> Customer {
        Customer(
            id: CustomerID(row["id"]), platform: try enumValue(row, "platform", table: "customer"),
            handle: row["handle"], displayName: row["display_name"],
            firstSeen: timestamp(row, "first_seen"), notes: row["notes"])
    }

    static func mention(_ row: Row) throws -> Mention {
        Mention(
            id: MentionID(row["id"]), platform: try enumValue(row, "platform", table: "mention"),
            externalID: row["external_id"], channelID: ChannelID(row["channel_id"]),
            customerID: CustomerID(row["customer_id"]), conversationID: ConversationID(row["conversation_id"]),
            cycle: row["cycle"], kind: try enumValue(row, "kind", table: "mention"), text: row["text"],
            createdAt: timestamp(row, "created_at"), inReplyToExternalID: row["in_reply_to"],
            platformConversationID: row["platform_conversation_id"], rawPayload: row["raw"])
    }

    /// Reads the columns of `SQLiteSession.conversationColumns` by position.
    static func conversation(_ row: Row) throws -> Conversation {
        let id: Int64 = row[0]
        let labels = (row[19] as String?)?.split(separator: "\u{1F}").map(String.init).sorted() ?? []
        func time(_ index: Int) -> Timestamp { Timestamp(millisecondsSinceEpoch: row[index]) }
        func optionalTime(_ index: Int) -> Timestamp? { (row[index] as Int64?).map { Timestamp(millisecondsSinceEpoch: $0) } }
        func named<E: RawRepresentable>(_ index: Int, _ column: String) throws -> E where E.RawValue == String {
            let raw: String = row[index]
            guard let value = E(rawValue: raw) else {
                throw CorruptValue(table: "conversation", id: id, column: column, value: raw)
            }
            return value
        }
        let priorityValue: Int = row[5]
        guard let priority = Priority(rawValue: priorityValue) else {
            throw CorruptValue(table: "conversation", id: id, column: "priority", value: String(priorityValue))
        }
        var conversation = Conversation(
            id: ConversationID(id), channelID: ChannelID(row[1]), customerID: CustomerID(row[2]),
            status: try named(3, "status"), snoozedUntil: optionalTime(4), priority: priority,
            triageClass: try named(6, "triage_class"), triageReason: row[7], triageLocked: row[8],
            assigneeID: (row[9] as Int64?).map(ResponderID.init), labels: labels, cycle: row[10],
            cycleStartedAt: time(11), createdAt: time(12), updatedAt: time(13), lastCustomerMessageAt: time(14),
            waitingSince: optionalTime(15), lastReplyAt: optionalTime(16), slaDueAt: optionalTime(17),
            preview: row[18])
        conversation.assignedAt = optionalTime(20)
        conversation.touchedAt = optionalTime(21)
        return conversation
    }

    static func responder(_ row: Row) throws -> Responder {
        Responder(
            id: ResponderID(row["id"]), login: row["login"], displayName: row["display_name"],
            initials: row["initials"], role: try enumValue(row, "role", table: "responder"),
            availability: try enumValue(row, "availability", table: "responder"), capacity: row["capacity"],
            lastAssignedAt: optionalTimestamp(row, "last_assigned_at"),
            lastActiveAt: optionalTimestamp(row, "last_active_at"), removedAt: optionalTimestamp(row, "removed_at"))
    }

    static func reply(_ row: Row) throws -> Reply {
        Reply(
            id: ReplyID(row["id"]), conversationID: ConversationID(row["conversation_id"]), cycle: row["cycle"],
            authorID: ResponderID(row["author_id"]), text: row["text"],
            state: try enumValue(row, "state", table: "reply"), createdAt: timestamp(row, "created_at"),
            updatedAt: timestamp(row, "updated_at"), queuedAt: optionalTimestamp(row, "queued_at"),
            sentAt: optionalTimestamp(row, "sent_at"), platformID: row["platform_id"],
            platform: try (row["platform"] as String?).map { raw in
                guard let platform = Platform(rawValue: raw) else {
                    throw CorruptValue(table: "reply", id: row["id"], column: "platform", value: raw)
                }
                return platform
            },
            lastError: row["last_error"], attempts: row["attempts"],
            nextAttemptAt: optionalTimestamp(row, "next_attempt_at"),
            deliveryStartedAt: optionalTimestamp(row, "delivery_started_at"))
    }

    static func note(_ row: Row) -> Note {
        Note(
            id: NoteID(row["id"]), conversationID: ConversationID(row["conversation_id"]),
            authorID: ResponderID(row["author_id"]), text: row["text"], createdAt: timestamp(row, "created_at"))
    }

    static func event(_ row: Row) throws -> Event {
        let actorText: String = row["actor"]
        guard let actor = Actor(stored: actorText) else {
            throw CorruptValue(table: "event", id: row["id"], column: "actor", value: actorText)
        }
        return Event(
            id: EventID(row["id"]), at: timestamp(row, "at"), kind: try enumValue(row, "kind", table: "event"),
            actor: actor, conversationID: (row["conversation_id"] as Int64?).map(ConversationID.init),
            detail: EventDetailCoding.decode(row["detail"]))
    }
}
