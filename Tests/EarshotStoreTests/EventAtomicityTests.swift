import EarshotCore
@testable import EarshotStore
import EarshotTestSupport
import GRDB
import Testing

/// A state change and its event commit together or not at all.
@Suite struct EventAtomicityTests {
    struct Interrupted: Error {}

    @Test(arguments: StoreKind.available)
    func aFailureWritingTheEventUndoesTheStateChange(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        let alice = try fixture.addResponder("alice")
        let eventsBefore = try fixture.store.read { try $0.counts().events }

        // A real failure between the two writes: the database itself refuses the event row.
        try fixture.executeRaw(
            sqlite: """
                CREATE TEMP TRIGGER refuse_events BEFORE INSERT ON main.event
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """,
            postgres: """
                CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN RAISE EXCEPTION 'injected failure'; END $$;
                CREATE TRIGGER refuse_events BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION refuse_events()
                """)
        var claimed = conversation
        claimed.assigneeID = alice.id
        #expect(throws: (any Error).self) {
            try fixture.store.write { writer in
                try writer.updateConversation(
                    claimed, because: EventDraft(.claimed, by: .responder(login: "alice"), at: fixture.clock.now()))
            }
        }
        try fixture.executeRaw(sqlite: "DROP TRIGGER temp.refuse_events", postgres: "DROP TRIGGER refuse_events ON event")

        let (stored, eventsAfter) = try fixture.store.read { reader in
            (try reader.conversation(conversation.id), try reader.counts().events)
        }
        #expect(stored?.assigneeID == nil)
        #expect(eventsAfter == eventsBefore)
    }

    @Test(arguments: StoreKind.available)
    func aFailureAfterTheEventUndoesBoth(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        let eventsBefore = try fixture.store.read { try $0.counts().events }
        var resolved = conversation
        resolved.status = .resolved
        #expect(throws: Interrupted.self) {
            try fixture.store.write { writer in
                try writer.updateConversation(
                    resolved, because: EventDraft(.resolved, by: .system, at: fixture.clock.now()))
                throw Interrupted()
            }
        }
        let (stored, eventsAfter) = try fixture.store.read { reader in
            (try reader.conversation(conversation.id), try reader.counts().events)
        }
        #expect(stored?.status == .open)
        #expect(eventsAfter == eventsBefore)
    }

    @Test(arguments: StoreKind.available)
    func eachStateChangeWritesExactlyOneEventWithActorAndTime(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let conversation = try fixture.openConversation()
        let alice = try fixture.addResponder("alice")
        fixture.clock.advance(minutes: 3)
        let at = fixture.clock.now()
        var claimed = conversation
        claimed.assigneeID = alice.id
        let actor = Actor.responder(login: "alice")
        try fixture.store.write { writer in
            try writer.updateConversation(claimed, because: EventDraft(.claimed, by: actor, at: at))
            try writer.setLabels(["vip", "billing", "vip"], on: conversation.id, because: EventDraft(.labelAdded, by: actor, at: at))
            _ = try writer.insertNote(
                conversation: conversation.id, author: alice.id, text: "VIP", at: at,
                because: EventDraft(.noted, by: actor, at: at))
            _ = try writer.insertReply(
                NewReply(conversationID: conversation.id, cycle: 1, authorID: alice.id, text: "@dana on it",
                         state: .draft, createdAt: at),
                because: EventDraft(.draftSaved, by: actor, at: at))
        }
        let events = try fixture.store.read { try $0.events(for: conversation.id) }
        #expect(events.map(\.kind) == [.opened, .claimed, .labelAdded, .noted, .draftSaved])
        #expect(events.dropFirst().allSatisfy { $0.actor == actor && $0.at == at })
        let stored = try #require(try fixture.store.read { try $0.conversation(conversation.id) })
        #expect(stored.assigneeID == alice.id)
        #expect(stored.labels == ["billing", "vip"])
    }

    @Test(arguments: StoreKind.available)
    func theEventLogRefusesUpdatesAndDeletes(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        for statement in ["UPDATE event SET actor = 'someone'", "DELETE FROM event"] {
            #expect(throws: (any Error).self) { try fixture.executeRaw(sqlite: statement, postgres: statement) }
        }
        #expect(try fixture.store.read { try $0.events(after: nil, limit: 10) }.allSatisfy { $0.actor != .responder(login: "someone") })
        #expect(try fixture.store.read { try $0.counts().events } == 2)
    }

    @Test(arguments: StoreKind.available)
    func updatingSomethingThatDoesNotExistFailsAndWritesNoEvent(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let ghost = Responder(id: ResponderID(999), login: "ghost", displayName: "Ghost", initials: "GH")
        let eventsBefore = try fixture.store.read { try $0.counts().events }
        #expect(throws: StoreError.notFound(what: "responder ghost")) {
            try fixture.store.write { writer in
                try writer.updateResponder(ghost, because: EventDraft(.responderChanged, by: .system, at: fixture.clock.now()))
            }
        }
        #expect(try fixture.store.read { try $0.counts().events } == eventsBefore)
    }
}

/// PostgreSQL aborts a transaction at its first failed statement, where SQLite goes on: a write
/// that swallowed such a failure must not look committed when nothing of it was kept.
@Suite(.enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"))
struct AbortedTransactionTests {
    @Test func aWriteWhoseStatementFailedInsideIsNotReportedAsCommitted() throws {
        let fixture = try StoreFixture(.postgres)
        let before = try fixture.store.read { try $0.counts() }
        #expect(throws: (any Error).self) {
            try fixture.store.write { writer in
                _ = try writer.insertCustomer(platform: .x, handle: "lee", displayName: "Lee", firstSeen: fixture.clock.now(),
                                              because: EventDraft(.customerAdded, by: .ingest, at: fixture.clock.now()))
                // The same channel again: refused by its unique key, and the failure swallowed.
                _ = try? writer.insertChannel(platform: .x, handle: "AcmeSupport", displayName: "Again",
                                              because: EventDraft(.channelAdded, by: .system, at: fixture.clock.now()))
            }
        }
        #expect(try fixture.store.read { try $0.counts() } == before, "nothing of the aborted write was kept")
    }
}
