/// A responder as routing sees them: who, whether they take work, how much they carry.
public struct RoutingCandidate: Equatable, Sendable {
    public var id: ResponderID
    public var availability: Availability
    public var capacity: Int
    /// Open conversations assigned now (status open or pending).
    public var load: Int
    public var lastAssignedAt: Timestamp?
    /// Order of assignment within one routing pass, where every assignment has the same time.
    public var passSequence = 0

    public init(id: ResponderID, availability: Availability, capacity: Int, load: Int, lastAssignedAt: Timestamp?) {
        self.id = id
        self.availability = availability
        self.capacity = capacity
        self.load = load
        self.lastAssignedAt = lastAssignedAt
    }

    /// Available and under capacity: the only responders routing may choose.
    public var canTakeWork: Bool { availability == .available && load < capacity }
}

/// Chooses who gets a conversation. Pure: the caller supplies the candidates and applies
/// the choice, so every policy is tested without a store or a clock.
public enum Router {
    /// The responder for one conversation, or nil when nobody can take it (or the policy is manual).
    /// - Parameter stickyTo: the responder who last handled this customer, when sticky routing is on.
    public static func choose(
        among candidates: [RoutingCandidate], policy: RoutingPolicy, stickyTo: ResponderID? = nil
    ) -> ResponderID? {
        if policy == .manual { return nil }
        if let sticky = stickyTo, let previous = candidates.first(where: { $0.id == sticky }), previous.canTakeWork {
            return previous.id
        }
        let eligible = candidates.filter(\.canTakeWork)
        switch policy {
        case .manual:
            return nil
        case .roundRobin:
            return eligible.min(by: leastRecentlyAssignedFirst)?.id
        case .balanced:
            return eligible.min { lhs, rhs in
                lhs.load != rhs.load ? lhs.load < rhs.load : leastRecentlyAssignedFirst(lhs, rhs)
            }?.id
        }
    }

    /// Never-assigned first, then the oldest assignment (and within one pass, the earliest);
    /// ids break remaining ties so results are repeatable.
    static func leastRecentlyAssignedFirst(_ lhs: RoutingCandidate, _ rhs: RoutingCandidate) -> Bool {
        switch (lhs.lastAssignedAt, rhs.lastAssignedAt) {
        case (nil, nil): return lhs.id < rhs.id
        case (nil, _): return true
        case (_, nil): return false
        case let (left?, right?):
            if left != right { return left < right }
            if lhs.passSequence != rhs.passSequence { return lhs.passSequence < rhs.passSequence }
            return lhs.id < rhs.id
        }
    }
}
