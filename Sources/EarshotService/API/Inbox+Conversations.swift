import EarshotCore

// Changes to one conversation; each answers with the conversation as it is now.

extension Inbox {
    /// Takes an unassigned conversation.
    public struct Claim: InboxRequest {
        public static let method = "claim"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Conversation { try context.service.claim(conversation, by: context.login) }
    }

    /// Gives a conversation to someone (supervisors; anyone for an unassigned one).
    public struct Assign: InboxRequest {
        public static let method = "assign"
        public var conversation: ConversationID
        public var to: String
        public init(_ conversation: ConversationID, to login: String) { (self.conversation, to) = (conversation, login) }
        public func handle(in context: RequestContext) throws -> Conversation {
            try context.service.assign(conversation, to: to, by: context.login)
        }
    }

    /// Gives a conversation back to the queue.
    public struct Release: InboxRequest {
        public static let method = "release"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Conversation { try context.service.release(conversation, by: context.login) }
    }

    public struct Resolve: InboxRequest {
        public static let method = "resolve"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Conversation { try context.service.resolve(conversation, by: context.login) }
    }

    /// Opens a resolved conversation again, as a new cycle.
    public struct Reopen: InboxRequest {
        public static let method = "reopen"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Conversation { try context.service.reopen(conversation, by: context.login) }
    }

    /// Hides a conversation until a time (milliseconds since the epoch, or ISO 8601).
    public struct Snooze: InboxRequest {
        public static let method = "snooze"
        public var conversation: ConversationID
        public var until: Timestamp
        public init(_ conversation: ConversationID, until: Timestamp) { (self.conversation, self.until) = (conversation, until) }
        public func handle(in context: RequestContext) throws -> Conversation {
            try context.service.snooze(conversation, until: until, by: context.login)
        }
    }

    public struct SetPriority: InboxRequest {
        public static let method = "priority"
        public var conversation: ConversationID
        public var priority: Priority
        public init(_ conversation: ConversationID, to priority: Priority) { (self.conversation, self.priority) = (conversation, priority) }
        public func handle(in context: RequestContext) throws -> Conversation {
            try context.service.setPriority(conversation, to: priority, by: context.login)
        }
    }

    /// Corrects the classifier; the class is kept when the customer writes again.
    public struct SetClass: InboxRequest {
        public static let method = "class"
        public var conversation: ConversationID
        public var `class`: TriageClass
        public init(_ conversation: ConversationID, to triageClass: TriageClass) { (self.conversation, `class`) = (conversation, triageClass) }
        public func handle(in context: RequestContext) throws -> Conversation {
            try context.service.setTriageClass(conversation, to: `class`, by: context.login)
        }
    }

    /// Adds a label (`add` true, the default) or takes it off.
    public struct Label: InboxRequest {
        public static let method = "label"
        public var conversation: ConversationID
        public var label: String
        public var add: Bool
        public init(_ conversation: ConversationID, _ label: String, add: Bool) { (self.conversation, self.label, self.add) = (conversation, label, add) }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            conversation = try container.decode(ConversationID.self, forKey: .conversation)
            label = try container.decode(String.self, forKey: .label)
            add = try container.decodeIfPresent(Bool.self, forKey: .add) ?? true
        }
        public func handle(in context: RequestContext) throws -> Conversation {
            try context.service.label(conversation, label, add: add, by: context.login)
        }
    }

    /// A note for teammates; never sent to the customer.
    public struct AddNote: InboxRequest {
        public static let method = "note"
        public var conversation: ConversationID
        public var text: String
        public init(_ conversation: ConversationID, text: String) { (self.conversation, self.text) = (conversation, text) }
        public func handle(in context: RequestContext) throws -> Note { try context.service.addNote(conversation, text: text, by: context.login) }
    }
}
