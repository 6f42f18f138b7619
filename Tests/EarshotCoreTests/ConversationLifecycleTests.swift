import EarshotCore
import Testing

/// The conversation's transitions, as the service and ingest call them: the fields that belong
/// together (status, wait, SLA clock, cycle, assignee) change together.
@Suite struct ConversationLifecycleTests {
    let start = Timestamp(secondsSinceEpoch: 1_700_000_000)
    let sla = SLAPolicy()

    func fresh() -> Conversation {
        var conversation = Conversation(
            id: ConversationID(1), channelID: ChannelID(1), customerID: CustomerID(1), status: .open, snoozedUntil: nil,
            priority: .normal, triageClass: .question, triageReason: "test", triageLocked: false, assigneeID: nil, labels: [],
            cycle: 1, cycleStartedAt: start, createdAt: start, updatedAt: start, lastCustomerMessageAt: start,
            waitingSince: start, lastReplyAt: nil, slaDueAt: nil, preview: "where is my order?")
        conversation.slaDueAt = sla.dueAt(for: conversation)
        return conversation
    }

    @Test func assignStampsAndUnassignClears() {
        var conversation = fresh()
        conversation.touchedAt = start
        conversation.assign(to: ResponderID(7), at: start.adding(seconds: 5))
        #expect(conversation.assigneeID == ResponderID(7))
        #expect(conversation.assignedAt == start.adding(seconds: 5))
        #expect(conversation.touchedAt == nil)
        conversation.unassign(at: start.adding(seconds: 9))
        #expect(conversation.assigneeID == nil && conversation.assignedAt == nil)
        #expect(conversation.updatedAt == start.adding(seconds: 9))
    }

    @Test func resolveStopsTheClockAndReopeningStartsANewCycle() {
        var conversation = fresh()
        #expect(conversation.slaDueAt != nil)
        conversation.resolve(at: start.adding(seconds: 60))
        #expect(conversation.status == .resolved)
        #expect(conversation.waitingSince == nil && conversation.slaDueAt == nil)
        let later = start.adding(seconds: 3600)
        conversation.reopenAsNewCycle(waitingFrom: later, at: later, sla: sla)
        #expect(conversation.status == .open && conversation.cycle == 2)
        #expect(conversation.cycleStartedAt == later && conversation.waitingSince == later)
        #expect(conversation.slaDueAt == sla.dueAt(waitingSince: later, kind: .firstResponse, priority: .normal))
    }

    @Test func snoozeAndWake() {
        var conversation = fresh()
        conversation.snooze(until: start.adding(seconds: 7200), at: start)
        #expect(conversation.status == .snoozed && conversation.snoozedUntil == start.adding(seconds: 7200))
        #expect(conversation.waitingSince == start, "the wait keeps running while snoozed")
        conversation.wake(at: start.adding(seconds: 7200))
        #expect(conversation.status == .open && conversation.snoozedUntil == nil)
    }

    @Test func aReplyAnswersWhatCameBeforeIt() {
        var conversation = fresh()
        let sent = start.adding(seconds: 120)
        conversation.answered(at: sent, sla: sla) { _ in Issue.record("nothing came after"); return nil }
        #expect(conversation.status == .pending && conversation.waitingSince == nil && conversation.slaDueAt == nil)
        #expect(conversation.lastReplyAt == sent)

        // The customer wrote again at +100 s, before a reply sent at +200 s arrives (history
        // out of order): nothing is waiting after it... unless they wrote at +300 s.
        var busy = fresh()
        busy.lastCustomerMessageAt = start.adding(seconds: 300)
        busy.answered(at: start.adding(seconds: 200), sla: sla) { after in
            #expect(after == start.adding(seconds: 200))
            return start.adding(seconds: 300)
        }
        #expect(busy.status == .open && busy.waitingSince == start.adding(seconds: 300))
        #expect(busy.slaDueAt == sla.dueAt(waitingSince: start.adding(seconds: 300), kind: .reply, priority: .normal))
    }

    @Test func theCustomerWritingAgainReopensWakesOrWaits() {
        // Resolved: a new cycle, waiting from the message.
        var resolved = fresh()
        resolved.resolve(at: start.adding(seconds: 60))
        let message = start.adding(seconds: 600)
        let reopened = resolved.customerWrote(at: message, preview: "still nothing", at: message, sla: sla)
        #expect(reopened)
        #expect(resolved.cycle == 2 && resolved.waitingSince == message && resolved.preview == "still nothing")

        // Snoozed: wakes, keeps its cycle and its earlier wait.
        var snoozed = fresh()
        snoozed.snooze(until: start.adding(seconds: 86_400), at: start)
        let snoozedReopened = snoozed.customerWrote(at: message, preview: "hello?", at: message, sla: sla)
        #expect(!snoozedReopened)
        #expect(snoozed.status == .open && snoozed.cycle == 1 && snoozed.waitingSince == start)

        // Pending (answered): waits again from the new message.
        var pending = fresh()
        pending.answered(at: start.adding(seconds: 60), sla: sla) { _ in nil }
        let pendingReopened = pending.customerWrote(at: message, preview: "thanks but", at: message, sla: sla)
        #expect(!pendingReopened)
        #expect(pending.status == .open && pending.waitingSince == message)

        // An old message arriving late (before our reply) was already answered: no new wait.
        var late = fresh()
        late.answered(at: start.adding(seconds: 60), sla: sla) { _ in nil }
        let lateReopened = late.customerWrote(at: start.adding(seconds: 30), preview: "older", at: message, sla: sla)
        #expect(!lateReopened)
        #expect(late.status == .pending && late.waitingSince == nil)
    }

    @Test func mergingTakesTheEarliestWaitAndResolvesTheShell() {
        var kept = fresh()
        var shell = fresh()
        shell.waitingSince = start.adding(seconds: -300)
        shell.lastCustomerMessageAt = start.adding(seconds: 30)
        shell.assign(to: ResponderID(3), at: start)
        kept.absorb(shell, at: start.adding(seconds: 40))
        #expect(kept.waitingSince == start.adding(seconds: -300))
        #expect(kept.lastCustomerMessageAt == start.adding(seconds: 30))
        shell.mergedAway(into: ConversationID(9), at: start.adding(seconds: 40))
        #expect(shell.status == .resolved && shell.assigneeID == nil && shell.slaDueAt == nil)
        #expect(shell.triageReason == "merged into conversation 9")
    }
}
