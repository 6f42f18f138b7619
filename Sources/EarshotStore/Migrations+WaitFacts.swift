import GRDB

extension Migrations {
    /// Statistics without replaying the event log (issue 18): `wait_fact` holds each
    /// conversation's latency samples, replies sent and resolves (`WaitFacts`), ordered by time,
    /// so a report reads the rows of its range and nothing else. Triggers note the conversations
    /// whose timeline, channel or priority changed; `refreshWaitFacts` recomputes them with the
    /// same calculator as before (exact, imported history out of order included). Every
    /// existing conversation starts out pending. Responders are numbered in a table of their
    /// own: a report reads an integer a row, not a name to look up.
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
            INSERT INTO wait_fact_pending (conversation_id) SELECT id FROM conversation;
            CREATE TRIGGER wait_fact_event AFTER INSERT ON event
            WHEN NEW.conversation_id IS NOT NULL AND NEW.kind IN (\(WaitFacts.timelineKinds))
            BEGIN \(note) (NEW.conversation_id); END;
            CREATE TRIGGER wait_fact_conversation AFTER UPDATE OF channel_id, priority ON conversation
            WHEN OLD.channel_id IS NOT NEW.channel_id OR OLD.priority IS NOT NEW.priority
            BEGIN \(note) (NEW.id); END;
            """)
    }
}
