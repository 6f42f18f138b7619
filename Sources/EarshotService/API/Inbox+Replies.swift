import EarshotCore

// Drafts, replies and the outbox.

extension Inbox {
    /// Keeps the caller's draft of a conversation; empty text clears it.
    public struct SaveDraft: InboxRequest {
        public static let method = "draft.save"
        public var conversation: ConversationID
        public var text: String
        public init(_ conversation: ConversationID, text: String) { (self.conversation, self.text) = (conversation, text) }
        public func handle(in context: RequestContext) throws -> Reply { try context.service.saveDraft(conversation, text: text, by: context.login) }
    }

    /// The caller's draft of a conversation, or null.
    public struct GetDraft: InboxRequest {
        public static let method = "draft.get"
        public var conversation: ConversationID
        public init(_ conversation: ConversationID) { self.conversation = conversation }
        public func handle(in context: RequestContext) throws -> Reply? { try context.service.draft(of: conversation, by: context.login) }
    }

    /// Queues a reply (signature added). `basedOn` is when the author's draft began: if the
    /// conversation changed since, the send is refused with `changed_since_draft` until
    /// `confirmed` is true (see `InboxService.sendReply`).
    public struct SendReply: InboxRequest {
        public static let method = "reply.send"
        public var conversation: ConversationID
        public var text: String
        public var basedOn: Timestamp?
        public var confirmed: Bool
        public init(_ conversation: ConversationID, text: String, basedOn: Timestamp? = nil, confirmed: Bool = false) {
            (self.conversation, self.text, self.basedOn, self.confirmed) = (conversation, text, basedOn, confirmed)
        }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            conversation = try container.decode(ConversationID.self, forKey: .conversation)
            text = try container.decode(String.self, forKey: .text)
            basedOn = try container.decodeIfPresent(Timestamp.self, forKey: .basedOn)
            confirmed = try container.decodeIfPresent(Bool.self, forKey: .confirmed) ?? false
        }
        public func handle(in context: RequestContext) throws -> Reply {
            let reply = try context.service.sendReply(conversation, text: text, basedOn: basedOn, confirmed: confirmed, by: context.login)
            context.outboxChanged()
            return reply
        }
    }

    /// Takes a queued reply back into the draft, during the undo window.
    public struct CancelReply: InboxRequest {
        public static let method = "reply.cancel"
        public var reply: ReplyID
        public init(_ reply: ReplyID) { self.reply = reply }
        public func handle(in context: RequestContext) throws -> Reply { try context.service.cancelReply(reply, by: context.login) }
    }

    /// Sends a failed reply again.
    public struct RetryReply: InboxRequest {
        public static let method = "reply.retry"
        public var reply: ReplyID
        public init(_ reply: ReplyID) { self.reply = reply }
        public func handle(in context: RequestContext) throws -> Reply {
            let retried = try context.service.retryReply(reply, by: context.login)
            context.outboxChanged()
            return retried
        }
    }

    public struct GetReply: InboxRequest {
        public static let method = "reply.get"
        public var reply: ReplyID
        public init(_ reply: ReplyID) { self.reply = reply }
        public func handle(in context: RequestContext) throws -> Reply { try context.service.reply(reply, by: context.login) }
    }

    /// Queued and failed replies: one's own, or (supervisors, `all`) everyone's.
    public struct Outbox: InboxRequest {
        public static let method = "outbox"
        public var all: Bool
        public init(all: Bool = false) { self.all = all }
        public init(from decoder: any Decoder) throws {
            all = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Bool.self, forKey: .all) ?? false
        }
        public func handle(in context: RequestContext) throws -> [Reply] { try context.service.outbox(all: all, by: context.login) }
    }
}
