/// Which clock an SLA target measures: the first answer of a cycle, or each later answer.
public enum SLAKind: String, CaseIterable, Sendable, Codable {
    case firstResponse = "first_response"
    case reply
}

/// Targets for one priority.
public struct SLATarget: Equatable, Sendable {
    /// Milliseconds allowed for the first response of a cycle; nil = no target.
    public var firstResponse: Int64?
    /// Milliseconds allowed for each later answer; nil = no target.
    public var reply: Int64?
    /// Count only business hours (the configured calendar), else all hours.
    public var businessHoursOnly: Bool

    public init(firstResponse: Int64?, reply: Int64?, businessHoursOnly: Bool = false) {
        self.firstResponse = firstResponse
        self.reply = reply
        self.businessHoursOnly = businessHoursOnly
    }

    public func milliseconds(for kind: SLAKind) -> Int64? {
        kind == .firstResponse ? firstResponse : reply
    }
}

/// Where a waiting conversation stands against its target.
public enum SLAState: Equatable, Sendable {
    case ok(remaining: Int64)
    /// Past the warning threshold (default 75% of the target), not yet over.
    case warning(remaining: Int64)
    case breached(over: Int64)

    public var name: String {
        switch self {
        case .ok: "ok"
        case .warning: "warning"
        case .breached: "breached"
        }
    }
}

/// SLA targets per priority, the warning threshold and the business-hours calendar.
public struct SLAPolicy: Equatable, Sendable {
    public var targets: [Priority: SLATarget]
    /// Fraction of the target after which a waiting conversation is in warning.
    public var warningFraction: Double
    public var calendar: BusinessCalendar

    public init(targets: [Priority: SLATarget] = SLAPolicy.defaultTargets, warningFraction: Double = 0.75,
                calendar: BusinessCalendar = .always) {
        self.targets = targets
        self.warningFraction = warningFraction
        self.calendar = calendar
    }

    public static let defaultTargets: [Priority: SLATarget] = [
        .urgent: SLATarget(firstResponse: 15 * 60_000, reply: 30 * 60_000),
        .high: SLATarget(firstResponse: 60 * 60_000, reply: 2 * 3_600_000),
        .normal: SLATarget(firstResponse: 4 * 3_600_000, reply: 8 * 3_600_000),
        .low: SLATarget(firstResponse: 24 * 3_600_000, reply: 24 * 3_600_000),
    ]

    /// How long a wait lasted as this priority's policy counts it (business or wall time).
    public func measured(from start: Timestamp, to end: Timestamp, priority: Priority) -> Int64 {
        let business = targets[priority]?.businessHoursOnly ?? false
        return business ? calendar.businessMilliseconds(from: start, to: end) : max(0, end.milliseconds(since: start))
    }

    /// When a wait that began at `start` breaches, or nil without a target.
    public func dueAt(waitingSince start: Timestamp, kind: SLAKind, priority: Priority) -> Timestamp? {
        guard let target = targets[priority], let allowed = target.milliseconds(for: kind) else { return nil }
        return target.businessHoursOnly ? calendar.adding(milliseconds: allowed, to: start) : start.adding(milliseconds: allowed)
    }

    /// The live state of a wait at `now`: computed on demand, so its cost is per row shown.
    public func state(waitingSince start: Timestamp, kind: SLAKind, priority: Priority, now: Timestamp) -> SLAState? {
        guard let allowed = targets[priority]?.milliseconds(for: kind) else { return nil }
        let used = measured(from: start, to: now, priority: priority)
        if used > allowed { return .breached(over: used - allowed) }
        if Double(used) >= Double(allowed) * warningFraction { return .warning(remaining: allowed - used) }
        return .ok(remaining: allowed - used)
    }

    /// Whether an answered wait met its target.
    public func met(from start: Timestamp, to end: Timestamp, kind: SLAKind, priority: Priority) -> Bool? {
        guard let allowed = targets[priority]?.milliseconds(for: kind) else { return nil }
        return measured(from: start, to: end, priority: priority) <= allowed
    }
}

extension SLAPolicy {
    /// Which clock runs for a waiting conversation: first response until the cycle's first
    /// reply, then reply time.
    public func kind(of conversation: Conversation) -> SLAKind {
        if let replied = conversation.lastReplyAt, replied >= conversation.cycleStartedAt { return .reply }
        return .firstResponse
    }

    /// When the conversation's current wait breaches, or nil when nothing waits or no target applies.
    public func dueAt(for conversation: Conversation) -> Timestamp? {
        guard let waiting = conversation.waitingSince, conversation.status != .resolved else { return nil }
        return dueAt(waitingSince: waiting, kind: kind(of: conversation), priority: conversation.priority)
    }

    /// The live state of one conversation at `now`: what the queue shows per row, computed for
    /// the rows on screen only.
    public func state(of conversation: Conversation, now: Timestamp) -> SLAState? {
        guard let waiting = conversation.waitingSince, conversation.status != .resolved else { return nil }
        return state(waitingSince: waiting, kind: kind(of: conversation), priority: conversation.priority, now: now)
    }
}
