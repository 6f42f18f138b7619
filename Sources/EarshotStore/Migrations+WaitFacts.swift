import GRDB

extension Migrations {
    /// Statistics without replaying the event log (issue 18): `wait_fact` holds each
    /// conversation's latency samples, replies sent and resolves (`WaitFacts`), ordered by time,
    /// so a report reads the rows of its range and nothing else. Triggers note the conversations
    /// whose channel or priority changed, and `wait_fact_progress` the last event the facts took
    /// in (events after it mark their conversations changed, with no trigger on the log: 6 µs a
    /// row of ingest, measured with `IngestFloor`); `refreshWaitFacts` recomputes them with the
    /// same calculator as before (exact, imported history out of order included). Existing
    /// history starts out not taken in. Responders are numbered in a table of their own: a
    /// report reads an integer a row, not a name to look up.
    static func addWaitFacts(_ db: Database) throws {
        let note = "INSERT OR IGNORE INTO wait_fact_pending (conversation_id) VALUES"
        try db.execute(sql: """
            CREATE TABLE wait_fact (
                at INTEGER NOT NULL,
                conversation_id INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                kind INTEGER NOT NULL,
                ms INTEGER NOT NULL,
                responder_id INTEGER,
                channel_id INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                PRIMARY KEY (at, conversation_id, seq)
            ) WITHOUT ROWID;
            CREATE INDEX wait_fact_conversation ON wait_fact (conversation_id);
            CREATE TABLE wait_fact_responder (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE wait_fact_pending (conversation_id INTEGER PRIMARY KEY);
            CREATE TABLE wait_fact_progress (id INTEGER PRIMARY KEY CHECK (id = 1), last_event_id INTEGER NOT NULL);
            INSERT INTO wait_fact_progress (id, last_event_id) VALUES (1, 0);
            CREATE TRIGGER wait_fact_conversation AFTER UPDATE OF channel_id, priority ON conversation
            WHEN OLD.channel_id IS NOT NEW.channel_id OR OLD.priority IS NOT NEW.priority
            BEGIN \(note) (NEW.id); END;
            """)
    }
}
