import EarshotCore
import GRDB
import PostgresNIO
import Synchronization

/// One transaction's view of the PostgreSQL database: the same queries as `SQLiteSession`, in
/// PostgreSQL's words where they differ (coalesce, string_agg, RETURNING id), decoded by the
/// same `RowDecoding` and `ConversationLayout`.
struct PostgresSession: InboxWriter {
    let sql: PostgresSQL

    /// `SQLiteSession.conversationColumns` in PostgreSQL's words.
    static let conversationColumns = """
        id, channel_id, customer_id, status, snoozed_until, priority, triage_class, triage_reason, triage_locked, \
        assignee_id, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, last_reply_at, \
        sla_due_at, preview, (SELECT string_agg(label, chr(31)) FROM conversation_label \
        WHERE conversation_id = conversation.id) AS labels, assigned_at, touched_at
        """

    /// Conversations, each row's columns found by name (rows from PostgreSQL carry no fixed order).
    func conversations(_ query: String, _ arguments: [PostgresSQL.Argument]) throws -> [Conversation] {
        try sql.rows(query, arguments).map { row in try ConversationLayout(row).conversation(row) }
    }
}

extension PostgresSession {
    func channel(_ id: ChannelID) throws -> EarshotCore.Channel? {
        try sql.row("SELECT * FROM channel WHERE id = ?", [id]).map(RowDecoding.channel)
    }

    func channel(platform: Platform, handle: String) throws -> EarshotCore.Channel? {
        try sql.row("SELECT * FROM channel WHERE platform = ? AND handle = ?", [platform.rawValue, handle]).map(RowDecoding.channel)
    }

    func channels() throws -> [EarshotCore.Channel] {
        try sql.rows("SELECT * FROM channel ORDER BY id").map(RowDecoding.channel)
    }

    func customer(_ id: CustomerID) throws -> Customer? {
        try sql.row("SELECT * FROM customer WHERE id = ?", [id]).map(RowDecoding.customer)
    }

    func customer(platform: Platform, handle: String) throws -> Customer? {
        try sql.row("SELECT * FROM customer WHERE platform = ? AND handle = ?", [platform.rawValue, handle]).map(RowDecoding.customer)
    }

    func mention(_ id: MentionID) throws -> Mention? {
        try sql.row("SELECT * FROM mention WHERE id = ?", [id]).map(RowDecoding.mention)
    }

    func mention(platform: Platform, externalID: String) throws -> Mention? {
        try sql.row("SELECT * FROM mention WHERE platform = ? AND external_id = ?", [platform.rawValue, externalID])
            .map(RowDecoding.mention)
    }

    func mentionLink(platform: Platform, externalID: String) throws -> MentionLink? {
        try sql.row("""
            SELECT id, conversation_id, customer_id, channel_id FROM mention WHERE platform = ? AND external_id = ?
            """, [platform.rawValue, externalID]
        ).map { row in
            MentionLink(id: row["id"], conversationID: row["conversation_id"], customerID: row["customer_id"], channelID: row["channel_id"])
        }
    }

    func accountChannels() throws -> [String: String] {
        var channels: [String: String] = [:]
        for row in try sql.rows("SELECT account, channel FROM account_cursor WHERE channel IS NOT NULL") {
            channels[row["account"]] = row["channel"]
        }
        return channels
    }

    func mentionExists(platform: Platform, externalID: String) throws -> Bool {
        try sql.row("SELECT 1 FROM mention WHERE platform = ? AND external_id = ?", [platform.rawValue, externalID]) != nil
    }

    func accountCursor(_ account: String) throws -> String? {
        try sql.value("SELECT cursor FROM account_cursor WHERE account = ?", [account])
    }

    func hasReplies(platform: Platform, to externalID: String) throws -> Bool {
        try sql.row("SELECT 1 FROM mention WHERE platform = ? AND in_reply_to = ? LIMIT 1", [platform.rawValue, externalID]) != nil
    }

    func mentions(in conversation: ConversationID) throws -> [Mention] {
        try sql.rows("SELECT * FROM mention WHERE conversation_id = ? ORDER BY created_at, id", [conversation]).map(RowDecoding.mention)
    }

    func mentions(platform: Platform, replyingTo externalID: String) throws -> [Mention] {
        try sql.rows("""
            SELECT * FROM mention WHERE platform = ? AND in_reply_to = ? AND in_reply_to IS NOT NULL ORDER BY created_at, id
            """, [platform.rawValue, externalID]).map(RowDecoding.mention)
    }

    func earliestMessageTime(in conversation: ConversationID, cycle: Int, after time: Timestamp) throws -> Timestamp? {
        try sql.value("SELECT min(created_at) FROM mention WHERE conversation_id = ? AND cycle = ? AND created_at > ?",
                      [conversation, cycle, time])
    }

    func latestMention(platform: Platform, inThread platformConversationID: String, by customer: CustomerID) throws -> Mention? {
        try sql.row("""
            SELECT * FROM mention WHERE platform = ? AND platform_conversation_id = ? AND customer_id = ?
                AND platform_conversation_id IS NOT NULL
            ORDER BY created_at DESC, id DESC LIMIT 1
            """, [platform.rawValue, platformConversationID, customer]).map(RowDecoding.mention)
    }

    func conversation(_ id: ConversationID) throws -> Conversation? {
        try conversations("SELECT \(Self.conversationColumns) FROM conversation WHERE id = ?", [id]).first
    }

    func labels(of conversation: ConversationID) throws -> [String] {
        try sql.rows("SELECT label FROM conversation_label WHERE conversation_id = ? ORDER BY label COLLATE \"C\"", [conversation]).map { $0["label"] }
    }

    func queue(_ view: QueueView, from start: QueueStart, narrowedBy narrowing: QueueNarrowing, limit: Int) throws -> [Conversation] {
        let query = QueueQuery(view: view, start: start, narrowing: narrowing, limit: limit, dialect: .postgres)
        let rows = try conversations(query.sql, query.arguments)
        return query.reversed ? rows.reversed() : rows
    }

    func countOpen(assignedTo responder: ResponderID) throws -> Int {
        try sql.value("SELECT count(*) FROM conversation WHERE assignee_id = ? AND status IN ('open', 'pending')", [responder]) ?? 0
    }

    func countBreached(at now: Timestamp) throws -> Int {
        // The hours already past from the tally, the current one from its index range.
        let hour = now.millisecondsSinceEpoch / 3_600_000
        let past: Int = try sql.value("SELECT coalesce(sum(open_routable), 0)::bigint FROM queue_tally WHERE hour < ?", [hour]) ?? 0
        let current: Int = try sql.value("""
            SELECT count(*) FROM conversation WHERE status = 'open' AND routable = 1 AND queue_due >= ? AND queue_due <= ?
            """, [hour * 3_600_000, now]) ?? 0
        return past + current
    }

    func openLoads() throws -> [ResponderID: Int] {
        var loads: [ResponderID: Int] = [:]
        for row in try sql.rows("""
            SELECT assignee_id, count(*) AS n FROM conversation
            WHERE assignee_id IS NOT NULL AND status IN ('open', 'pending') GROUP BY assignee_id
            """) {
            loads[row["assignee_id"]] = row["n"]
        }
        return loads
    }

    func lastHandler(of customer: CustomerID, excluding conversation: ConversationID) throws -> ResponderID? {
        try sql.value("""
            SELECT assignee_id FROM conversation WHERE customer_id = ? AND id != ? AND assignee_id IS NOT NULL
            ORDER BY created_at DESC LIMIT 1
            """, [customer, conversation])
    }

    func assignedConversations(to responder: ResponderID) throws -> [Conversation] {
        try conversations("""
            SELECT \(Self.conversationColumns) FROM conversation
            WHERE assignee_id = ? AND status IN ('open', 'pending', 'snoozed') ORDER BY id
            """, [responder])
    }

    func untouchedAssignments(before: Timestamp, limit: Int) throws -> [Conversation] {
        try conversations("""
            SELECT \(Self.conversationColumns) FROM conversation
            WHERE assignee_id IS NOT NULL AND status = 'open' AND coalesce(touched_at, assigned_at, 0) < ?
            ORDER BY id LIMIT ?
            """, [before, limit])
    }

    func responder(_ id: ResponderID) throws -> Responder? {
        try sql.row("SELECT * FROM responder WHERE id = ?", [id]).map(RowDecoding.responder)
    }

    func responder(login: String) throws -> Responder? {
        try sql.row("SELECT * FROM responder WHERE login = ?", [login]).map(RowDecoding.responder)
    }

    func responders(includingRemoved: Bool) throws -> [Responder] {
        let filter = includingRemoved ? "" : "WHERE removed_at IS NULL"
        // COLLATE "C": the byte order SQLite sorts logins in, whatever the database's locale.
        return try sql.rows("SELECT * FROM responder \(filter) ORDER BY login COLLATE \"C\"").map(RowDecoding.responder)
    }

    func reply(_ id: ReplyID) throws -> Reply? {
        try sql.row("SELECT * FROM reply WHERE id = ?", [id]).map(RowDecoding.reply)
    }

    func replies(in conversation: ConversationID) throws -> [Reply] {
        try sql.rows("SELECT * FROM reply WHERE conversation_id = ? ORDER BY created_at, id", [conversation]).map(RowDecoding.reply)
    }

    func draft(in conversation: ConversationID, by author: ResponderID) throws -> Reply? {
        try sql.row("""
            SELECT * FROM reply WHERE conversation_id = ? AND author_id = ? AND state = 'draft' ORDER BY id DESC LIMIT 1
            """, [conversation, author]).map(RowDecoding.reply)
    }

    func reply(platform: Platform, platformID: String) throws -> Reply? {
        try sql.row("SELECT * FROM reply WHERE platform = ? AND platform_id = ? AND platform_id IS NOT NULL",
                    [platform.rawValue, platformID]).map(RowDecoding.reply)
    }

    func notes(in conversation: ConversationID) throws -> [Note] {
        try sql.rows("SELECT * FROM note WHERE conversation_id = ? ORDER BY created_at, id", [conversation]).map(RowDecoding.note)
    }

    func dueReplies(at now: Timestamp, limit: Int) throws -> [Reply] {
        try sql.rows("""
            SELECT * FROM reply WHERE state = 'queued' AND next_attempt_at <= ?
                AND delivery_started_at IS NULL ORDER BY next_attempt_at, id LIMIT ?
            """, [now, limit]).map(RowDecoding.reply)
    }

    func repliesInDelivery() throws -> [Reply] {
        try sql.rows("SELECT * FROM reply WHERE state = 'queued' AND delivery_started_at IS NOT NULL ORDER BY id").map(RowDecoding.reply)
    }

    func nextDeliveryTime() throws -> Timestamp? {
        try sql.value("SELECT min(next_attempt_at) FROM reply WHERE state = 'queued' AND delivery_started_at IS NULL")
    }

    func unsentReplies(by author: ResponderID?, limit: Int) throws -> [Reply] {
        let filter = author == nil ? "" : "author_id = ? AND "
        let arguments: [PostgresSQL.Argument] = (author.map { [$0] } ?? []) + [limit]
        return try sql.rows("SELECT * FROM reply WHERE \(filter)state IN ('queued', 'failed') ORDER BY id DESC LIMIT ?", arguments)
            .map(RowDecoding.reply)
    }

    func events(for conversation: ConversationID, after time: Timestamp) throws -> [Event] {
        try sql.rows("SELECT * FROM event WHERE conversation_id = ? AND at > ? ORDER BY id", [conversation, time]).map(RowDecoding.event)
    }

    func events(for conversation: ConversationID) throws -> [Event] {
        try sql.rows("SELECT * FROM event WHERE conversation_id = ? ORDER BY id", [conversation]).map(RowDecoding.event)
    }

    func events(after: EventID?, limit: Int) throws -> [Event] {
        try sql.rows("SELECT * FROM event WHERE id > ? ORDER BY id LIMIT ?", [after?.rawValue ?? 0, limit]).map(RowDecoding.event)
    }

    func latestEventID() throws -> EventID? {
        try sql.value("SELECT max(id) FROM event")
    }

    func conversations(of customer: CustomerID, excluding: ConversationID, limit: Int) throws -> [Conversation] {
        try conversations("""
            SELECT \(Self.conversationColumns) FROM conversation WHERE customer_id = ? AND id != ?
            ORDER BY created_at DESC, id DESC LIMIT ?
            """, [customer, excluding, limit])
    }

    func noteCount(in conversation: ConversationID) throws -> Int {
        try sql.value("SELECT count(*) FROM note WHERE conversation_id = ?", [conversation]) ?? 0
    }

    func countUnassigned() throws -> Int {
        try sql.value("SELECT coalesce(sum(unassigned), 0)::bigint FROM queue_tally") ?? 0
    }

    func waitingSummary() throws -> (count: Int, oldest: Timestamp?) {
        let count: Int = try sql.value("SELECT coalesce(sum(waiting), 0)::bigint FROM queue_tally") ?? 0
        let oldest: Timestamp? = try sql.value("""
            SELECT min(waiting_since) FROM conversation WHERE status = 'open' AND routable = 1 AND waiting_since IS NOT NULL
            """)
        return (count, oldest)
    }

    func hourlyTraffic(since: Timestamp) throws -> (arrivals: [Int64: Int], replies: [Int64: Int]) {
        func perHour(_ query: String) throws -> [Int64: Int] {
            var counts: [Int64: Int] = [:]
            for row in try sql.rows(query, [since]) { counts[(row["hour"] as Int64) * 3_600_000] = row["n"] }
            return counts
        }
        return (
            try perHour("SELECT created_at / 3600000 AS hour, count(*) AS n FROM mention WHERE created_at >= ? GROUP BY 1"),
            try perHour("SELECT sent_at / 3600000 AS hour, count(*) AS n FROM reply WHERE state = 'sent' AND sent_at >= ? GROUP BY 1"))
    }

    func forecastHistory(from: Timestamp, to: Timestamp, handlingFrom: Timestamp) throws -> ForecastHistory {
        let handlingStart = max(from, handlingFrom)
        var arrivals: [Int64: Int] = [:]
        for row in try sql.rows("""
            SELECT created_at / 3600000 AS hour, count(*) AS n FROM conversation WHERE created_at >= ? AND created_at < ? GROUP BY 1
            """, [from, to]) {
            arrivals[(row["hour"] as Int64) * 3_600_000] = row["n"]
        }
        var claimToReply: [Int64] = []
        var replied = 0
        for row in try sql.rows("""
            SELECT \(SQLiteSession.firstReplyAfterClaim) AS held FROM conversation WHERE last_reply_at >= ? AND last_reply_at < ?
            """, [handlingStart, to]) {
            replied += 1
            if let held: Int64 = row["held"], held >= 0 { claimToReply.append(held) }
        }
        let sent: Int = try sql.value("""
            SELECT count(*) FROM reply WHERE state = 'sent' AND sent_at >= ? AND sent_at < ?
            """, [handlingStart, to]) ?? 0
        return ForecastHistory(arrivals: arrivals, claimToReply: claimToReply, conversationsReplied: replied, repliesSent: sent)
    }

    func triageOverrides(since: Timestamp) throws -> [TriageOverrideCount] {
        try sql.rows("""
            SELECT from_class, to_class, count(*) AS n FROM triage_override WHERE at >= ?
            GROUP BY from_class, to_class ORDER BY n DESC, from_class COLLATE "C", to_class COLLATE "C"
            """, [since]
        ).compactMap { row in
            guard let from = TriageClass(rawValue: row["from_class"]), let to = TriageClass(rawValue: row["to_class"]) else { return nil }
            return TriageOverrideCount(from: from, to: to, count: row["n"])
        }
    }

    func counts() throws -> StoreCounts {
        let row = try sql.row("""
            SELECT (SELECT count(*) FROM channel) AS channels, (SELECT count(*) FROM customer) AS customers,
                (SELECT count(*) FROM mention) AS mentions, (SELECT count(*) FROM conversation) AS conversations,
                (SELECT count(*) FROM responder) AS responders, (SELECT count(*) FROM reply) AS replies,
                (SELECT count(*) FROM note) AS notes, (SELECT count(*) FROM brand_post) AS brand_posts,
                (SELECT count(*) FROM event) AS events
            """)
        var counts = StoreCounts()
        guard let row else { return counts }
        counts.channels = row["channels"]
        counts.customers = row["customers"]
        counts.mentions = row["mentions"]
        counts.conversations = row["conversations"]
        counts.responders = row["responders"]
        counts.replies = row["replies"]
        counts.notes = row["notes"]
        counts.brandPosts = row["brand_posts"]
        counts.events = row["events"]
        return counts
    }

    func forEachTimeline(_ body: (ConversationID, [TimelineEntry]) throws -> Void) throws {
        let scan = TimelineScanAccumulator()
        for row in try sql.rows("SELECT conversation_id, detail FROM event WHERE kind = 'merged'") {
            if let source = Int(EventDetailCoding.decode(row["detail"])["from"] ?? "") {
                scan.buffer.withLock { $0.absorb(source, into: Int(row["conversation_id"] as Int64)) }
            }
        }
        // Streamed: the log is read once, never held as rows.
        try streamEvents("SELECT conversation_id, kind, at, occurred_at, actor FROM event WHERE conversation_id IS NOT NULL", into: scan)
        try scan.buffer.withLock { buffer in try buffer.deliver(body) }
    }

    /// Streams a query whose columns are `conversation_id, kind, at, occurred_at, actor` into
    /// `scan`, row by row as they arrive.
    func streamEvents(_ query: String, into scan: TimelineScanAccumulator) throws {
        try sql.forEach(query) { row in
            let cells = row.makeRandomAccess()
            let conversation = try cells[0].decode(Int64.self)
            let kind = try cells[1].decode(String.self)
            let at = try cells[2].decode(Int64.self)
            let occurred = try cells[3].decode(Int64?.self)
            let actor = try cells[4].decode(String.self)
            scan.buffer.withLock { $0.add(conversation: Int(conversation), kind: kind, at: at, occurred: occurred, actor: actor) }
        }
    }

    func conversationFacts() throws -> ConversationFactsTable {
        let count = Int(try sql.value("SELECT coalesce(max(id), 0) FROM conversation") as Int64? ?? 0) + 1
        let table = FactsAccumulator(count: count)
        try sql.forEach("SELECT id, channel_id, priority FROM conversation") { row in
            let cells = row.makeRandomAccess()
            let id = Int(try cells[0].decode(Int64.self))
            let channel = try cells[1].decode(Int64.self)
            let priority = try cells[2].decode(Int64.self)
            table.facts.withLock { facts in
                guard id < count else { return }
                facts.channel[id] = channel
                facts.priority[id] = UInt8(truncatingIfNeeded: priority)
                facts.exists[id] = true
            }
        }
        return table.facts.withLock { $0 }
    }
}

/// The statistics pass's buffers, filled on the event loop that streams the rows.
final class TimelineScanAccumulator: Sendable {
    let buffer: Mutex<TimelineScanBuffer>
    init(_ buffer: TimelineScanBuffer = TimelineScanBuffer()) { self.buffer = Mutex(buffer) }
}

private final class FactsAccumulator: Sendable {
    let facts: Mutex<ConversationFactsTable>
    init(count: Int) {
        var table = ConversationFactsTable()
        table.channel = Array(repeating: 0, count: count)
        table.priority = Array(repeating: 1, count: count)
        table.exists = Array(repeating: false, count: count)
        facts = Mutex(table)
    }
}
