/// How new and freed work is handed out (docs/assignment.md).
public enum RoutingPolicy: String, CaseIterable, Sendable, Codable {
    /// The least recently assigned available responder with spare capacity.
    case roundRobin = "round_robin"
    /// The available responder with the fewest open conversations; ties go to the least recently assigned.
    case balanced
    /// No automatic routing; `earshot route` runs a pass on request.
    case manual
}

/// What happens to a responder's conversations when they go offline.
public enum OfflinePolicy: String, CaseIterable, Sendable, Codable {
    case keep
    case release
}

/// The `[assignment]` section of the configuration, with its defaults.
public struct AssignmentPolicy: Equatable, Sendable {
    public var routing: RoutingPolicy = .balanced
    /// A customer's new conversation goes to whoever last handled that customer, if they can take it.
    public var sticky = true
    public var onOffline: OfflinePolicy = .keep
    /// Minutes without client activity before an available responder becomes away; 0 = never.
    public var idleAwayMinutes = 15
    /// Minutes an assigned conversation may sit untouched (no reply, note or draft) before it
    /// returns to the queue; 0 = never.
    public var returnToQueueMinutes = 0
    /// Lets agents assign and reassign others' conversations (normally supervisors only).
    public var anyoneCanAssign = false

    public init() {}
}
