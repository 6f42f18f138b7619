import EarshotCore
import EarshotStore

/// Changes to a responder, all optional; nil leaves the field as it is.
public struct ResponderChanges: Equatable, Sendable, Codable {
    public var displayName: String?
    public var initials: String?
    public var role: ResponderRole?
    public var capacity: Int?
    public var availability: Availability?

    public init(
        displayName: String? = nil, initials: String? = nil, role: ResponderRole? = nil, capacity: Int? = nil,
        availability: Availability? = nil
    ) {
        self.displayName = displayName
        self.initials = initials
        self.role = role
        self.capacity = capacity
        self.availability = availability
    }
}

/// Managing responders and their availability.
extension InboxService {
    /// Adds a responder. Supervisors only, except on a database with no supervisor yet, where
    /// whoever owns it may add the first ones (bootstrap).
    @discardableResult
    public func addResponder(_ new: NewResponder, by login: String) throws -> Responder {
        var new = new
        new.displayName = try FieldLimits.clean(new.displayName, "the name", limit: FieldLimits.displayName, oneLine: true)
        try validate(login: new.login, initials: new.initials, capacity: new.capacity)
        let added = try store.write { writer in
            let actor = try requireSupervisorUnlessBootstrap(login, action: "adding responders", in: writer)
            return try writer.insertResponder(
                new, because: EventDraft(.responderAdded, by: actor, at: clock.now(), detail: ["role": new.role.rawValue]))
        }
        // A new available responder is new capacity.
        try drainIfAutomatic()
        return added
    }

    /// Changes a responder. Anyone may change their own availability; everything else, and
    /// anyone else, is for supervisors.
    @discardableResult
    public func updateResponder(_ target: String, _ changes: ResponderChanges, by login: String) throws -> Responder {
        var changes = changes
        changes.displayName = try changes.displayName.map {
            try FieldLimits.clean($0, "the name", limit: FieldLimits.displayName, oneLine: true)
        }
        if let capacity = changes.capacity, capacity < 0 { throw ServiceError.invalid("capacity must be 0 or more, got \(capacity)") }
        if let initials = changes.initials { try validate(login: target, initials: initials, capacity: 0) }
        let onlyOwnAvailability = target == login && changes == ResponderChanges(availability: changes.availability)
        let updated = try store.write { writer -> Responder in
            let actor: Actor = onlyOwnAvailability
                ? .responder(login: try responder(login, in: writer).login)
                : try requireSupervisorUnlessBootstrap(login, action: "changing responders", in: writer)
            guard var responder = try writer.responder(login: target), responder.removedAt == nil else {
                throw ServiceError.unknownResponder(login: target)
            }
            let before = responder
            responder.displayName = changes.displayName ?? responder.displayName
            responder.initials = changes.initials ?? responder.initials
            responder.role = changes.role ?? responder.role
            responder.capacity = changes.capacity ?? responder.capacity
            responder.availability = changes.availability ?? responder.availability
            guard responder != before else { return responder }
            let kind: EventKind = responder.availability != before.availability && changes == ResponderChanges(availability: changes.availability)
                ? .availabilityChanged : .responderChanged
            try writer.updateResponder(responder, because: EventDraft(
                kind, by: actor, at: clock.now(),
                detail: ["availability": responder.availability.rawValue, "capacity": String(responder.capacity)]))
            if responder.availability == .offline && before.availability != .offline && policy.onOffline == .release {
                try releaseAll(of: responder, because: "offline", in: writer)
            }
            return responder
        }
        try drainIfAutomatic()
        return updated
    }

    /// Shorthand for the most common change.
    @discardableResult
    public func setAvailability(_ availability: Availability, of target: String, by login: String) throws -> Responder {
        try updateResponder(target, ResponderChanges(availability: availability), by: login)
    }

    /// Removes a responder: they get no more work and their open conversations return to the
    /// queue. Their history stays attributed to them.
    @discardableResult
    public func removeResponder(_ target: String, by login: String) throws -> [ConversationID] {
        let released = try store.write { writer -> [ConversationID] in
            let actor = try requireSupervisorUnlessBootstrap(login, action: "removing responders", in: writer)
            guard var responder = try writer.responder(login: target), responder.removedAt == nil else {
                throw ServiceError.unknownResponder(login: target)
            }
            let released = try releaseAll(of: responder, because: "responder removed", in: writer)
            responder.removedAt = clock.now()
            responder.availability = .offline
            try writer.updateResponder(responder, because: EventDraft(.responderRemoved, by: actor, at: clock.now()))
            return released
        }
        try drainIfAutomatic()
        return released
    }

    /// The client saw the person do something; idle time counts from here.
    public func reportActivity(of login: String) throws {
        try store.write { writer in
            let responder = try responder(login, in: writer)
            try writer.noteActivity(of: responder.id, at: clock.now())
        }
    }

    /// Everyone (optionally the removed too), with their current load.
    public func responders(includingRemoved: Bool = false) throws -> [(Responder, load: Int)] {
        try store.read { reader in
            let loads = try reader.openLoads()
            return try reader.responders(includingRemoved: includingRemoved).map { (ReadClipping.responder($0), loads[$0.id] ?? 0) }
        }
    }

    @discardableResult
    func releaseAll(of responder: Responder, because reason: String, in writer: any InboxWriter) throws -> [ConversationID] {
        var released: [ConversationID] = []
        for var conversation in try writer.assignedConversations(to: responder.id) {
            conversation.unassign(at: clock.now())
            try writer.updateConversation(conversation, because: EventDraft(
                .released, by: .system, at: clock.now(), detail: ["from": responder.login, "reason": reason]))
            released.append(conversation.id)
        }
        return released
    }

    func requireSupervisorUnlessBootstrap(_ login: String, action: String, in reader: any InboxReader) throws -> Actor {
        if administrators.contains(login) { return .responder(login: login) }
        let everyone = try reader.responders(includingRemoved: false)
        guard everyone.contains(where: { $0.role == .supervisor }) else { return .responder(login: login) }
        let actor = try responder(login, in: reader)
        guard actor.role == .supervisor else { throw ServiceError.supervisorsOnly(action: action) }
        return .responder(login: actor.login)
    }

    func validate(login: String, initials: String, capacity: Int) throws {
        guard !login.isEmpty, login.count <= 32, login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }),
              login.first.map({ $0.isLetter || $0 == "_" }) == true
        else {
            throw ServiceError.invalid("\"\(ServiceError.quoted(login))\" is not a Unix login name (at most 32 letters, digits, . _ -, starting with a letter)")
        }
        guard (1...4).contains(initials.count), initials.allSatisfy({ $0.isLetter }) else {
            throw ServiceError.invalid("initials \"\(ServiceError.quoted(initials))\" must be 1 to 4 letters (they sign replies as ^AB)")
        }
        guard capacity >= 0 else { throw ServiceError.invalid("capacity must be 0 or more, got \(capacity)") }
    }
}
