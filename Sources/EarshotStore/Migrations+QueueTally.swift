import GRDB

extension Migrations {
    /// The status bar's counts at any backlog size (issue 18): how many open routable
    /// conversations are due in each hour, how many of them nobody holds, how many wait for an
    /// answer, kept by triggers in the transaction that changes a conversation. Unassigned and
    /// waiting are sums of a few thousand rows at most; breached is the sum of the hours already
    /// past plus one hour's index range; the oldest wait is the first entry of a partial index.
    /// Rows whose counts return to zero are deleted, so the table holds only hours with work.
    static func addQueueTally(_ db: Database) throws {
        let counted = "status = 'open' AND routable = 1"
        func change(_ row: String, _ sign: String) -> String {
            """
            INSERT INTO queue_tally (hour, open_routable, unassigned, waiting)
                SELECT \(row).queue_due / 3600000, \(sign)1, \(sign)(\(row).assignee_id IS NULL), \(sign)(\(row).waiting_since IS NOT NULL)
                WHERE \(row).status = 'open' AND \(row).routable = 1
                ON CONFLICT (hour) DO UPDATE SET open_routable = open_routable + excluded.open_routable,
                    unassigned = unassigned + excluded.unassigned, waiting = waiting + excluded.waiting;
            """
        }
        let emptied = "DELETE FROM queue_tally WHERE hour = OLD.queue_due / 3600000 AND open_routable = 0;"
        try db.execute(sql: """
            CREATE TABLE queue_tally (
                hour INTEGER PRIMARY KEY,
                open_routable INTEGER NOT NULL,
                unassigned INTEGER NOT NULL,
                waiting INTEGER NOT NULL
            );
            INSERT INTO queue_tally (hour, open_routable, unassigned, waiting)
                SELECT queue_due / 3600000, count(*), sum(assignee_id IS NULL), sum(waiting_since IS NOT NULL)
                FROM conversation WHERE \(counted) GROUP BY 1;
            CREATE TRIGGER queue_tally_insert AFTER INSERT ON conversation WHEN NEW.\(counted.replacingOccurrences(of: "AND ", with: "AND NEW."))
            BEGIN \(change("NEW", "+")) END;
            CREATE TRIGGER queue_tally_delete AFTER DELETE ON conversation WHEN OLD.\(counted.replacingOccurrences(of: "AND ", with: "AND OLD."))
            BEGIN \(change("OLD", "-")) \(emptied) END;
            CREATE TRIGGER queue_tally_update AFTER UPDATE ON conversation
            WHEN OLD.status IS NOT NEW.status OR OLD.routable IS NOT NEW.routable OR OLD.sla_due_at IS NOT NEW.sla_due_at
                OR OLD.assignee_id IS NOT NEW.assignee_id OR OLD.waiting_since IS NOT NEW.waiting_since
            BEGIN \(change("OLD", "-")) \(emptied) \(change("NEW", "+")) END;
            CREATE INDEX conversation_waiting ON conversation (waiting_since)
                WHERE \(counted) AND waiting_since IS NOT NULL;
            """)
    }
}
