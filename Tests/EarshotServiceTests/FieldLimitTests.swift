import EarshotCore
import EarshotService
import EarshotStore
import Testing

/// Every field a person writes has a size the service enforces (so the daemon and single-user
/// mode alike), control characters other than newline and tab are removed, and values stored
/// before the limits are cut on the way out (docs/protocol.md, Limits).
@Suite struct FieldLimitTests {
    func manualFixture() throws -> ServiceFixture {
        try ServiceFixture { $0.routing = .manual }
    }

    /// The service's refusal text, or nil when it accepted.
    func refusal(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func aLabelOverItsLimitIsRefusedSayingTheLimitAndOneAtTheLimitIsKept() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        let message = try #require(refusal { try fixture.service.label(id, String(repeating: "é", count: 900_000), add: true, by: "dana") })
        #expect(message == "a label is 900000 characters; the limit is 64: shorten it (docs/protocol.md, Limits)")
        let longest = String(repeating: "a", count: FieldLimits.label)
        #expect(try fixture.service.label(id, longest, add: true, by: "dana").labels == [longest])
    }

    @Test func aConversationTakesAtMost32Labels() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        for number in 0..<FieldLimits.labelsPerConversation { try fixture.service.label(id, "l\(number)", add: true, by: "dana") }
        let message = try #require(refusal { try fixture.service.label(id, "one-more", add: true, by: "dana") })
        #expect(message.contains("already has 32 labels; the limit is 32: remove one first"))
        // Removing still works at the limit.
        #expect(try fixture.service.label(id, "l0", add: false, by: "dana").labels.count == 31)
    }

    @Test func notesDraftsRepliesNamesAndSearchTextHaveLimits() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        let tooLong = String(repeating: "x", count: 4_001)
        #expect(refusal { try fixture.service.addNote(id, text: tooLong, by: "dana") }?.hasPrefix("the note is 4001 characters; the limit is 4000") == true)
        #expect(refusal { try fixture.service.saveDraft(id, text: tooLong, by: "dana") }?.hasPrefix("the draft is 4001 characters; the limit is 4000") == true)
        #expect(refusal { try fixture.service.sendReply(id, text: tooLong, by: "dana") }?.hasPrefix("the reply is 4001 characters; the limit is 4000") == true)
        #expect(refusal {
            try fixture.service.updateResponder("dana", ResponderChanges(displayName: String(repeating: "D", count: 65)), by: "admin")
        }?.hasPrefix("the name is 65 characters; the limit is 64") == true)
        #expect(refusal {
            _ = try fixture.service.queueWindow(
                QueueWindowRequest(view: .open, filter: QueueFilter(search: String(repeating: "s", count: 201)), limit: 5), for: "dana")
        }?.hasPrefix("the search text is 201 characters; the limit is 200") == true)
        // At the limit, each is taken.
        #expect(try fixture.service.addNote(id, text: String(repeating: "x", count: 4_000), by: "dana").text.count == 4_000)
        #expect(try fixture.service.saveDraft(id, text: String(repeating: "x", count: 4_000), by: "dana").text.count == 4_000)
    }

    @Test func controlCharactersOtherThanNewlineAndTabAreRemovedFromWhatPeopleWrite() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        let note = try fixture.service.addNote(id, text: "called\u{0} the\u{1B}[31m depot\r\nline two\tand a tab\u{7F}\u{85}", by: "dana")
        #expect(note.text == "called the[31m depot\nline two\tand a tab")
        let draft = try fixture.service.saveDraft(id, text: "@customer1 on\u{0} its way", by: "dana")
        #expect(draft.text == "@customer1 on its way")
        #expect(try fixture.service.label(id, "ref\u{0}und", add: true, by: "dana").labels == ["refund"])
        let reply = try fixture.service.sendReply(id, text: "@customer1 sorted\u{7}", by: "dana")
        #expect(!reply.text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        // A name is one line.
        #expect(refusal {
            try fixture.service.updateResponder("dana", ResponderChanges(displayName: "Dana\nKim"), by: "admin")
        } == "the name must be one line: remove the line break or tab")
        #expect(try fixture.service.updateResponder("dana", ResponderChanges(displayName: "Dana\u{0} Kim"), by: "admin").displayName == "Dana Kim")
    }

    @Test func anOversizedLabelStoredBeforeTheLimitsIsCutInQueueRowsAndThreads() throws {
        let fixture = try manualFixture()
        try fixture.responder("dana")
        let id = try fixture.conversation()
        let huge = String(repeating: "é", count: 900_000)
        let at = fixture.clock.now()
        try fixture.store.write { writer in
            try writer.setLabels([huge, "refund"], on: id, because: EventDraft(.labelAdded, by: .system, at: at, detail: ["label": huge]))
        }
        let row = try #require(try fixture.service.queue(.open, limit: 5, for: "dana").first)
        #expect(row.conversation.labels.contains(String(repeating: "é", count: FieldLimits.label) + "…"))
        #expect(row.conversation.labels.contains("refund"))
        #expect(try fixture.service.thread(id, for: "dana").conversation.labels == row.conversation.labels)
        let events = try fixture.service.events(after: EventID(0), limit: 10_000, for: "dana").events
        #expect(events.allSatisfy { $0.detail.values.allSatisfy { $0.unicodeScalars.count <= 201 } })
        // The cut name people see removes it.
        let shown = String(repeating: "é", count: FieldLimits.label) + "…"
        #expect(try fixture.service.label(id, shown, add: false, by: "dana").labels == ["refund"])
    }
}
