import EarshotCore
import Foundation

/// Every refusal a client sees, in-process or from the daemon: a code a program can act on, a
/// message written for the person, and the facts behind it in `details`. The wire carries it
/// as `{"code": ..., "message": ..., "details": {...}}` (docs/protocol.md, Errors).
public struct InboxError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Codable, Sendable, CaseIterable {
        // The service refused (the same refusals in-process).
        case notAResponder = "not_a_responder"
        case notFound = "not_found"
        case unknownResponder = "unknown_responder"
        case alreadyClaimed = "already_claimed"
        case notYours = "not_yours"
        case supervisorsOnly = "supervisors_only"
        case wrongState = "wrong_state"
        case invalid
        /// Sending needs the author's confirmation: the conversation moved on since the draft began.
        case changedSinceDraft = "changed_since_draft"
        // The request or the connection was wrong.
        case badRequest = "bad_request"
        case unknownMethod = "unknown_method"
        case malformed
        case tooLarge = "too_large"
        case helloExpected = "hello_expected"
        case helloTimeout = "hello_timeout"
        case version
        case unknownUser = "unknown_user"
        case full
        case tooManyConnections = "too_many_connections"
        case `internal`
        // Seen by the client only: the daemon went away, or sent what cannot be read.
        case closed
        case unreadable
        case `protocol`
    }

    /// The facts behind a refusal, each set where it applies.
    public struct Details: Codable, Sendable, Equatable {
        public var conversation: ConversationID?
        /// `changed_since_draft`: what changed, for the person to judge.
        public var changes: [String]?
        /// `already_claimed`, `not_yours`: who has the conversation.
        public var owner: String?
        /// `not_a_responder`, `unknown_responder`: the login asked about.
        public var login: String?
        /// `bad_request`: the parameter at fault, as a path (`until`, `filter.priority`).
        public var param: String?
        /// `version`: the protocol each side speaks.
        public var daemonProtocol: Int?
        public var clientProtocol: Int?

        public init(
            conversation: ConversationID? = nil, changes: [String]? = nil, owner: String? = nil, login: String? = nil,
            param: String? = nil, daemonProtocol: Int? = nil, clientProtocol: Int? = nil
        ) {
            self.conversation = conversation
            self.changes = changes
            self.owner = owner
            self.login = login
            self.param = param
            self.daemonProtocol = daemonProtocol
            self.clientProtocol = clientProtocol
        }

        var isEmpty: Bool { self == Details() }
    }

    public var code: Code
    public var message: String
    public var details: Details

    public init(_ code: Code, _ message: String, details: Details = Details()) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String { message }

    private enum CodingKeys: String, CodingKey { case code, message, details }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .code)
        // A code this client does not know (a newer daemon's) still reaches the person.
        code = Code(rawValue: name) ?? .internal
        message = try container.decode(String.self, forKey: .message)
        details = try container.decodeIfPresent(Details.self, forKey: .details) ?? Details()
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        if !details.isEmpty { try container.encode(details, forKey: .details) }
    }

    /// Whether the daemon is gone (the client reconnects) rather than refusing.
    public var isDisconnection: Bool { code == .closed || code == .protocol }
}

extension InboxError {
    /// The service's refusal, with its facts as details.
    public init(_ error: ServiceError) {
        switch error {
        case let .notAResponder(login): self.init(.notAResponder, error.description, details: .init(login: login))
        case let .unknownConversation(id): self.init(.notFound, error.description, details: .init(conversation: id))
        case let .unknownResponder(login): self.init(.unknownResponder, error.description, details: .init(login: login))
        case let .alreadyClaimed(id, owner): self.init(.alreadyClaimed, error.description, details: .init(conversation: id, owner: owner))
        case let .notYours(id, owner, _): self.init(.notYours, error.description, details: .init(conversation: id, owner: owner))
        case .supervisorsOnly: self.init(.supervisorsOnly, error.description)
        case .wrongState: self.init(.wrongState, error.description)
        case .invalid: self.init(.invalid, error.description)
        case let .changedSinceDraft(id, changes):
            self.init(.changedSinceDraft, error.description, details: .init(conversation: id, changes: changes))
        }
    }

    /// Any error from handling a request: the service's refusals keep their codes; anything
    /// else is the daemon's own fault.
    public init(handling error: any Error) {
        switch error {
        case let error as InboxError: self = error
        case let error as ServiceError: self.init(error)
        default: self.init(.internal, "\(error)")
        }
    }

    /// A request whose params do not decode: which param, and what it must be.
    /// `sent` is the request as JSON, to quote the value at fault.
    static func badParams(_ method: String, _ error: DecodingError, sent: Any? = nil) -> InboxError {
        func path(_ codingPath: [any CodingKey]) -> String? {
            let names = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.filter { $0 != "params" }
            return names.isEmpty ? nil : names.joined(separator: ".")
        }
        let (param, problem): (String?, String)
        switch error {
        case let .typeMismatch(type, context):
            let value = Self.value(at: context.codingPath, in: sent).map { ", not \(Self.describe($0))" } ?? ""
            (param, problem) = (path(context.codingPath), "must be \(Self.meaning(of: type))" + value)
        case let .valueNotFound(type, context): (param, problem) = (path(context.codingPath), "needs \(Self.meaning(of: type))")
        case let .keyNotFound(key, context): (param, problem) = (path(context.codingPath + [key]), "is missing")
        case let .dataCorrupted(context): (param, problem) = (path(context.codingPath), Self.plain(context.debugDescription))
        @unknown default: (param, problem) = (nil, "does not have the documented shape")
        }
        let subject = param.map { "\"\($0)\"" } ?? "\"params\""
        return InboxError(.badRequest, "\(method): \(subject) \(problem) (docs/protocol.md)", details: .init(param: param))
    }

    /// A Swift type as the JSON a person should send.
    static func meaning(of type: Any.Type) -> String {
        if let id = type as? any IdentifierType.Type { return "a \(id.entityName) id (a whole number)" }
        return switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is [String: Any].Type, is Dictionary<String, Any>.Type: "an object"
        case is [Any].Type: "an array"
        default: "a value of type \(type)"
        }
    }

    /// The JSON value a coding path leads to in what was sent, if it is there.
    static func value(at codingPath: [any CodingKey], in sent: Any?) -> Any? {
        var current = sent
        for key in codingPath {
            if let index = key.intValue, let array = current as? [Any] {
                current = array.indices.contains(index) ? array[index] : nil
            } else {
                current = (current as? [String: Any])?[key.stringValue]
            }
        }
        return current
    }

    /// A JSON value as a person reads it: `true`, `the number 1`, `the string "5"`, `an array`.
    static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let text as String: return "the string \"\(ServiceError.quoted(String(text.prefix(40))))\""
        // JSON's true and false come back as NSNumbers of type "c" (a C char), the only ones.
        case let number as NSNumber where String(cString: number.objCType) == "c": return number.boolValue ? "true" : "false"
        case let number as NSNumber: return "the number \(number)"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(value)"
        }
    }

    /// The decoder's own words, without its Swift-speak.
    private static func plain(_ text: String) -> String {
        if text.hasPrefix("Cannot initialize "), let range = text.range(of: " from invalid ") {
            let type = text.dropFirst("Cannot initialize ".count).prefix(upTo: range.lowerBound)
            return "is not a \(type.lowercased()) name: " + text[range.upperBound...].replacingOccurrences(of: " value ", with: " ")
        }
        return text
    }
}
