import EarshotCore

/// Refusals a person sees, each saying what and what to do.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAResponder(login: String)
    case unknownConversation(ConversationID)
    case unknownResponder(login: String)
    case alreadyClaimed(conversation: ConversationID, by: String)
    case notYours(conversation: ConversationID, owner: String, action: String)
    case supervisorsOnly(action: String)
    case wrongState(String)
    case invalid(String)
    /// The conversation moved on since the draft began; sending needs the author's confirmation.
    case changedSinceDraft(conversation: ConversationID, changes: [String])

    public var description: String {
        switch self {
        case let .notAResponder(login):
            return "\(login) is not a responder; ask a supervisor to run `earshot responder add \(login) --name NAME --initials AB`"
        case let .unknownConversation(id):
            return "no conversation \(id); `earshot queue` lists them"
        case let .unknownResponder(login):
            return "no responder \(Self.quoted(login)); `earshot responder list` shows who there is"
        case let .alreadyClaimed(conversation, name):
            return "conversation \(conversation) is already claimed by \(name)"
        case let .notYours(conversation, owner, action):
            return "conversation \(conversation) belongs to \(owner); only they or a supervisor can \(action) it"
        case let .supervisorsOnly(action):
            return "\(action) is for supervisors"
        case let .wrongState(message), let .invalid(message):
            return message
        case let .changedSinceDraft(conversation, changes):
            return "conversation \(conversation) changed since your draft began (\(changes.joined(separator: "; "))); "
                + "read it again, then send with confirmation (`earshot reply \(conversation) --confirm ...`)"
        }
    }

    /// A value the person sent, echoed in a message: cut, so an error about a megabyte of
    /// text is not itself a megabyte.
    static func quoted(_ value: String) -> String { ReadClipping.clip(value, to: 64) }
}
