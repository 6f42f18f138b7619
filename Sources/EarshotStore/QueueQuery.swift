import EarshotCore
import GRDB

/// The SQL for one window of a queue view. Each view's WHERE clause matches the
/// leading columns of one index in `Migrations.createQueueIndexes` and its ORDER BY
/// follows that index, so SQLite reads `limit` index entries and stops: no scan, no sort.
struct QueueQuery {
    let sql: String
    let arguments: StatementArguments

    init(view: QueueView, cursor: QueueCursor?, limit: Int) {
        var conditions: [String]
        var arguments: StatementArguments = []
        let sortColumn: String
        var descending = false
        switch view {
        case let .mine(responder):
            conditions = ["assignee_id = ?", "status = 'open'"]
            arguments += [responder.rawValue]
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
            arguments += [now.millisecondsSinceEpoch]
            sortColumn = "queue_due"
        case .snoozed:
            conditions = ["status = 'snoozed'"]
            sortColumn = "snoozed_until"
        case .setAside:
            conditions = ["status = 'open'", "routable = 0"]
            sortColumn = "queue_due"
        case let .resolved(since):
            conditions = ["status = 'resolved'", "updated_at >= ?"]
            arguments += [since.millisecondsSinceEpoch]
            sortColumn = "updated_at"
            descending = true
        }
        if let cursor {
            conditions.append("(\(sortColumn), id) \(descending ? "<" : ">") (?, ?)")
            arguments += [cursor.sortKey, cursor.id.rawValue]
        }
        let direction = descending ? "DESC" : "ASC"
        sql = """
            SELECT \(SQLiteSession.conversationColumns) FROM conversation WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(sortColumn) \(direction), id \(direction) LIMIT ?
            """
        arguments += [limit]
        self.arguments = arguments
    }
}
