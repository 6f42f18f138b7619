/// The transitions of a conversation, in one place: the service (people's actions, the clock,
/// delivery) and ingest (customers writing) call these instead of setting fields by hand, so
/// the fields that belong together (status, wait, SLA clock, cycle) always change together.
///
/// Each takes the SLA policy where the clock can change and recomputes `slaDueAt` from it.
extension Conversation {
    /// Makes `responder` the assignee, stamping when (round robin and return-to-queue read it).
    public mutating func assign(to responder: ResponderID, at now: Timestamp) {
        assigneeID = responder
        assignedAt = now
        touchedAt = nil
        updatedAt = now
    }

    /// Nobody owns it any more (released, returned to the queue, owner removed).
    public mutating func unassign(at time: Timestamp) {
        assigneeID = nil
        assignedAt = nil
        touchedAt = nil
        updatedAt = time
    }

    /// Done: nothing waits and nothing is due. The assignee stays on record (history, sticky
    /// routing); the capacity it held frees up because the conversation is no longer open.
    public mutating func resolve(at now: Timestamp) {
        status = .resolved
        waitingSince = nil
        snoozedUntil = nil
        slaDueAt = nil
        updatedAt = now
    }

    /// A resolved conversation opens again as a new cycle, waiting from `start` (a person
    /// reopening it now, or the customer's message that reopened it).
    public mutating func reopenAsNewCycle(waitingFrom start: Timestamp, at now: Timestamp, sla: SLAPolicy) {
        status = .open
        cycle += 1
        cycleStartedAt = start
        waitingSince = start
        snoozedUntil = nil
        updatedAt = now
        slaDueAt = sla.dueAt(for: self)
    }

    /// Put aside until `until`; the clock wakes it then. The wait and its SLA clock keep running.
    public mutating func snooze(until: Timestamp, at now: Timestamp) {
        status = .snoozed
        snoozedUntil = until
        updatedAt = now
    }

    /// Back into the queue: the snooze ran out, or the customer wrote again.
    public mutating func wake(at now: Timestamp) {
        status = .open
        snoozedUntil = nil
        updatedAt = now
    }

    /// A reply sent at `sent` answers everything the customer wrote before it. When the
    /// customer wrote again after it, the wait starts at their first message after `sent`,
    /// which only the store knows: `firstMessageAfter` looks it up.
    public mutating func answered(
        at sent: Timestamp, sla: SLAPolicy, firstMessageAfter: (Timestamp) throws -> Timestamp?
    ) rethrows {
        lastReplyAt = max(lastReplyAt ?? sent, sent)
        if sent >= lastCustomerMessageAt {
            waitingSince = nil
            if status == .open { status = .pending }
        } else if let waiting = waitingSince, waiting <= sent {
            waitingSince = try firstMessageAfter(sent)
        }
        updatedAt = sent
        slaDueAt = sla.dueAt(for: self)
    }

    /// The customer wrote at `time` (history may arrive out of order: a message older than our
    /// last reply was already answered). A resolved conversation opens a new cycle; a snoozed
    /// one wakes; a pending one waits again. True when a new cycle began (ingest triages the
    /// message again then, unless a person fixed the class).
    @discardableResult
    public mutating func customerWrote(at time: Timestamp, preview text: String, at now: Timestamp, sla: SLAPolicy) -> Bool {
        let answered = lastReplyAt.map { $0 >= time } ?? false
        var reopened = false
        switch status {
        case .resolved where time > updatedAt || time > (lastReplyAt ?? updatedAt):
            reopenAsNewCycle(waitingFrom: time, at: now, sla: sla)
            reopened = true
        case .snoozed:
            wake(at: now)
        case .pending where !answered:
            status = .open
        default:
            break
        }
        if !reopened, !answered, status == .open {
            waitingSince = min(waitingSince ?? time, time)
        }
        if time >= lastCustomerMessageAt {
            lastCustomerMessageAt = time
            preview = text
        }
        updatedAt = now
        slaDueAt = sla.dueAt(for: self)
        return reopened
    }

    /// Folded into another conversation (threading found they were one): resolved and
    /// unassigned, with the reason saying where its messages went.
    public mutating func mergedAway(into target: ConversationID, at now: Timestamp) {
        resolve(at: now)
        unassign(at: now)
        triageReason = "merged into conversation \(target)"
    }

    /// Takes in the wait and the times of a conversation merged into this one.
    public mutating func absorb(_ other: Conversation, at now: Timestamp) {
        lastCustomerMessageAt = max(lastCustomerMessageAt, other.lastCustomerMessageAt)
        if let waiting = other.waitingSince { waitingSince = min(waitingSince ?? waiting, waiting) }
        if let replied = other.lastReplyAt { lastReplyAt = max(lastReplyAt ?? replied, replied) }
        updatedAt = now
    }
}
