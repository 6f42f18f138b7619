import EarshotCore
import GRDB

/// Where each column of a conversation sits in a query's result, found by name once per query:
/// decoding maps by column name (a reordered SELECT cannot swap two fields), while each row
/// reads by position, because GRDB's by-name lookup lowercases the name on every access,
/// which dominated reading a window of conversations.
struct ConversationLayout {
    let id, channelID, customerID, status, snoozedUntil, priority, triageClass, triageReason, triageLocked: Int
    let assigneeID, cycle, cycleStartedAt, createdAt, updatedAt, lastCustomerAt, waitingSince, lastReplyAt: Int
    let slaDueAt, preview, labels, assignedAt, touchedAt: Int

    /// The layout of the result `row` belongs to; throws naming a column the query left out.
    init(_ row: Row) throws {
        let names = Array(row.columnNames).map { $0.lowercased() }
        func index(_ column: String) throws -> Int {
            guard let index = names.firstIndex(of: column) else { throw MissingColumn(column: column) }
            return index
        }
        id = try index("id")
        channelID = try index("channel_id")
        customerID = try index("customer_id")
        status = try index("status")
        snoozedUntil = try index("snoozed_until")
        priority = try index("priority")
        triageClass = try index("triage_class")
        triageReason = try index("triage_reason")
        triageLocked = try index("triage_locked")
        assigneeID = try index("assignee_id")
        cycle = try index("cycle")
        cycleStartedAt = try index("cycle_started_at")
        createdAt = try index("created_at")
        updatedAt = try index("updated_at")
        lastCustomerAt = try index("last_customer_at")
        waitingSince = try index("waiting_since")
        lastReplyAt = try index("last_reply_at")
        slaDueAt = try index("sla_due_at")
        preview = try index("preview")
        labels = try index("labels")
        assignedAt = try index("assigned_at")
        touchedAt = try index("touched_at")
    }

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "a conversation query did not select \(column)" }
    }

    /// Every row of a result as conversations, the layout read from the first.
    static func conversations(_ rows: [Row]) throws -> [Conversation] {
        guard let first = rows.first else { return [] }
        let layout = try ConversationLayout(first)
        return try rows.map(layout.conversation)
    }

    static func conversation(_ row: Row?) throws -> Conversation? {
        try row.map { try ConversationLayout($0).conversation($0) }
    }

    func conversation(_ row: Row) throws -> Conversation {
        let rowID: Int64 = row[id]
        func named<E: RawRepresentable>(_ index: Int, _ column: String) throws -> E where E.RawValue == String {
            let raw: String = row[index]
            guard let value = E(rawValue: raw) else {
                throw RowDecoding.CorruptValue(table: "conversation", id: rowID, column: column, value: raw)
            }
            return value
        }
        let priorityValue: Int = row[priority]
        guard let priority = Priority(rawValue: priorityValue) else {
            throw RowDecoding.CorruptValue(table: "conversation", id: rowID, column: "priority", value: String(priorityValue))
        }
        var conversation = Conversation(
            id: row[id], channelID: row[channelID], customerID: row[customerID],
            status: try named(status, "status"), snoozedUntil: row[snoozedUntil], priority: priority,
            triageClass: try named(triageClass, "triage_class"), triageReason: row[triageReason], triageLocked: row[triageLocked],
            assigneeID: row[assigneeID], labels: (row[labels] as String?)?.split(separator: "\u{1F}").map(String.init).sorted() ?? [],
            cycle: row[cycle], cycleStartedAt: row[cycleStartedAt], createdAt: row[createdAt], updatedAt: row[updatedAt],
            lastCustomerMessageAt: row[lastCustomerAt], waitingSince: row[waitingSince], lastReplyAt: row[lastReplyAt],
            slaDueAt: row[slaDueAt], preview: row[preview])
        conversation.assignedAt = row[assignedAt]
        conversation.touchedAt = row[touchedAt]
        return conversation
    }
}
