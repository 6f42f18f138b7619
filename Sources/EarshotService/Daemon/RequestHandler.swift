import EarshotCore
import EarshotStore
import Foundation

/// Turns one request from an identified client into a service call and its response.
/// Every check (who may do what) happens in the service, here in the daemon, never in the client.
struct RequestHandler {
    let service: InboxService
    let login: String
    /// Tells the deliverer to look at the outbox (a reply was queued or retried).
    var outboxChanged: @Sendable () -> Void = {}
    /// Who else is in a conversation, as the calling connection sees it (itself left out).
    var presence: @Sendable (ConversationID) -> [PresenceEntry] = { _ in [] }

    struct RequestError: Error {
        let code: String
        let message: String
    }

    func handle(method: String, params: [String: Any]) throws -> Any {
        do {
            return try dispatch(method: method, params: params)
        } catch let malformed as WireProtocol.Malformed {
            throw RequestError(code: "bad_request", message: "\(method): \(malformed)")
        } catch let error as DecodingError {
            throw RequestError(code: "bad_request", message: "\(method): \(Self.explain(error)) (docs/protocol.md)")
        }
    }

    private func dispatch(method: String, params values: [String: Any]) throws -> Any {
        let api = LocalInbox(service: service, login: login)
        let params = RequestParams(method: method, values: values)
        func conversation() throws -> ConversationID { ConversationID(try params.id("conversation", "a conversation id (a whole number above 0)")) }
        func replyID() throws -> ReplyID { ReplyID(try params.id("reply", "a reply id (a whole number above 0)")) }
        func time(_ key: String) throws -> Timestamp? {
            guard let text = try params.string(key, "an ISO 8601 time") else { return nil }
            guard let (time, _) = TimestampParsing.iso8601(text) else { throw params.wrongType(key, "an ISO 8601 time", text) }
            return time
        }
        func limit(default fallback: Int) throws -> Int {
            guard let number = try params.integer("limit", "a whole number from 1 to 10000") else { return fallback }
            return Int(clamping: number)
        }
        switch method {
        case "claim": return WireProtocol.object(try api.claim(conversation()))
        case "assign": return WireProtocol.object(try api.assign(conversation(), to: params.required("to", "a login")))
        case "release": return WireProtocol.object(try api.release(conversation()))
        case "resolve": return WireProtocol.object(try api.resolve(conversation()))
        case "reopen": return WireProtocol.object(try api.reopen(conversation()))
        case "snooze":
            guard let until = try time("until") else {
                throw RequestError(code: "bad_request", message: "snooze needs \"until\": an ISO 8601 time")
            }
            return WireProtocol.object(try api.snooze(conversation(), until: until))
        case "priority":
            let name = try params.required("priority", "low, normal, high or urgent")
            guard let priority = Priority(name: name) else { throw params.wrongType("priority", "low, normal, high or urgent", name) }
            return WireProtocol.object(try api.setPriority(conversation(), to: priority))
        case "class":
            let classes = TriageClass.allCases.map(\.rawValue).joined(separator: ", ")
            let name = try params.required("class", classes)
            guard let triageClass = TriageClass(rawValue: name) else { throw params.wrongType("class", classes, name) }
            return WireProtocol.object(try api.setTriageClass(conversation(), to: triageClass))
        case "label":
            return WireProtocol.object(try api.label(conversation(), params.required("label", "a label"), add: params.bool("add", default: true)))
        case "note": return WireProtocol.object(try api.addNote(conversation(), text: params.required("text", "the note's text")))
        case "draft.save":
            guard let text = try params.string("text", "a string (empty clears the draft)") else {
                throw RequestError(code: "bad_request", message: "draft.save needs \"text\": a string (empty clears the draft)")
            }
            return WireProtocol.object(try api.saveDraft(conversation(), text: text))
        case "draft.get":
            return try api.draft(of: conversation()).map { WireProtocol.object($0) } ?? NSNull()
        case "reply.send":
            let reply = try api.sendReply(
                conversation(), text: params.required("text", "the reply's text"), basedOn: time("based_on"),
                confirmed: params.bool("confirmed", default: false))
            outboxChanged()
            return WireProtocol.object(reply)
        case "reply.cancel": return WireProtocol.object(try api.cancelReply(replyID()))
        case "reply.retry":
            let reply = try api.retryReply(replyID())
            outboxChanged()
            return WireProtocol.object(reply)
        case "reply.get": return WireProtocol.object(try api.reply(replyID()))
        case "outbox": return WireProtocol.object(try api.outbox(all: params.bool("all", default: false)))
        case "supervisor": return WireProtocol.object(try api.supervisor())
        case "stats":
            let by = try params.string("by", "responder, channel, hour or day") ?? "responder"
            guard let grouping = StatsGrouping(rawValue: by) else { throw params.wrongType("by", "responder, channel, hour or day", by) }
            return WireProtocol.object(try api.stats(grouping: grouping, since: time("since"), until: time("until")))
        case "route":
            let policy = try params.string("policy", "round_robin or balanced").map { name in
                guard let policy = RoutingPolicy(rawValue: name) else { throw params.wrongType("policy", "round_robin or balanced", name) }
                return policy
            }
            return WireProtocol.object(try api.route(policy: policy))
        case "responder.login":
            return try api.login(of: ResponderID(params.id("responder", "a responder id (a whole number above 0)"))) ?? NSNull()
        case "queue":
            let rows = WireProtocol.object(try api.queue(try params.required("view", "a queue view name"), limit: limit(default: 50)))
            return ResponseBudget.rows(rows)
        case "queue.window":
            let request = try WireProtocol.value(QueueWindowRequest.self, from: params.given("request"))
            return ResponseBudget.rows(WireProtocol.object(try api.queueWindow(request)))
        case "thread":
            let id = try conversation()
            var thread = try api.thread(id)
            thread.presence = presence(id)
            return WireProtocol.object(thread)
        case "summary":
            return WireProtocol.object(try api.summary())
        case "events":
            let after = try params.integer("after", "an event id (a whole number, 0 or more) or null").map { number in
                guard number >= 0 else { throw params.wrongType("after", "an event id (a whole number, 0 or more) or null", NSNumber(value: number)) }
                return EventID(number)
            }
            return ResponseBudget.events(try api.events(after: after, limit: limit(default: 100)))
        case "responder.add":
            return WireProtocol.object(try api.addResponder(try WireProtocol.value(NewResponder.self, from: params.given("responder"))))
        case "responder.set":
            let changes = try WireProtocol.value(ResponderChanges.self, from: params.given("changes"))
            return WireProtocol.object(try api.updateResponder(params.required("login", "a login"), changes))
        case "responder.remove":
            return WireProtocol.object(try api.removeResponder(params.required("login", "a login")))
        case "responder.list":
            return WireProtocol.object(try api.responders(includingRemoved: params.bool("all", default: false)))
        case "activity":
            try service.reportActivity(of: login)
            return ["ok": true]
        case "whoami":
            return ["login": login]
        default:
            throw RequestError(code: "unknown_method", message: "no method \"\(ServiceError.quoted(method))\"; see docs/protocol.md")
        }
    }

    /// Which field of a nested param was wrong, and how.
    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return names.isEmpty ? "the params" : "\"" + names.joined(separator: ".") + "\""
        }
        switch error {
        case let .typeMismatch(type, context): return "\(path(context)) must be of type \(type)"
        case let .valueNotFound(type, context): return "\(path(context)) needs a value of type \(type)"
        case let .keyNotFound(key, _): return "\"\(key.stringValue)\" is missing"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "its params do not have the documented shape"
        }
    }

    /// Error codes clients can act on, with the service's own message.
    static func code(for error: ServiceError) -> String {
        switch error {
        case .notAResponder: "not_a_responder"
        case .unknownConversation: "not_found"
        case .unknownResponder: "unknown_responder"
        case .alreadyClaimed: "already_claimed"
        case .notYours: "not_yours"
        case .supervisorsOnly: "supervisors_only"
        case .wrongState: "wrong_state"
        case .invalid: "invalid"
        case .changedSinceDraft: "changed_since_draft"
        }
    }
}
