import EarshotCore
@testable import EarshotStore
import GRDB
import Testing

/// A state change and its event commit together or not at all.
@Suite struct EventAtomicityTests {
    struct Interrupted: Error {}

    @Test func aFailureWritingTheEventUndoesTheStateChange() throws {
        let fixture = try StoreFixture()
        let conversation = try fixture.openConversation()
        let alice = try fixture.addResponder("alice")
        let eventsBefore = try fixture.store.read { try $0.counts().events }

        // A real failure between the two writes: SQLite itself refuses the event row.
        try fixture.store.pool.writeWithoutTransaction { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse_events BEFORE INSERT ON main.event
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }
        var claimed = conversation
        claimed.assigneeID = alice.id
        #expect(throws: DatabaseError.self) {
            try fixture.store.write { writer in
                try writer.updateConversation(
                    claimed, because: EventDraft(.claimed, by: .responder(login: "alice"), at: fixture.clock.now()))
            }
        }
        try fixture.store.pool.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER temp.refuse_events")
        }

        let (stored, eventsAfter) = try fixture.store.read { reader in
            (try reader.conversation(conversation.id), try reader.counts().events)
        }
        #expect(stored?.assigneeID == nil)
        #expect(eventsAfter == eventsBefore)
    }

    @Test func aFailureAfterTheEventUndoesBoth() throws {
        let fixture = try StoreFixture()
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

    @Test func eachStateChangeWritesExactlyOneEventWithActorAndTime() throws {
        let fixture = try StoreFixture()
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

    @Test func theEventLogRefusesUpdatesAndDeletes() throws {
        let fixture = try StoreFixture()
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in try db.execute(sql: "UPDATE event SET actor = 'someone'") }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM event") }
        }
    }

    @Test func updatingSomethingThatDoesNotExistFailsAndWritesNoEvent() throws {
        let fixture = try StoreFixture()
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
