import GRDB

/// The schema's history. Migrations are append-only: never edit one that has shipped,
/// add the next. Their identifiers are stored in `grdb_migrations`.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_core_tables", migrate: createCoreTables)
        migrator.registerMigration("v2_queue_indexes", migrate: createQueueIndexes)
        migrator.registerMigration("v3_threading", migrate: addThreading)
        migrator.registerMigration("v4_lean_event_log", migrate: leanEventLog)
        migrator.registerMigration("v5_assignment", migrate: addAssignment)
        migrator.registerMigration("v6_event_occurred_at", migrate: addOccurredAt)
        migrator.registerMigration("v7_outbox", migrate: addOutbox)
        migrator.registerMigration("v8_brand_posts", migrate: addBrandPosts)
        migrator.registerMigration("v9_triage_overrides", migrate: addTriageOverrides)
        migrator.registerMigration("v10_live_accounts", migrate: addLiveAccounts)
        migrator.registerMigration("v11_delivery_owner", migrate: addDeliveryOwner)
        migrator.registerMigration("v12_queue_tally", migrate: addQueueTally)
        migrator.registerMigration("v13_conversation_search", migrate: addConversationSearch)
        migrator.registerMigration("v14_wait_facts", migrate: addWaitFacts)
        migrator.registerMigration("v15_waves", migrate: addWaves)
        return migrator
    }

    /// Identifiers in order, oldest first.
    static var identifiers: [String] { migrator.migrations }

    /// The outbox: when a queued reply's next delivery attempt may start, and whether one is
    /// running now. The daemon asks for due replies by the partial index, which holds only
    /// the few queued rows, never the history.
    /// Live platform accounts (docs/accounts.md): each account's read cursor, written in the
    /// same transaction as the mentions it covers; on a reply, the key every attempt to post it
    /// carries (chosen before the first) and the URL of the post it became.
    static func addLiveAccounts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account_cursor (
                account TEXT PRIMARY KEY,
                cursor TEXT NOT NULL,
                updated_at INTEGER NOT NULL
            );
            ALTER TABLE reply ADD COLUMN delivery_key TEXT;
            ALTER TABLE reply ADD COLUMN platform_url TEXT;
            """)
    }

    /// Several daemons on one database (docs/scale-out.md): which one is delivering a reply, so
    /// another recovers it only when that one is gone; and which channel each live account
    /// reads, so every daemon knows whose replies an account posts, wherever it runs.
    static func addDeliveryOwner(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE reply ADD COLUMN delivery_owner TEXT;
            ALTER TABLE account_cursor ADD COLUMN channel TEXT;
            """)
    }

    /// Each time a person corrected the classifier, by time: the supervisor pane counts today's
    /// from an index range instead of searching the event log (which has no time index).
    static func addTriageOverrides(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE triage_override (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                responder_id INTEGER NOT NULL REFERENCES responder(id),
                at INTEGER NOT NULL,
                from_class TEXT NOT NULL,
                to_class TEXT NOT NULL
            );
            CREATE INDEX triage_override_at ON triage_override (at);
            """)
    }

    /// The brand's own posts in history imports: sent, in no conversation.
    static func addBrandPosts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE brand_post (
                id INTEGER PRIMARY KEY,
                platform TEXT NOT NULL,
                platform_id TEXT NOT NULL,
                channel_id INTEGER NOT NULL REFERENCES channel(id),
                author_id INTEGER NOT NULL REFERENCES responder(id),
                text TEXT NOT NULL,
                sent_at INTEGER NOT NULL,
                in_reply_to TEXT,
                raw TEXT NOT NULL,
                UNIQUE (platform, platform_id)
            );
            """)
    }

    static func addOutbox(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE reply ADD COLUMN next_attempt_at INTEGER;
            ALTER TABLE reply ADD COLUMN delivery_started_at INTEGER;
            CREATE INDEX reply_outbox ON reply (next_attempt_at, id) WHERE state = 'queued';
            CREATE INDEX reply_unsent ON reply (author_id, state, id) WHERE state IN ('queued', 'failed');
            """)
    }

    static func createCoreTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE channel (
                id INTEGER PRIMARY KEY,
                platform TEXT NOT NULL,
                handle TEXT NOT NULL,
                display_name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                UNIQUE (platform, handle)
            );
            CREATE TABLE customer (
                id INTEGER PRIMARY KEY,
                platform TEXT NOT NULL,
                handle TEXT NOT NULL,
                display_name TEXT NOT NULL,
                first_seen INTEGER NOT NULL,
                notes TEXT NOT NULL DEFAULT '',
                UNIQUE (platform, handle)
            );
            CREATE TABLE responder (
                id INTEGER PRIMARY KEY,
                login TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                initials TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('agent', 'supervisor')),
                availability TEXT NOT NULL CHECK (availability IN ('available', 'away', 'offline')),
                capacity INTEGER NOT NULL CHECK (capacity >= 0),
                last_assigned_at INTEGER,
                last_active_at INTEGER,
                removed_at INTEGER
            );
            CREATE TABLE conversation (
                id INTEGER PRIMARY KEY,
                channel_id INTEGER NOT NULL REFERENCES channel(id),
                customer_id INTEGER NOT NULL REFERENCES customer(id),
                status TEXT NOT NULL CHECK (status IN ('open', 'pending', 'snoozed', 'resolved')),
                snoozed_until INTEGER,
                priority INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3),
                triage_class TEXT NOT NULL,
                triage_reason TEXT NOT NULL,
                routable INTEGER NOT NULL,
                assignee_id INTEGER REFERENCES responder(id),
                cycle INTEGER NOT NULL,
                cycle_started_at INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                last_customer_at INTEGER NOT NULL,
                waiting_since INTEGER,
                sla_due_at INTEGER,
                preview TEXT NOT NULL
            );
            CREATE TABLE conversation_label (
                conversation_id INTEGER NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                label TEXT NOT NULL,
                PRIMARY KEY (conversation_id, label)
            ) WITHOUT ROWID;
            CREATE TABLE mention (
                id INTEGER PRIMARY KEY,
                platform TEXT NOT NULL,
                external_id TEXT NOT NULL,
                channel_id INTEGER NOT NULL REFERENCES channel(id),
                customer_id INTEGER NOT NULL REFERENCES customer(id),
                conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                cycle INTEGER NOT NULL,
                kind TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                in_reply_to TEXT,
                platform_conversation_id TEXT,
                raw TEXT NOT NULL,
                UNIQUE (platform, external_id)
            );
            CREATE INDEX mention_conversation ON mention (conversation_id, created_at);
            CREATE TABLE reply (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                cycle INTEGER NOT NULL,
                author_id INTEGER NOT NULL REFERENCES responder(id),
                text TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('draft', 'queued', 'sent', 'failed')),
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                queued_at INTEGER,
                sent_at INTEGER,
                platform_id TEXT,
                last_error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX reply_conversation ON reply (conversation_id, created_at);
            CREATE TABLE note (
                id INTEGER PRIMARY KEY,
                conversation_id INTEGER NOT NULL REFERENCES conversation(id),
                author_id INTEGER NOT NULL REFERENCES responder(id),
                text TEXT NOT NULL,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX note_conversation ON note (conversation_id, created_at);
            -- Append-only: nothing updates or deletes an event.
            CREATE TABLE event (
                id INTEGER PRIMARY KEY,
                at INTEGER NOT NULL,
                kind TEXT NOT NULL,
                actor TEXT NOT NULL,
                conversation_id INTEGER REFERENCES conversation(id),
                detail TEXT NOT NULL
            );
            CREATE INDEX event_conversation ON event (conversation_id, id);
            CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            CREATE TRIGGER event_is_append_only_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            """)
    }

    /// Indexes for the queue views, so a window of rows is an index range, never a table scan.
    /// `queue_due` sorts conversations without an SLA clock last.
    static func createQueueIndexes(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE conversation ADD COLUMN queue_due INTEGER
                GENERATED ALWAYS AS (ifnull(sla_due_at, 9223372036854775807)) VIRTUAL;
            CREATE INDEX conversation_mine ON conversation (assignee_id, status, queue_due, id);
            CREATE INDEX conversation_open ON conversation (status, routable, queue_due, id);
            CREATE INDEX conversation_unassigned ON conversation (queue_due, id)
                WHERE status = 'open' AND routable = 1 AND assignee_id IS NULL;
            CREATE INDEX conversation_snoozed ON conversation (status, snoozed_until, id);
            CREATE INDEX conversation_recent ON conversation (status, updated_at, id);
            CREATE INDEX conversation_customer ON conversation (customer_id, created_at);
            CREATE INDEX event_time ON event (at);
            """)
    }

    /// Metrics scan millions of events: the time a fact happened in the world (a message's
    /// `message_at`, a reply's `sent_at`) becomes a column instead of JSON to parse per row.
    static func addOccurredAt(_ db: Database) throws {
        // The log stays append-only: only this migration, in its own transaction, fills the new
        // derived column of existing rows, with the update guard lifted and restored around it.
        try db.execute(sql: """
            ALTER TABLE event ADD COLUMN occurred_at INTEGER;
            DROP TRIGGER event_is_append_only_update;
            UPDATE event SET occurred_at = CAST(json_extract(detail, '$.message_at') AS INTEGER)
                WHERE json_extract(detail, '$.message_at') IS NOT NULL;
            UPDATE event SET occurred_at = CAST(json_extract(detail, '$.sent_at') AS INTEGER)
                WHERE occurred_at IS NULL AND json_extract(detail, '$.sent_at') IS NOT NULL;
            CREATE TRIGGER event_is_append_only_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
            """)
    }

    /// Routing: the unassigned queue is read in drain order (priority, then nearest SLA due
    /// time, then oldest), and return-to-queue needs when work was assigned and last touched.
    /// `drain_key` must match `Conversation.drainKey`.
    static func addAssignment(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE conversation ADD COLUMN assigned_at INTEGER;
            ALTER TABLE conversation ADD COLUMN touched_at INTEGER;
            ALTER TABLE conversation ADD COLUMN drain_key INTEGER GENERATED ALWAYS AS
                ((3 - priority) * 100000000000000 + min(ifnull(sla_due_at, 90000000000000), 90000000000000)) VIRTUAL;
            DROP INDEX conversation_unassigned;
            CREATE INDEX conversation_unassigned ON conversation (status, routable, drain_key, id)
                WHERE status = 'open' AND routable = 1 AND assignee_id IS NULL;
            """)
    }

    /// Every ingested message writes an event; an index on its time cost a B-tree insert each
    /// and served nothing that a scan of the log (which statistics make anyway) does not.
    static func leanEventLog(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX event_time")
    }

    /// What threading and history import need: replies keyed by the platform's id (so a
    /// re-import or a customer answering our reply finds it), lookups of a mention's children
    /// and thread, a lock on person-set triage, and the time of the latest reply. Indexes that
    /// only a few rows need become partial, so an ingest writes fewer B-trees per row.
    static func addThreading(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE conversation ADD COLUMN triage_locked INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE conversation ADD COLUMN last_reply_at INTEGER;
            ALTER TABLE reply ADD COLUMN platform TEXT;
            CREATE UNIQUE INDEX reply_platform_id ON reply (platform, platform_id)
                WHERE platform_id IS NOT NULL;
            CREATE INDEX mention_in_reply_to ON mention (platform, in_reply_to)
                WHERE in_reply_to IS NOT NULL;
            CREATE INDEX mention_thread ON mention (platform, platform_conversation_id, customer_id)
                WHERE platform_conversation_id IS NOT NULL;
            DROP INDEX conversation_mine;
            CREATE INDEX conversation_mine ON conversation (assignee_id, status, queue_due, id)
                WHERE assignee_id IS NOT NULL;
            DROP INDEX conversation_snoozed;
            CREATE INDEX conversation_snoozed ON conversation (status, snoozed_until, id) WHERE status = 'snoozed';
            DROP INDEX conversation_recent;
            CREATE INDEX conversation_recent ON conversation (status, updated_at, id) WHERE status = 'resolved';
            """)
    }
}
