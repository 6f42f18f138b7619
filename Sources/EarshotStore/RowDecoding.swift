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
            id: row["id"], platform: try enumValue(row, "platform", table: "channel"),
            handle: row["handle"], displayName: row["display_name"], createdAt: row["created_at"])
    }

    static func customer(_ row: Row) throws -> Customer {
        Customer(
            id: row["id"], platform: try enumValue(row, "platform", table: "customer"),
            handle: row["handle"], displayName: row["display_name"],
            firstSeen: row["first_seen"], notes: row["notes"])
    }

    static func mention(_ row: Row) throws -> Mention {
        Mention(
            id: row["id"], platform: try enumValue(row, "platform", table: "mention"),
            externalID: row["external_id"], channelID: row["channel_id"],
            customerID: row["customer_id"], conversationID: row["conversation_id"],
            cycle: row["cycle"], kind: try enumValue(row, "kind", table: "mention"), text: row["text"],
            createdAt: row["created_at"], inReplyToExternalID: row["in_reply_to"],
            platformConversationID: row["platform_conversation_id"], rawPayload: row["raw"])
    }

    static func responder(_ row: Row) throws -> Responder {
        Responder(
            id: row["id"], login: row["login"], displayName: row["display_name"],
            initials: row["initials"], role: try enumValue(row, "role", table: "responder"),
            availability: try enumValue(row, "availability", table: "responder"), capacity: row["capacity"],
            lastAssignedAt: row["last_assigned_at"],
            lastActiveAt: row["last_active_at"], removedAt: row["removed_at"])
    }

    static func reply(_ row: Row) throws -> Reply {
        var decoded = Reply(
            id: row["id"], conversationID: row["conversation_id"], cycle: row["cycle"],
            authorID: row["author_id"], text: row["text"],
            state: try enumValue(row, "state", table: "reply"), createdAt: row["created_at"],
            updatedAt: row["updated_at"], queuedAt: row["queued_at"],
            sentAt: row["sent_at"], platformID: row["platform_id"],
            platform: try (row["platform"] as String?).map { raw in
                guard let platform = Platform(rawValue: raw) else {
                    throw CorruptValue(table: "reply", id: row["id"], column: "platform", value: raw)
                }
                return platform
            },
            lastError: row["last_error"], attempts: row["attempts"],
            nextAttemptAt: row["next_attempt_at"],
            deliveryStartedAt: row["delivery_started_at"], deliveryKey: row["delivery_key"], platformURL: row["platform_url"])
        decoded.deliveryOwner = row["delivery_owner"]
        return decoded
    }

    static func note(_ row: Row) -> Note {
        Note(
            id: row["id"], conversationID: row["conversation_id"],
            authorID: row["author_id"], text: row["text"], createdAt: row["created_at"])
    }

    static func event(_ row: Row) throws -> Event {
        let actorText: String = row["actor"]
        guard let actor = Actor(stored: actorText) else {
            throw CorruptValue(table: "event", id: row["id"], column: "actor", value: actorText)
        }
        return Event(
            id: row["id"], at: row["at"], kind: try enumValue(row, "kind", table: "event"),
            actor: actor, conversationID: row["conversation_id"],
            detail: EventDetailCoding.decode(row["detail"]))
    }
}
