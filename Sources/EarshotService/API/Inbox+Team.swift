import EarshotCore

// The team: responders, routing, presence and activity.

extension Inbox {
    /// Adds a responder (supervisors, or the database's owner in single-user mode).
    public struct AddResponder: InboxRequest {
        public static let method = "responder.add"
        public var responder: NewResponder
        public init(_ responder: NewResponder) { self.responder = responder }
        public func handle(in context: RequestContext) throws -> Responder { try context.service.addResponder(responder, by: context.login) }
    }

    /// Changes a responder: name, initials, role, capacity, channels, availability.
    public struct UpdateResponder: InboxRequest {
        public static let method = "responder.set"
        public var login: String
        public var changes: ResponderChanges
        public init(_ login: String, _ changes: ResponderChanges) { (self.login, self.changes) = (login, changes) }
        public func handle(in context: RequestContext) throws -> Responder {
            try context.service.updateResponder(login, changes, by: context.login)
        }
    }

    /// Removes a responder; answers with the conversations they carried, now back in the queue.
    public struct RemoveResponder: InboxRequest {
        public static let method = "responder.remove"
        public var login: String
        public init(_ login: String) { self.login = login }
        public func handle(in context: RequestContext) throws -> [ConversationID] { try context.service.removeResponder(login, by: context.login) }
    }

    /// Everyone with their current load (the removed too, with `all`).
    public struct ListResponders: InboxRequest {
        public static let method = "responder.list"
        public var all: Bool
        public init(all: Bool = false) { self.all = all }
        public init(from decoder: any Decoder) throws {
            all = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .all) ?? false
        }
        public func handle(in context: RequestContext) throws -> [ResponderLoad] {
            try context.service.responders(includingRemoved: all).map { ResponderLoad(responder: $0.0, load: $0.load) }
        }
    }

    /// Assigns waiting conversations to available responders now (`policy` overrides the configured one).
    public struct Route: InboxRequest {
        public static let method = "route"
        public var policy: RoutingPolicy?
        public init(policy: RoutingPolicy? = nil) { self.policy = policy }
        public func handle(in context: RequestContext) throws -> [RoutingAssignment] { try context.service.route(policy: policy) }
    }

    /// The person did something (idle-away counts from the last report).
    public struct ReportActivity: InboxRequest {
        public static let method = "activity"
        public init() {}
        public func handle(in context: RequestContext) throws -> Done {
            try context.service.reportActivity(of: context.login)
            return Done()
        }
    }

    /// Where this client is: viewing or composing in a conversation, or nowhere (`none`, the
    /// conversation left out). Everyone else connected is told (a pushed `presence`).
    public struct SetPresence: InboxRequest {
        public static let method = "presence.set"
        public var conversation: ConversationID?
        public var state: PresenceState
        public init(_ conversation: ConversationID?, _ state: PresenceState) {
            (self.conversation, self.state) = (conversation, conversation == nil ? .none : state)
        }
        public func handle(in context: RequestContext) throws -> Done {
            guard state == .none || conversation != nil else {
                throw InboxError(.badRequest, "presence.set needs \"conversation\" unless \"state\" is none", details: .init(param: "conversation"))
            }
            context.place(state == .none ? nil : conversation, state)
            return Done()
        }
    }

    /// Everyone in a conversation now, composers first.
    public struct GetPresence: InboxRequest {
        public static let method = "presence.get"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> [PresenceEntry] { context.everyonePresent(conversation) }
    }
}

/// A responder with the conversations they carry now.
public struct ResponderLoad: Codable, Sendable, Equatable {
    public var responder: Responder
    public var load: Int
}

/// Where someone is in a conversation.
public enum PresenceState: String, Codable, Sendable, CaseIterable {
    case viewing, composing
    /// Nowhere (in `presence.set` only).
    case none
}
