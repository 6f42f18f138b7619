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
        } catch is DecodingError {
            throw RequestError(code: "bad_request", message: "\(method): its params do not have the documented shape (docs/protocol.md)")
        }
    }

    private func dispatch(method: String, params: [String: Any]) throws -> Any {
        let api = LocalInbox(service: service, login: login)
        func conversation() throws -> ConversationID {
            guard let number = (params["conversation"] as? NSNumber)?.int64Value, number > 0 else {
                throw RequestError(code: "bad_request", message: "\(method) needs \"conversation\": a conversation id")
            }
            return ConversationID(number)
        }
        func replyID() throws -> ReplyID {
            guard let number = (params["reply"] as? NSNumber)?.int64Value, number > 0 else {
                throw RequestError(code: "bad_request", message: "\(method) needs \"reply\": a reply id")
            }
            return ReplyID(number)
        }
        func string(_ key: String) throws -> String {
            guard let value = params[key] as? String, !value.isEmpty else {
                throw RequestError(code: "bad_request", message: "\(method) needs \"\(key)\": a string")
            }
            return value
        }
        switch method {
        case "claim": return WireProtocol.object(try api.claim(conversation()))
        case "assign": return WireProtocol.object(try api.assign(conversation(), to: string("to")))
        case "release": return WireProtocol.object(try api.release(conversation()))
        case "resolve": return WireProtocol.object(try api.resolve(conversation()))
        case "reopen": return WireProtocol.object(try api.reopen(conversation()))
        case "snooze":
            guard let (until, _) = TimestampParsing.iso8601(try string("until")) else {
                throw RequestError(code: "bad_request", message: "snooze needs \"until\": an ISO 8601 time")
            }
            return WireProtocol.object(try api.snooze(conversation(), until: until))
        case "priority":
            guard let priority = Priority(name: try string("priority")) else {
                throw RequestError(code: "bad_request", message: "priority must be low, normal, high or urgent")
            }
            return WireProtocol.object(try api.setPriority(conversation(), to: priority))
        case "class":
            guard let triageClass = TriageClass(rawValue: try string("class")) else {
                throw RequestError(code: "bad_request", message: "class must be one of \(TriageClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return WireProtocol.object(try api.setTriageClass(conversation(), to: triageClass))
        case "label":
            return WireProtocol.object(try api.label(conversation(), string("label"), add: (params["add"] as? Bool) ?? true))
        case "note": return WireProtocol.object(try api.addNote(conversation(), text: string("text")))
        case "draft.save":
            guard let text = params["text"] as? String else {
                throw RequestError(code: "bad_request", message: "draft.save needs \"text\": a string (empty clears the draft)")
            }
            return WireProtocol.object(try api.saveDraft(conversation(), text: text))
        case "draft.get":
            return try api.draft(of: conversation()).map { WireProtocol.object($0) } ?? NSNull()
        case "reply.send":
            let basedOn = try (params["based_on"] as? String).map { text in
                guard let (time, _) = TimestampParsing.iso8601(text) else {
                    throw RequestError(code: "bad_request", message: "reply.send: \"based_on\" must be an ISO 8601 time")
                }
                return time
            }
            let reply = try api.sendReply(conversation(), text: string("text"), basedOn: basedOn, confirmed: (params["confirmed"] as? Bool) ?? false)
            outboxChanged()
            return WireProtocol.object(reply)
        case "reply.cancel": return WireProtocol.object(try api.cancelReply(replyID()))
        case "reply.retry":
            let reply = try api.retryReply(replyID())
            outboxChanged()
            return WireProtocol.object(reply)
        case "reply.get": return WireProtocol.object(try api.reply(replyID()))
        case "outbox": return WireProtocol.object(try api.outbox(all: (params["all"] as? Bool) ?? false))
        case "supervisor": return WireProtocol.object(try api.supervisor())
        case "stats":
            guard let grouping = StatsGrouping(rawValue: (params["by"] as? String) ?? "responder") else {
                throw RequestError(code: "bad_request", message: "stats: \"by\" must be responder, channel, hour or day")
            }
            func time(_ key: String) throws -> Timestamp? {
                guard let text = params[key] as? String else { return nil }
                guard let (time, _) = TimestampParsing.iso8601(text) else {
                    throw RequestError(code: "bad_request", message: "stats: \"\(key)\" must be an ISO 8601 time")
                }
                return time
            }
            return WireProtocol.object(try api.stats(grouping: grouping, since: time("since"), until: time("until")))
        case "route":
            let policy = (params["policy"] as? String).flatMap(RoutingPolicy.init(rawValue:))
            return WireProtocol.object(try api.route(policy: policy))
        case "responder.login":
            guard let number = (params["responder"] as? NSNumber)?.int64Value else {
                throw RequestError(code: "bad_request", message: "responder.login needs \"responder\": an id")
            }
            return try api.login(of: ResponderID(number)) ?? NSNull()
        case "queue":
            let limit = (params["limit"] as? NSNumber)?.intValue ?? 50
            return WireProtocol.object(try api.queue(try string("view"), limit: limit))
        case "queue.window":
            return WireProtocol.object(try api.queueWindow(try WireProtocol.value(QueueWindowRequest.self, from: params["request"])))
        case "thread":
            let id = try conversation()
            var thread = try api.thread(id)
            thread.presence = presence(id)
            return WireProtocol.object(thread)
        case "summary":
            return WireProtocol.object(try api.summary())
        case "events":
            let after = try params["after"].flatMap { value -> EventID? in
                if value is NSNull { return nil }
                guard let number = (value as? NSNumber)?.int64Value, number >= 0 else {
                    throw RequestError(code: "bad_request", message: "events: \"after\" must be an event id or null")
                }
                return EventID(number)
            }
            return WireProtocol.object(try api.events(after: after, limit: (params["limit"] as? NSNumber)?.intValue ?? 100))
        case "responder.add":
            return WireProtocol.object(try api.addResponder(try WireProtocol.value(NewResponder.self, from: params["responder"])))
        case "responder.set":
            let changes = try WireProtocol.value(ResponderChanges.self, from: params["changes"])
            return WireProtocol.object(try api.updateResponder(string("login"), changes))
        case "responder.remove":
            return WireProtocol.object(try api.removeResponder(string("login")))
        case "responder.list":
            return WireProtocol.object(try api.responders(includingRemoved: (params["all"] as? Bool) ?? false))
        case "activity":
            try service.reportActivity(of: login)
            return ["ok": true]
        case "whoami":
            return ["login": login]
        default:
            throw RequestError(code: "unknown_method", message: "no method \"\(method)\"; see docs/protocol.md")
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
