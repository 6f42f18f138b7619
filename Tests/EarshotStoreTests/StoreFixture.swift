import EarshotCore
@testable import EarshotStore
import EarshotTestSupport
import GRDB

/// The stores the shared suite runs against: SQLite always, PostgreSQL unless
/// EARSHOT_NO_POSTGRES=1 (then skipped, and said so once).
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres
    var description: String { rawValue }
    static var available: [StoreKind] { TestPostgres.isEnabled ? allCases : [.sqlite] }
}

/// A real store (a SQLite file in a temp directory, or a fresh PostgreSQL database), with one
/// channel and one customer ready.
struct StoreFixture {
    let directory: TemporaryDirectory
    let store: any InboxStore
    let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
    let channel: Channel
    let customer: Customer

    /// The SQLite store, for the tests of SQLite's own setup.
    var sqlite: SQLiteInboxStore { store as! SQLiteInboxStore }

    init(_ kind: StoreKind = .sqlite) throws {
        directory = try TemporaryDirectory("earshot-store")
        switch kind {
        case .sqlite: store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        case .postgres: store = try PostgresInboxStore(location: TestPostgres.freshDatabase("store"), listen: false)
        }
        let at = clock.now()
        (channel, customer) = try store.write { writer in
            let channel = try writer.insertChannel(
                platform: .x, handle: "AcmeSupport", displayName: "Acme Support",
                because: EventDraft(.channelAdded, by: .system, at: at))
            let customer = try writer.insertCustomer(
                platform: .x, handle: "dana", displayName: "Dana", firstSeen: at,
                because: EventDraft(.customerAdded, by: .ingest, at: at))
            return (channel, customer)
        }
    }

    func openConversation(due: Timestamp? = nil, triage: TriageClass = .question) throws -> Conversation {
        let at = clock.now()
        return try store.write { writer in
            try writer.insertConversation(
                NewConversation(
                    channelID: channel.id, customerID: customer.id, triageClass: triage, startedAt: at,
                    slaDueAt: due, preview: "where is my order?"),
                because: EventDraft(.opened, by: .ingest, at: at))
        }
    }

    func newMention(_ externalID: String, in conversation: Conversation) -> NewMention {
        NewMention(
            platform: .x, externalID: externalID, channelID: channel.id, customerID: customer.id,
            conversationID: conversation.id, text: "@AcmeSupport where is my order?",
            createdAt: clock.now(), rawPayload: #"{"id":"\#(externalID)"}"#)
    }

    func addResponder(_ login: String, role: ResponderRole = .agent) throws -> Responder {
        let at = clock.now()
        return try store.write { writer in
            try writer.insertResponder(
                NewResponder(login: login, displayName: login.capitalized, initials: String(login.prefix(2)).uppercased(),
                             role: role, availability: .available, capacity: 3),
                because: EventDraft(.responderAdded, by: .system, at: at))
        }
    }

    /// Runs SQL of the test's own on the store's database, outside the store's API (to break
    /// it on purpose, or to try what the store forbids).
    func executeRaw(sqlite: String, postgres: String) throws {
        if let store = store as? PostgresInboxStore {
            try store.transaction(begin: "BEGIN") { sql in for statement in PostgresSQL.statements(postgres) { try sql.execute(statement) } }
        } else {
            try self.sqlite.pool.writeWithoutTransaction { db in try db.execute(sql: sqlite) }
        }
    }
}
