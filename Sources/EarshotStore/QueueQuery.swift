import EarshotCore
import GRDB

/// The SQL for one window of a queue view. Each view's WHERE clause matches the
/// leading columns of one index in `Migrations.createQueueIndexes` and its ORDER BY
/// follows that index, so SQLite reads `limit` index entries and stops: no scan, no sort.
///
/// Windows that start at the bottom or end before a row read the same range backwards
/// (ORDER BY reversed, which an index serves as well as forwards); `reversed` tells the
/// caller to put the rows back in the view's order.
struct QueueQuery {
    /// The two stores' SQL differs in a few words (see `narrow`).
    enum Dialect { case sqlite, postgres }

    let sql: String
    let arguments: [DatabaseValue]
    /// The rows come back against the view's order.
    let reversed: Bool

    init(view: QueueView, start: QueueStart, narrowing: QueueNarrowing, limit: Int, dialect: Dialect = .sqlite) {
        var conditions: [String]
        var arguments: [DatabaseValue] = []
        let sortColumn: String
        var descending = false
        switch view {
        case let .mine(responder):
            conditions = ["assignee_id = ?", "status = 'open'"]
            arguments += [responder.rawValue.databaseValue]
            sortColumn = "queue_due"
        case .unassigned:
            // Drain order: what routing hands out next is at the top.
            conditions = ["status = 'open'", "routable = 1", "assignee_id IS NULL"]
            sortColumn = "drain_key"
        case .allOpen:
            conditions = ["status = 'open'", "routable = 1"]
            sortColumn = "queue_due"
        case let .breached(now):
            conditions = ["status = 'open'", "routable = 1", "queue_due <= ?"]
            arguments += [now.millisecondsSinceEpoch.databaseValue]
            sortColumn = "queue_due"
        case .snoozed:
            conditions = ["status = 'snoozed'"]
            sortColumn = "snoozed_until"
        case .setAside:
            conditions = ["status = 'open'", "routable = 0"]
            sortColumn = "queue_due"
        case let .resolved(since):
            conditions = ["status = 'resolved'", "updated_at >= ?"]
            arguments += [since.millisecondsSinceEpoch.databaseValue]
            sortColumn = "updated_at"
            descending = true
        }
        if narrowing.searchesByIndex {
            self.init(searching: narrowing, within: conditions, arguments, start: start, limit: limit, dialect: dialect)
            return
        }
        Self.narrow(&conditions, &arguments, by: narrowing, dialect: dialect)

        var backwards = false
        var cursor: QueueCursor?
        switch start {
        case .first: break
        case .last: backwards = true
        case let .after(position): cursor = position
        case let .before(position): (cursor, backwards) = (position, true)
        }
        if let cursor {
            // Reading against the view's order flips the comparison as well as the ORDER BY.
            conditions.append("(\(sortColumn), id) \(descending != backwards ? "<" : ">") (?, ?)")
            arguments += [cursor.sortKey.databaseValue, cursor.id.rawValue.databaseValue]
        }
        let direction = descending != backwards ? "DESC" : "ASC"
        self.init(sql: """
            SELECT \(dialect == .sqlite ? SQLiteSession.conversationColumns : PostgresSession.conversationColumns) FROM conversation WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(sortColumn) \(direction), id \(direction) LIMIT ?
            """, arguments: arguments + [limit.databaseValue], reversed: backwards)
    }

    private init(sql: String, arguments: [DatabaseValue], reversed: Bool) {
        self.sql = sql
        self.arguments = arguments
        self.reversed = reversed
    }

    /// A search of three characters or more: the view's rows that the search index finds,
    /// newest conversation first, read from the index in that order (SQLite's FTS5 hands out
    /// rowids in descending order and stops at the limit), so a search that matches one
    /// conversation in a million reads one entry. Cursors are conversation ids.
    private init(searching narrowing: QueueNarrowing, within viewConditions: [String], _ viewArguments: [DatabaseValue],
                 start: QueueStart, limit: Int, dialect: Dialect) {
        var conditions = viewConditions
        var arguments = viewArguments
        var rest = narrowing
        rest.search = nil
        Self.narrow(&conditions, &arguments, by: rest, dialect: dialect)
        let text = narrowing.search ?? ""
        let key = dialect == .sqlite ? "conversation_search.rowid" : "conversation.id"
        switch dialect {
        case .sqlite:
            // The trigram index answers LIKE itself (positions are not kept, so phrase queries
            // are not available), but only without ESCAPE: a `%` or `_` typed in the text is a
            // wildcard there, and instr keeps exactly the rows holding the text (ASCII letters
            // in either case, as LIKE).
            conditions.insert("conversation_search.body LIKE ? AND instr(lower(conversation_search.body), lower(?)) > 0", at: 0)
            arguments.insert(contentsOf: [("%" + text + "%").databaseValue, text.databaseValue], at: 0)
        case .postgres:
            conditions.insert("conversation_search.body ILIKE ? ESCAPE '\\'", at: 0)
            arguments.insert(Self.likePattern(text).databaseValue, at: 0)
        }
        var backwards = false
        switch start {
        case .first: break
        case .last: backwards = true
        case let .after(position):
            conditions.append("\(key) < ?")
            arguments.append(position.id.rawValue.databaseValue)
        case let .before(position):
            conditions.append("\(key) > ?")
            arguments.append(position.id.rawValue.databaseValue)
            backwards = true
        }
        let columns = dialect == .sqlite ? SQLiteSession.conversationColumns : PostgresSession.conversationColumns
        let join = dialect == .sqlite
            // CROSS JOIN keeps the index outermost: the planner prices FTS5's LIKE too high
            // and would walk the view's index and sort instead.
            ? "conversation_search CROSS JOIN conversation ON conversation.id = conversation_search.rowid"
            : "conversation JOIN conversation_search ON conversation_search.conversation_id = conversation.id"
        self.init(sql: """
            SELECT \(columns) FROM \(join) WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(key) \(backwards ? "ASC" : "DESC") LIMIT ?
            """, arguments: arguments + [limit.databaseValue], reversed: backwards)
    }

    /// The narrowing terms. On SQLite column tests are written `+column` so that it never
    /// picks an index for them over the view's own (which would cost a sort); related rows are
    /// looked up per candidate by primary key. PostgreSQL has no such hint and plans by cost;
    /// its ILIKE matches case-insensitively as SQLite's LIKE does for ASCII.
    private static func narrow(_ conditions: inout [String], _ arguments: inout [DatabaseValue], by narrowing: QueueNarrowing, dialect: Dialect) {
        let hint = dialect == .sqlite ? "+" : ""
        let like = dialect == .sqlite ? "LIKE" : "ILIKE"
        if let channels = narrowing.channelIDs {
            if channels.isEmpty {
                conditions.append(dialect == .sqlite ? "0" : "false")
            } else {
                conditions.append("\(hint)channel_id IN (\(Array(repeating: "?", count: channels.count).joined(separator: ", ")))")
                arguments += channels.map(\.rawValue.databaseValue)
            }
        }
        if let triage = narrowing.triageClass {
            conditions.append("\(hint)triage_class = ?")
            arguments += [triage.rawValue.databaseValue]
        }
        if let priority = narrowing.priority {
            conditions.append("\(hint)priority = ?")
            arguments += [priority.rawValue.databaseValue]
        }
        if let label = narrowing.label {
            conditions.append("EXISTS (SELECT 1 FROM conversation_label WHERE conversation_id = conversation.id AND label = ?)")
            arguments += [label.databaseValue]
        }
        if let search = narrowing.search, !search.isEmpty {
            // A handle is stored without its `@`; people type it with one.
            let handle = search.hasPrefix("@") ? String(search.dropFirst()) : search
            conditions.append("""
                (preview \(like) ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM customer \
                WHERE customer.id = conversation.customer_id AND customer.handle \(like) ? ESCAPE '\\'))
                """)
            arguments += [likePattern(search).databaseValue, likePattern(handle).databaseValue]
        }
    }

    /// `%text%` with LIKE's wildcards in `text` escaped, so they match themselves.
    static func likePattern(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }
}
