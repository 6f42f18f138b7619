import GRDB

extension Migrations {
    /// Search at any backlog size (issue 18): each conversation's `@handle preview` in an FTS5
    /// table with the trigram tokenizer. Trigrams find any substring of three characters or more
    /// in any script (handles, order numbers, Japanese, emoji in a phrase) without a word
    /// splitter; shorter searches narrow the view in its own order instead
    /// (`QueueNarrowing.searchesByIndex`). Triggers only note which conversations changed;
    /// `SQLiteSearchIndex.flush` indexes them at the end of the same transaction. The index
    /// keeps no positions (`detail = 'none'`: ingest 15% faster, measured with
    /// `IngestFloor`); it still answers `LIKE '%text%'` from the trigrams (`QueueQuery`).
    static func addConversationSearch(_ db: Database) throws {
        let note = "INSERT OR IGNORE INTO conversation_search_pending (conversation_id) VALUES"
        try db.execute(sql: """
            CREATE VIRTUAL TABLE conversation_search USING fts5(body, tokenize = 'trigram', detail = 'none');
            INSERT INTO conversation_search (rowid, body)
                SELECT conversation.id, '@' || customer.handle || ' ' || conversation.preview
                FROM conversation JOIN customer ON customer.id = conversation.customer_id;
            CREATE TABLE conversation_search_pending (conversation_id INTEGER PRIMARY KEY);
            CREATE TRIGGER conversation_search_insert AFTER INSERT ON conversation BEGIN \(note) (NEW.id); END;
            CREATE TRIGGER conversation_search_update AFTER UPDATE OF preview, customer_id ON conversation
            WHEN OLD.preview IS NOT NEW.preview OR OLD.customer_id IS NOT NEW.customer_id BEGIN \(note) (NEW.id); END;
            CREATE TRIGGER conversation_search_delete AFTER DELETE ON conversation BEGIN \(note) (OLD.id); END;
            """)
    }
}

/// Keeps `conversation_search` in step with the conversations a transaction at a time. FTS5
/// writes its pending terms out at every statement, so a trigger inserting into it row by row
/// cost about four times a batch (43 µs against 11 µs a row, measured with sqlite3) and halved
/// ingest; the triggers note the changed conversations instead and each write transaction ends
/// by indexing them in one statement.
public enum SQLiteSearchIndex {
    public static let flushSQL = """
        DELETE FROM conversation_search WHERE rowid IN (SELECT conversation_id FROM conversation_search_pending);
        INSERT INTO conversation_search (rowid, body)
            SELECT conversation.id, '@' || customer.handle || ' ' || conversation.preview
            FROM conversation_search_pending AS pending
            JOIN conversation ON conversation.id = pending.conversation_id
            JOIN customer ON customer.id = conversation.customer_id;
        DELETE FROM conversation_search_pending;
        """

    /// Indexes what this transaction changed (nothing to do for most interactive writes).
    static func flush(_ db: Database) throws {
        guard try Bool.fetchOne(try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM conversation_search_pending)")) == true else { return }
        try db.execute(sql: flushSQL)
    }

    /// Whether the schema has the index yet (a store opened at an older migration has not).
    static func exists(in db: Database) throws -> Bool {
        try db.tableExists("conversation_search_pending")
    }
}
