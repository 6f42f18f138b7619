import EarshotCore
import GRDB
import GRDBSQLite

/// One transaction's view of the SQLite database; implements both protocols so that
/// writes can read what they are about to change.
struct SQLiteSession: InboxWriter {
    let db: Database
}

extension SQLiteSession {
    func channel(_ id: ChannelID) throws -> Channel? {
        try Row.fetchOne(db, sql: "SELECT * FROM channel WHERE id = ?", arguments: [id.rawValue])
            .map(RowDecoding.channel)
    }

    func channel(platform: Platform, handle: String) throws -> Channel? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM channel WHERE platform = ? AND handle = ?",
            arguments: [platform.rawValue, handle]
        ).map(RowDecoding.channel)
    }

    func channels() throws -> [Channel] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM channel ORDER BY id")).map(RowDecoding.channel)
    }

    func customer(_ id: CustomerID) throws -> Customer? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM customer WHERE id = ?"), arguments: [id.rawValue])
            .map(RowDecoding.customer)
    }

    func customer(platform: Platform, handle: String) throws -> Customer? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM customer WHERE platform = ? AND handle = ?"),
            arguments: [platform.rawValue, handle]
        ).map(RowDecoding.customer)
    }

    func mention(_ id: MentionID) throws -> Mention? {
        try Row.fetchOne(db, sql: "SELECT * FROM mention WHERE id = ?", arguments: [id.rawValue])
            .map(RowDecoding.mention)
    }

    func mention(platform: Platform, externalID: String) throws -> Mention? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM mention WHERE platform = ? AND external_id = ?"),
            arguments: [platform.rawValue, externalID]
        ).map(RowDecoding.mention)
    }

    func mentionLink(platform: Platform, externalID: String) throws -> MentionLink? {
        var query = try DirectStatement(db, """
            SELECT id, conversation_id, customer_id, channel_id FROM mention WHERE platform = ? AND external_id = ?
            """)
        query.bind(platform.rawValue)
        query.bind(externalID)
        return try query.firstRow(in: db) { row in
            MentionLink(
                id: MentionID(sqlite3_column_int64(row, 0)), conversationID: ConversationID(sqlite3_column_int64(row, 1)),
                customerID: CustomerID(sqlite3_column_int64(row, 2)), channelID: ChannelID(sqlite3_column_int64(row, 3)))
        }
    }

    func accountCursor(_ account: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT cursor FROM account_cursor WHERE account = ?", arguments: [account])
    }

    func accountChannels() throws -> [String: String] {
        var channels: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT account, channel FROM account_cursor WHERE channel IS NOT NULL") {
            channels[row["account"]] = row["channel"]
        }
        return channels
    }

    func mentionExists(platform: Platform, externalID: String) throws -> Bool {
        var query = try DirectStatement(db, "SELECT 1 FROM mention WHERE platform = ? AND external_id = ?")
        query.bind(platform.rawValue)
        query.bind(externalID)
        return try query.hasRow(in: db)
    }

    func hasReplies(platform: Platform, to externalID: String) throws -> Bool {
        var query = try DirectStatement(db, """
            SELECT 1 FROM mention WHERE platform = ? AND in_reply_to = ? AND in_reply_to IS NOT NULL LIMIT 1
            """)
        query.bind(platform.rawValue)
        query.bind(externalID)
        return try query.hasRow(in: db)
    }

    func mentions(in conversation: ConversationID) throws -> [Mention] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM mention WHERE conversation_id = ? ORDER BY created_at, id",
            arguments: [conversation.rawValue]
        ).map(RowDecoding.mention)
    }

    func mentions(platform: Platform, replyingTo externalID: String) throws -> [Mention] {
        try Row.fetchAll(
            try db.cachedStatement(sql: """
                SELECT * FROM mention WHERE platform = ? AND in_reply_to = ? AND in_reply_to IS NOT NULL
                ORDER BY created_at, id
                """),
            arguments: [platform.rawValue, externalID]
        ).map(RowDecoding.mention)
    }

    func earliestMessageTime(in conversation: ConversationID, cycle: Int, after time: Timestamp) throws -> Timestamp? {
        try Int64.fetchOne(
            try db.cachedStatement(sql: """
                SELECT min(created_at) FROM mention WHERE conversation_id = ? AND cycle = ? AND created_at > ?
                """),
            arguments: [conversation.rawValue, cycle, time.millisecondsSinceEpoch]
        ).map { Timestamp(millisecondsSinceEpoch: $0) }
    }

    func latestMention(platform: Platform, inThread platformConversationID: String, by customer: CustomerID) throws -> Mention? {
        try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT * FROM mention WHERE platform = ? AND platform_conversation_id = ? AND customer_id = ?
                    AND platform_conversation_id IS NOT NULL
                ORDER BY created_at DESC, id DESC LIMIT 1
                """),
            arguments: [platform.rawValue, platformConversationID, customer.rawValue]
        ).map(RowDecoding.mention)
    }

    func draft(in conversation: ConversationID, by author: ResponderID) throws -> Reply? {
        try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT * FROM reply WHERE conversation_id = ? AND author_id = ? AND state = 'draft' ORDER BY id DESC LIMIT 1
                """),
            arguments: [conversation.rawValue, author.rawValue]
        ).map(RowDecoding.reply)
    }

    func reply(platform: Platform, platformID: String) throws -> Reply? {
        try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT * FROM reply WHERE platform = ? AND platform_id = ? AND platform_id IS NOT NULL
                """),
            arguments: [platform.rawValue, platformID]
        ).map(RowDecoding.reply)
    }

    func conversation(_ id: ConversationID) throws -> Conversation? {
        try ConversationLayout.conversation(Row.fetchOne(
            try db.cachedStatement(sql: "SELECT \(Self.conversationColumns) FROM conversation WHERE id = ?"),
            arguments: [id.rawValue]))
    }

    /// The columns `ConversationLayout` reads (by name), plus the labels joined by U+001F
    /// (decoding sorts them).
    static let conversationColumns = """
        id, channel_id, customer_id, status, snoozed_until, priority, triage_class, triage_reason, triage_locked, \
        assignee_id, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, last_reply_at, \
        sla_due_at, preview, (SELECT group_concat(label, char(31)) FROM conversation_label \
        WHERE conversation_id = conversation.id) AS labels, assigned_at, touched_at
        """

    func labels(of conversation: ConversationID) throws -> [String] {
        try String.fetchAll(try db.cachedStatement(sql: "SELECT label FROM conversation_label WHERE conversation_id = ? ORDER BY label"),
            arguments: [conversation.rawValue])
    }

    func openLoads() throws -> [ResponderID: Int] {
        // One index range per responder (there are tens), never a pass over the conversations.
        var loads: [ResponderID: Int] = [:]
        let statement = try db.cachedStatement(sql: """
            SELECT count(*) FROM conversation WHERE assignee_id = ? AND status IN ('open', 'pending')
            """)
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM responder") {
            let count = try Int.fetchOne(statement, arguments: [id]) ?? 0
            if count > 0 { loads[ResponderID(id)] = count }
        }
        return loads
    }

    func lastHandler(of customer: CustomerID, excluding conversation: ConversationID) throws -> ResponderID? {
        try Int64.fetchOne(
            try db.cachedStatement(sql: """
                SELECT assignee_id FROM conversation
                WHERE customer_id = ? AND id != ? AND assignee_id IS NOT NULL
                ORDER BY created_at DESC LIMIT 1
                """),
            arguments: [customer.rawValue, conversation.rawValue]
        ).map(ResponderID.init)
    }

    func assignedConversations(to responder: ResponderID) throws -> [Conversation] {
        try ConversationLayout.conversations(Row.fetchAll(
            db, sql: """
                SELECT \(Self.conversationColumns) FROM conversation
                WHERE assignee_id = ? AND status IN ('open', 'pending', 'snoozed') ORDER BY id
                """,
            arguments: [responder.rawValue]))
    }

    func untouchedAssignments(before: Timestamp, limit: Int) throws -> [Conversation] {
        // Per responder through the assigned-conversation index: as much work as total
        // capacity, never a pass over the whole table.
        var found: [Conversation] = []
        let statement = try db.cachedStatement(sql: """
            SELECT \(Self.conversationColumns) FROM conversation
            WHERE assignee_id = ? AND status = 'open' AND ifnull(touched_at, ifnull(assigned_at, 0)) < ?
            """)
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM responder ORDER BY id") where found.count < limit {
            found += try ConversationLayout.conversations(Row.fetchAll(statement, arguments: [id, before.millisecondsSinceEpoch]))
        }
        return Array(found.sorted { $0.id < $1.id }.prefix(limit))
    }

    func responder(_ id: ResponderID) throws -> Responder? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM responder WHERE id = ?"), arguments: [id.rawValue])
            .map(RowDecoding.responder)
    }

    func responder(login: String) throws -> Responder? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM responder WHERE login = ?"), arguments: [login])
            .map(RowDecoding.responder)
    }

    func responders(includingRemoved: Bool) throws -> [Responder] {
        let filter = includingRemoved ? "" : "WHERE removed_at IS NULL"
        return try Row.fetchAll(db, sql: "SELECT * FROM responder \(filter) ORDER BY login")
            .map(RowDecoding.responder)
    }

    func reply(_ id: ReplyID) throws -> Reply? {
        try Row.fetchOne(db, sql: "SELECT * FROM reply WHERE id = ?", arguments: [id.rawValue])
            .map(RowDecoding.reply)
    }

    func replies(in conversation: ConversationID) throws -> [Reply] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM reply WHERE conversation_id = ? ORDER BY created_at, id",
            arguments: [conversation.rawValue]
        ).map(RowDecoding.reply)
    }

    func dueReplies(at now: Timestamp, limit: Int) throws -> [Reply] {
        try Row.fetchAll(
            db, sql: """
                SELECT * FROM reply WHERE state = 'queued' AND next_attempt_at <= ?
                    AND delivery_started_at IS NULL ORDER BY next_attempt_at, id LIMIT ?
                """,
            arguments: [now.millisecondsSinceEpoch, limit]
        ).map(RowDecoding.reply)
    }

    func repliesInDelivery() throws -> [Reply] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM reply WHERE state = 'queued' AND delivery_started_at IS NOT NULL ORDER BY id"
        ).map(RowDecoding.reply)
    }

    func nextDeliveryTime() throws -> Timestamp? {
        try Int64.fetchOne(
            db, sql: "SELECT min(next_attempt_at) FROM reply WHERE state = 'queued' AND delivery_started_at IS NULL"
        ).map(Timestamp.init(millisecondsSinceEpoch:))
    }

    func unsentReplies(by author: ResponderID?, limit: Int) throws -> [Reply] {
        let filter = author == nil ? "" : "author_id = ? AND "
        return try Row.fetchAll(
            db, sql: "SELECT * FROM reply WHERE \(filter)state IN ('queued', 'failed') ORDER BY id DESC LIMIT ?",
            arguments: StatementArguments((author.map { [$0.rawValue] } ?? []) + [Int64(limit)])
        ).map(RowDecoding.reply)
    }

    func events(for conversation: ConversationID, after time: Timestamp) throws -> [Event] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM event WHERE conversation_id = ? AND at > ? ORDER BY id",
            arguments: [conversation.rawValue, time.millisecondsSinceEpoch]
        ).map(RowDecoding.event)
    }

    func notes(in conversation: ConversationID) throws -> [Note] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM note WHERE conversation_id = ? ORDER BY created_at, id",
            arguments: [conversation.rawValue]
        ).map(RowDecoding.note)
    }

    func events(for conversation: ConversationID) throws -> [Event] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM event WHERE conversation_id = ? ORDER BY id",
            arguments: [conversation.rawValue]
        ).map(RowDecoding.event)
    }

    func events(after: EventID?, limit: Int) throws -> [Event] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM event WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [after?.rawValue ?? 0, limit]
        ).map(RowDecoding.event)
    }

    func countUnassigned() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT ifnull(sum(unassigned), 0) FROM queue_tally") ?? 0
    }

    func hourlyTraffic(since: Timestamp) throws -> (arrivals: [Int64: Int], replies: [Int64: Int]) {
        func perHour(_ sql: String) throws -> [Int64: Int] {
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: [since.millisecondsSinceEpoch]) {
                counts[(row[0] as Int64) * 3_600_000] = row[1]
            }
            return counts
        }
        return (
            try perHour("SELECT created_at / 3600000, count(*) FROM mention WHERE created_at >= ? GROUP BY 1"),
            try perHour("SELECT sent_at / 3600000, count(*) FROM reply WHERE state = 'sent' AND sent_at >= ? GROUP BY 1"))
    }

    /// A conversation's claim to the first reply sent after it (SQL shared by both stores: the
    /// reply index by conversation answers it; NULL when nothing was sent after the claim).
    static let firstReplyAfterClaim = """
        (SELECT min(reply.sent_at) FROM reply WHERE reply.conversation_id = conversation.id AND reply.state = 'sent'
            AND reply.sent_at >= conversation.assigned_at) - conversation.assigned_at
        """

    func forecastHistory(from: Timestamp, to: Timestamp, handlingFrom: Timestamp) throws -> ForecastHistory {
        let range: StatementArguments = [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]
        let handlingRange: StatementArguments = [max(from, handlingFrom).millisecondsSinceEpoch, to.millisecondsSinceEpoch]
        var arrivals: [Int64: Int] = [:]
        let hours = try Row.fetchCursor(db, sql: """
            SELECT created_at / 3600000, count(*) FROM conversation WHERE created_at >= ? AND created_at < ? GROUP BY 1
            """, arguments: range)
        while let row = try hours.next() { arrivals[(row[0] as Int64) * 3_600_000] = row[1] }
        var claimToReply: [Int64] = []
        var replied = 0
        let answered = try Row.fetchCursor(db, sql: """
            SELECT \(Self.firstReplyAfterClaim) FROM conversation WHERE last_reply_at >= ? AND last_reply_at < ?
            """, arguments: handlingRange)
        while let row = try answered.next() {
            replied += 1
            if let held: Int64 = row[0], held >= 0 { claimToReply.append(held) }
        }
        let sent = try Int.fetchOne(db, sql: "SELECT count(*) FROM reply WHERE state = 'sent' AND sent_at >= ? AND sent_at < ?", arguments: handlingRange) ?? 0
        return ForecastHistory(arrivals: arrivals, claimToReply: claimToReply, conversationsReplied: replied, repliesSent: sent)
    }

    func triageOverrides(since: Timestamp) throws -> [TriageOverrideCount] {
        try Row.fetchAll(
            try db.cachedStatement(sql: """
                SELECT from_class, to_class, count(*) AS n FROM triage_override WHERE at >= ?
                GROUP BY from_class, to_class ORDER BY n DESC, from_class, to_class
                """),
            arguments: [since]
        ).compactMap { row in
            guard let from = TriageClass(rawValue: row["from_class"]), let to = TriageClass(rawValue: row["to_class"]) else { return nil }
            return TriageOverrideCount(from: from, to: to, count: row["n"])
        }
    }

    func waitingSummary() throws -> (count: Int, oldest: Timestamp?) {
        // The count from the tally; the oldest is the first entry of `conversation_waiting`.
        let count = try Int.fetchOne(db, sql: "SELECT ifnull(sum(waiting), 0) FROM queue_tally") ?? 0
        let oldest = try Int64.fetchOne(db, sql: """
            SELECT min(waiting_since) FROM conversation INDEXED BY conversation_waiting
            WHERE status = 'open' AND routable = 1 AND waiting_since IS NOT NULL
            """)
        return (count, oldest.map { Timestamp(millisecondsSinceEpoch: $0) })
    }

    func counts() throws -> StoreCounts {
        func count(_ table: String) throws -> Int {
            try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        }
        var counts = StoreCounts()
        counts.channels = try count("channel")
        counts.customers = try count("customer")
        counts.mentions = try count("mention")
        counts.conversations = try count("conversation")
        counts.responders = try count("responder")
        counts.replies = try count("reply")
        counts.notes = try count("note")
        counts.brandPosts = try count("brand_post")
        counts.events = try count("event")
        return counts
    }
}
