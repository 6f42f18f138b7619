public enum ResponderRole: String, CaseIterable, Sendable, Codable {
    case agent
    case supervisor
}

/// Whether a responder takes new work. Away and offline responders get none.
public enum Availability: String, CaseIterable, Sendable, Codable {
    case available
    case away
    case offline
}

/// A human who answers conversations; always a Unix login on the shared box.
public struct Responder: Hashable, Sendable, Codable {
    public var id: ResponderID
    /// The Unix login name; the daemon maps a socket peer's uid to this.
    public var login: String
    public var displayName: String
    /// Signature initials, sent as ` ^AB` after a reply.
    public var initials: String
    public var role: ResponderRole
    public var availability: Availability
    /// How many open conversations routing may give this responder.
    public var capacity: Int
    public var lastAssignedAt: Timestamp?
    public var lastActiveAt: Timestamp?
    /// Set when the responder was removed; kept so history stays attributable.
    public var removedAt: Timestamp?

    public init(
        id: ResponderID, login: String, displayName: String, initials: String,
        role: ResponderRole = .agent, availability: Availability = .offline, capacity: Int = 5,
        lastAssignedAt: Timestamp? = nil, lastActiveAt: Timestamp? = nil, removedAt: Timestamp? = nil
    ) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.initials = initials
        self.role = role
        self.availability = availability
        self.capacity = capacity
        self.lastAssignedAt = lastAssignedAt
        self.lastActiveAt = lastActiveAt
        self.removedAt = removedAt
    }

    /// The signature appended to a sent reply: a space, a caret and the initials.
    public var signature: String { " ^\(initials)" }
}

/// A responder before it has a row id.
public struct NewResponder: Hashable, Sendable, Codable {
    public var login: String
    public var displayName: String
    public var initials: String
    public var role: ResponderRole
    public var availability: Availability
    public var capacity: Int

    public init(
        login: String, displayName: String, initials: String, role: ResponderRole = .agent,
        availability: Availability = .offline, capacity: Int = 5
    ) {
        self.login = login
        self.displayName = displayName
        self.initials = initials
        self.role = role
        self.availability = availability
        self.capacity = capacity
    }
}
