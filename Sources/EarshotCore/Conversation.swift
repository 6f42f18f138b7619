/// Where a conversation stands in the queue.
public enum ConversationStatus: String, CaseIterable, Sendable, Codable {
    /// Waiting for us.
    case open
    /// We answered or asked something; waiting for the customer.
    case pending
    /// Put aside until `snoozedUntil`, then back into the queue.
    case snoozed
    case resolved
}

/// Urgency; the raw value orders them (higher is more urgent) and is what the store indexes.
public enum Priority: Int, CaseIterable, Comparable, Sendable, Codable {
    case low = 0
    case normal = 1
    case high = 2
    case urgent = 3

    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }

    public var name: String {
        switch self {
        case .low: "low"
        case .normal: "normal"
        case .high: "high"
        case .urgent: "urgent"
        }
    }

    public init?(name: String) {
        guard let match = Priority.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    /// Encoded by name (`"high"`), as people write it; a number (its raw value) is read too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let priority = Priority(rawValue: number) {
            self = priority
            return
        }
        let name = try container.decode(String.self)
        guard let priority = Priority(name: name) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "priority \"\(name)\": low, normal, high or urgent"))
        }
        self = priority
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// What kind of conversation triage thinks this is; drives routing and views.
public enum TriageClass: String, CaseIterable, Sendable, Codable {
    case question
    case complaint
    case praise
    /// Retweets, link shares, "via @brand": nobody expects an answer.
    case broadcast
    /// Giveaways, crypto, account-recovery scams, link farms, copy-paste floods.
    case spam
    /// Nothing matched; a person should look.
    case other

    /// Classes that the router never assigns; they wait in their own views.
    public var isRoutable: Bool { self != .broadcast && self != .spam }
}

/// One thread with one customer on one channel.
public struct Conversation: Hashable, Sendable, Codable {
    public var id: ConversationID
    public var channelID: ChannelID
    public var customerID: CustomerID
    public var status: ConversationStatus
    /// Set while `status == .snoozed`: when it wakes back into the queue.
    public var snoozedUntil: Timestamp?
    public var priority: Priority
    public var triageClass: TriageClass
    /// Why triage chose the class, or who overrode it.
    public var triageReason: String
    /// Set when a person chose the class; triage then leaves it alone.
    public var triageLocked: Bool
    public var assigneeID: ResponderID?
    /// When the current assignee got it.
    public var assignedAt: Timestamp?
    /// When the assignee last worked on it (reply, note, draft); return-to-queue measures from this.
    public var touchedAt: Timestamp?
    /// Sorted, unique.
    public var labels: [String]
    /// 1 for the first exchange; a customer writing again after resolve starts the next cycle.
    public var cycle: Int
    public var cycleStartedAt: Timestamp
    public var createdAt: Timestamp
    public var updatedAt: Timestamp
    /// When the latest customer message arrived.
    public var lastCustomerMessageAt: Timestamp
    /// The oldest customer message not yet answered; nil when nothing waits for us.
    public var waitingSince: Timestamp?
    /// When our latest public reply was sent (or queued, until delivery confirms it).
    public var lastReplyAt: Timestamp?
    /// When the current SLA target is breached; nil when no clock runs.
    public var slaDueAt: Timestamp?
    /// The start of the latest customer message, for one-line queue rows.
    public var preview: String

    public init(
        id: ConversationID, channelID: ChannelID, customerID: CustomerID,
        status: ConversationStatus = .open, snoozedUntil: Timestamp? = nil,
        priority: Priority = .normal, triageClass: TriageClass = .other, triageReason: String = "",
        triageLocked: Bool = false, assigneeID: ResponderID? = nil, assignedAt: Timestamp? = nil,
        touchedAt: Timestamp? = nil, labels: [String] = [], cycle: Int = 1,
        cycleStartedAt: Timestamp, createdAt: Timestamp, updatedAt: Timestamp,
        lastCustomerMessageAt: Timestamp, waitingSince: Timestamp?, lastReplyAt: Timestamp? = nil,
        slaDueAt: Timestamp? = nil, preview: String = ""
    ) {
        self.id = id
        self.channelID = channelID
        self.customerID = customerID
        self.status = status
        self.snoozedUntil = snoozedUntil
        self.priority = priority
        self.triageClass = triageClass
        self.triageReason = triageReason
        self.triageLocked = triageLocked
        self.assigneeID = assigneeID
        self.assignedAt = assignedAt
        self.touchedAt = touchedAt
        self.labels = Array(Set(labels)).sorted()
        self.cycle = cycle
        self.cycleStartedAt = cycleStartedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastCustomerMessageAt = lastCustomerMessageAt
        self.waitingSince = waitingSince
        self.lastReplyAt = lastReplyAt
        self.slaDueAt = slaDueAt
        self.preview = preview
    }

    /// The drain order key: higher priority first, then the nearest SLA due time (none sorts
    /// last), as one integer the store indexes (`drain_key`); ids break ties (oldest first).
    public var drainKey: Int64 {
        let due = min(slaDueAt?.millisecondsSinceEpoch ?? Self.noDueTime, Self.noDueTime)
        return Int64(3 - priority.rawValue) * 100_000_000_000_000 + due
    }

    /// Stands for "no SLA clock" in `drainKey` (year 4822 in milliseconds).
    public static let noDueTime: Int64 = 90_000_000_000_000

    /// Normalises a label set (unique, sorted) so comparisons and storage are stable.
    public mutating func setLabels(_ newLabels: [String]) {
        labels = Array(Set(newLabels)).sorted()
    }
}

/// A conversation before it has a row id.
public struct NewConversation: Hashable, Sendable {
    public var channelID: ChannelID
    public var customerID: CustomerID
    public var status: ConversationStatus
    public var priority: Priority
    public var triageClass: TriageClass
    public var triageReason: String
    public var startedAt: Timestamp
    public var slaDueAt: Timestamp?
    public var preview: String
    /// False for broadcasts and history imports whose customer message was already answered.
    public var waitingForUs: Bool

    public init(
        channelID: ChannelID, customerID: CustomerID, status: ConversationStatus = .open,
        priority: Priority = .normal, triageClass: TriageClass = .other, triageReason: String = "",
        startedAt: Timestamp, slaDueAt: Timestamp? = nil, preview: String = "", waitingForUs: Bool = true
    ) {
        self.channelID = channelID
        self.customerID = customerID
        self.status = status
        self.priority = priority
        self.triageClass = triageClass
        self.triageReason = triageReason
        self.startedAt = startedAt
        self.slaDueAt = slaDueAt
        self.preview = preview
        self.waitingForUs = waitingForUs
    }
}
