import EarshotCore
@testable import EarshotStore
import EarshotTestSupport
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    @Test func anEmptyFileGetsTheWholeSchema() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let store = try SQLiteInboxStore(path: path)
        #expect(try store.appliedMigrations() == SQLiteInboxStore.knownMigrations)
        let tables = try store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["channel", "customer", "mention", "conversation", "conversation_label", "responder",
                      "reply", "note", "event"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        #expect(try store.integrityCheck().isEmpty)
    }

    @Test func aVersion5DatabaseUpgradesKeepingItsRowsAndGetsEventTimes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.sqlite")
        let known = SQLiteInboxStore.knownMigrations
        let at: Int64 = 1_600_000_000_000

        let old = try SQLiteInboxStore(path: path, migrateUpTo: "v5_assignment")
        #expect(try old.appliedMigrations() == Array(known.prefix(5)))
        // Rows as the previous version wrote them: plain SQL, so no column of the new version is used.
        try old.pool.write { db in
            try db.execute(sql: """
                INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'mastodon', 'acme', 'Acme', ?);
                INSERT INTO customer (id, platform, handle, display_name, first_seen) VALUES (1, 'mastodon', 'kim@example.social', 'Kim', ?);
                INSERT INTO conversation (id, channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                    cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, sla_due_at, preview)
                VALUES (1, 1, 1, 'open', 1, 'question', 'test', 1, 1, ?, ?, ?, ?, ?, ?, 'hello?');
                INSERT INTO event (at, kind, actor, conversation_id, detail)
                VALUES (?, 'opened', 'ingest', 1, '{"message_at":"1599999000000"}'),
                       (?, 'replied', 'responder:dana', 1, '{"sent_at":"1600000060000"}');
                """, arguments: [at, at, at, at, at, at, at, at + 60_000, at, at])
        }

        let upgraded = try SQLiteInboxStore(path: path)
        #expect(try upgraded.appliedMigrations() == known)
        let (conversation, queue, counts) = try upgraded.read { reader in
            (try reader.conversation(ConversationID(1)), try reader.queue(.unassigned, after: nil, limit: 10), try reader.counts())
        }
        #expect(conversation?.slaDueAt == Timestamp(millisecondsSinceEpoch: at + 60_000))
        #expect(queue.map(\.id) == [ConversationID(1)])
        #expect(counts.events == 2)
        // v6 filled the new column from the details, and the log is append-only again afterwards.
        let occurred = try upgraded.pool.read { db in try Int64.fetchAll(db, sql: "SELECT occurred_at FROM event ORDER BY id") }
        #expect(occurred == [1_599_999_000_000, 1_600_000_060_000])
        #expect(throws: DatabaseError.self) {
            try upgraded.pool.write { db in try db.execute(sql: "UPDATE event SET actor = 'x'") }
        }
        #expect(try upgraded.integrityCheck().isEmpty)
    }

    @Test func thePreviousVersionUpgradesKeepingItsRepliesAndTheirOutboxState() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v6.sqlite")
        let known = SQLiteInboxStore.knownMigrations
        let old = try SQLiteInboxStore(path: path, migrateUpTo: known[known.count - 2])
        #expect(try old.appliedMigrations() == Array(known.dropLast()))
        let at: Int64 = 1_600_000_000_000
        try old.pool.write { db in
            try db.execute(sql: """
                INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'acme', 'Acme', ?);
                INSERT INTO customer (id, platform, handle, display_name, first_seen) VALUES (1, 'x', 'kim', 'Kim', ?);
                INSERT INTO conversation (id, channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                    cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, sla_due_at, preview)
                VALUES (1, 1, 1, 'open', 1, 'question', 'test', 1, 1, ?, ?, ?, ?, ?, ?, 'hello?');
                INSERT INTO responder (id, login, display_name, initials, role, availability, capacity)
                VALUES (1, 'dana', 'Dana', 'DK', 'agent', 'available', 5);
                INSERT INTO reply (id, conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at, platform_id, platform)
                VALUES (1, 1, 1, 1, 'done ^DK', 'sent', ?, ?, ?, '99', 'x'),
                       (2, 1, 1, 1, 'typing', 'draft', ?, ?, NULL, NULL, NULL);
                INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                VALUES (?, 'opened', 'ingest', 1, '{}', ?), (? + 60000, 'replied', 'responder:dana', 1, '{}', ? + 60000);
                """, arguments: [at, at, at, at, at, at, at, at, at, at, at, at, at, at, at, at, at])
        }
        let upgraded = try SQLiteInboxStore(path: path)
        #expect(try upgraded.appliedMigrations() == known)
        let (replies, due, unsent) = try upgraded.read { reader in
            (try reader.replies(in: ConversationID(1)), try reader.dueReplies(at: Timestamp(millisecondsSinceEpoch: at * 2), limit: 10),
             try reader.unsentReplies(by: nil, limit: 10))
        }
        #expect(replies.map(\.state) == [.sent, .draft])
        #expect(replies.allSatisfy { $0.nextAttemptAt == nil && $0.deliveryStartedAt == nil })
        #expect(due.isEmpty && unsent.isEmpty)
        // The history written before the wait facts existed is computed by the first report.
        #expect(try upgraded.read { try $0.hasStaleWaitFacts() })
        try upgraded.refreshWaitFacts()
        let facts = try upgraded.read { reader in
            var facts: [WaitFact] = []
            try reader.forEachWaitFact(from: nil, to: nil, responders: true) { facts.append($0) }
            return facts
        }
        #expect(facts.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.firstResponse, .reply, .replySent])
        #expect(facts.allSatisfy { $0.responder == "dana" && $0.channel == ChannelID(1) })
        #expect(facts.first { $0.kind == .firstResponse }?.milliseconds == 60_000)
        #expect(try upgraded.integrityCheck().isEmpty)
    }

    @Test func aDatabaseFromANewerEarshotIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("newer.sqlite")
        let store = try SQLiteInboxStore(path: path)
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99_from_the_future')")
        }
        #expect(throws: StoreError.newerSchema(path: path, found: ["v99_from_the_future"])) {
            _ = try SQLiteInboxStore(path: path)
        }
    }

    @Test func aMissingDatabaseIsReportedWithWhatToDo() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("nothing-here.sqlite")
        do {
            _ = try SQLiteInboxStore(path: path, mode: .mustExist)
            Issue.record("opened a database that does not exist")
        } catch let error as StoreError {
            #expect(error.description == "no database at \(path); create it with `earshot db init`")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theDatabaseAndItsWALArePrivateToTheirOwner() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("nested/dir/private.sqlite")
        let store = try SQLiteInboxStore(path: path)
        _ = try store.read { try $0.counts() }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) has mode \(String(mode ?? 0, radix: 8))")
        }
        let dirMode = try FileManager.default.attributesOfItem(atPath: directory.file("nested/dir"))[.posixPermissions] as? Int
        #expect(dirMode == 0o700)
    }

    @Test func theConnectionUsesWALForeignKeysAndABusyTimeout() throws {
        let fixture = try StoreFixture()
        let (journal, foreignKeys) = try fixture.sqlite.pool.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        // A mention pointing at a conversation that does not exist is refused.
        var orphan = fixture.newMention("orphan", in: try fixture.openConversation())
        orphan.conversationID = ConversationID(424_242)
        #expect(throws: DatabaseError.self) {
            try fixture.store.write {
                try $0.insertMention(orphan, because: EventDraft(.ingested, by: .ingest, at: fixture.clock.now()))
            }
        }
    }
}
