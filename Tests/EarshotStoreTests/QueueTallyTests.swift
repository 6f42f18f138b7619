import EarshotCore
import EarshotStore
import EarshotTestSupport
import Testing

/// The status bar's counts come from a tally kept by triggers (`Migrations.addQueueTally`):
/// whatever happens to conversations, they must equal what the conversations themselves say.
struct QueueTallyTests {
    @Test(arguments: StoreKind.available)
    func countsFromTheTallyEqualTheConversationsAfterRandomChanges(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let ann = try fixture.addResponder("ann")
        let now = fixture.clock.now()
        var random = SeededRandom(seed: 18)
        var ids: [ConversationID] = []
        for _ in 0..<30 {
            let due = Bool.random(using: &random) ? now.adding(seconds: Int64.random(in: -300...300, using: &random) * 60) : nil
            ids.append(try fixture.openConversation(due: due).id)
        }
        let statuses: [ConversationStatus] = [.open, .open, .pending, .snoozed, .resolved]
        for step in 1...300 {
            let id = ids.randomElement(using: &random)!
            try fixture.store.write { writer in
                var conversation = try #require(try writer.conversation(id))
                switch Int.random(in: 0..<5, using: &random) {
                case 0: conversation.status = statuses.randomElement(using: &random)!
                case 1: conversation.assigneeID = conversation.assigneeID == nil ? ann.id : nil
                case 2: conversation.slaDueAt = Bool.random(using: &random) ? now.adding(seconds: Int64.random(in: -300...300, using: &random) * 60) : nil
                case 3: conversation.waitingSince = conversation.waitingSince == nil ? now.adding(seconds: -Int64.random(in: 0...900, using: &random) * 60) : nil
                default: conversation.triageClass = [.question, .spam, .complaint].randomElement(using: &random)!
                }
                try writer.updateConversation(conversation, because: EventDraft(.assigned, by: .system, at: now, conversation: id))
            }
            if step % 25 == 0 { try expectCountsAgree(fixture, ids, now) }
        }
    }

    /// The counts as the status bar reads them beside the same counts taken from every row.
    private func expectCountsAgree(_ fixture: StoreFixture, _ ids: [ConversationID], _ now: Timestamp) throws {
        let conversations = try fixture.store.read { reader in try ids.map { try #require(try reader.conversation($0)) } }
        let counted = conversations.filter { $0.status == .open && $0.triageClass.isRoutable }
        for offset in [-400, -61, 0, 59, 400] {
            let at = now.adding(seconds: Int64(offset) * 60)
            let breached = counted.filter { $0.slaDueAt.map { $0 <= at } ?? false }.count
            #expect(try fixture.store.read { try $0.countBreached(at: at) } == breached, "breached at \(offset) minutes")
        }
        let waiting = counted.compactMap(\.waitingSince)
        let summary = try fixture.store.read { try $0.waitingSummary() }
        #expect(summary.count == waiting.count)
        #expect(summary.oldest == waiting.min())
        #expect(try fixture.store.read { try $0.countUnassigned() } == counted.filter { $0.assigneeID == nil }.count)
    }
}
