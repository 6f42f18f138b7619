import EarshotCore
import GRDB

/// The reads behind a client's queue windows, summary counts and thread history; each is an
/// index range (the counts read index entries only), never a pass over the conversations.
extension SQLiteSession {
    func queue(_ view: QueueView, from start: QueueStart, narrowedBy narrowing: QueueNarrowing, limit: Int) throws -> [Conversation] {
        let query = QueueQuery(view: view, start: start, narrowing: narrowing, limit: limit)
        // Cached: a view has a handful of SQL shapes (anchor direction, filters set), and parsing
        // one costs more than reading a window of rows.
        let rows = try ConversationLayout.conversations(Row.fetchAll(try db.cachedStatement(sql: query.sql), arguments: StatementArguments(query.arguments)))
        return query.reversed ? rows.reversed() : rows
    }

    func countOpen(assignedTo responder: ResponderID) throws -> Int {
        try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT count(*) FROM conversation WHERE assignee_id = ? AND status IN ('open', 'pending')"),
            arguments: [responder.rawValue]) ?? 0
    }

    func countBreached(at now: Timestamp) throws -> Int {
        // The hours already past from the tally (`Migrations.addQueueTally`), the current hour
        // from its range of `conversation_open`: a few thousand rows at most, whatever the backlog.
        let hour = now.millisecondsSinceEpoch / 3_600_000
        let past = try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT ifnull(sum(open_routable), 0) FROM queue_tally WHERE hour < ?"),
            arguments: [hour]) ?? 0
        let current = try Int.fetchOne(
            try db.cachedStatement(sql: """
                SELECT count(*) FROM conversation WHERE status = 'open' AND routable = 1 AND queue_due >= ? AND queue_due <= ?
                """),
            arguments: [hour * 3_600_000, now.millisecondsSinceEpoch]) ?? 0
        return past + current
    }

    func latestEventID() throws -> EventID? {
        try Int64.fetchOne(db, sql: "SELECT max(id) FROM event").map(EventID.init)
    }

    func conversations(of customer: CustomerID, excluding: ConversationID, limit: Int) throws -> [Conversation] {
        try ConversationLayout.conversations(Row.fetchAll(
            try db.cachedStatement(sql: """
                SELECT \(Self.conversationColumns) FROM conversation WHERE customer_id = ? AND id != ?
                ORDER BY created_at DESC, id DESC LIMIT ?
                """),
            arguments: [customer.rawValue, excluding.rawValue, limit]
        ))
    }

    func noteCount(in conversation: ConversationID) throws -> Int {
        try Int.fetchOne(
            try db.cachedStatement(sql: "SELECT count(*) FROM note WHERE conversation_id = ?"),
            arguments: [conversation.rawValue]) ?? 0
    }
}
