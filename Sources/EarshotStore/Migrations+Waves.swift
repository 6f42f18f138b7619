import GRDB

extension Migrations {
    /// Waves (issue 19, docs/waves.md): the waves found or marked, which conversation is in
    /// which (one wave at a time), the language its customer wrote in and, once the wave is
    /// answered, the reply queued for it; when it left (its customer wrote again, or a supervisor
    /// took it out: a conversation that left joins no wave again); and how far the detector has read the mentions (it
    /// starts at the upgrade: history is not searched for waves after the fact).
    static func addWaves(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE wave (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                topic TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('detected', 'open', 'answered')),
                created_at INTEGER NOT NULL,
                opened_by TEXT
            );
            CREATE TABLE wave_member (
                conversation_id INTEGER PRIMARY KEY REFERENCES conversation(id),
                wave_id INTEGER NOT NULL REFERENCES wave(id),
                joined_at INTEGER NOT NULL,
                message_at INTEGER NOT NULL,
                language TEXT NOT NULL,
                reply_id INTEGER REFERENCES reply(id),
                left_at INTEGER
            );
            CREATE INDEX wave_member_wave ON wave_member (wave_id);
            CREATE TABLE wave_progress (id INTEGER PRIMARY KEY CHECK (id = 1), last_mention_id INTEGER NOT NULL);
            INSERT INTO wave_progress (id, last_mention_id) VALUES (1, (SELECT coalesce(max(id), 0) FROM mention));
            """)
    }
}
