import EarshotCore
import EarshotService
import Foundation

/// Performs the reducer's effects against the inbox (in-process or through the daemon) and
/// answers with messages. Calls are synchronous: a daemon round trip is a millisecond or two,
/// and one thread keeps the order of changes the order of keys.
public final class EffectRunner {
    public private(set) var api: any InboxAPI
    private var lastEventID: EventID?
    private var eventsPrimed = false
    /// Opens a new connection to the daemon after it went away; nil in single-user mode.
    let reconnect: (() throws -> any InboxAPI)?
    let socketPath: String?
    private(set) var connection: ConnectionState

    public init(api: any InboxAPI, socketPath: String? = nil, reconnect: (() throws -> any InboxAPI)? = nil) {
        self.api = api
        self.socketPath = socketPath
        self.reconnect = reconnect
        connection = socketPath.map { .daemon($0) } ?? .local
    }

    /// Whether anything is pushed to this runner at all: only a daemon pushes.
    var receivesPushes: Bool {
        if case .daemon = connection { return api is RemoteInbox }
        return false
    }

    /// Whether the daemon has pushed something not yet applied (the effect thread then polls).
    var hasPushed: Bool {
        guard eventsPrimed, case .daemon = connection, let remote = api as? RemoteInbox else { return false }
        return remote.connection.hasPushed
    }

    /// Called every tick: while the daemon is away, tries to reach it again.
    func maintain() -> [AppMessage] {
        guard case let .reconnecting(path) = connection, let reconnect else { return [] }
        guard let fresh = try? reconnect() else { return [] }
        api = fresh
        eventsPrimed = false
        connection = .daemon(path)
        return [.connection(connection)]
    }

    /// Runs one effect; terminal effects (redraw, suspend, bell, quit) are the loop's and return nothing here.
    public func run(_ effect: AppEffect) -> [AppMessage] {
        if case .reconnecting = connection { return effect == .pollEvents ? [] : [.failed("not connected to the daemon; reconnecting…")] }
        do {
            return try perform(effect)
        } catch where isDisconnection(error) {
            guard let socketPath else { return [.failed(Self.describe(error))] }
            connection = .reconnecting(socketPath)
            return [.connection(connection)]
        } catch {
            if needsConfirmation(error), case let .sendReply(id, text, _, _) = effect {
                return [.replyNeedsConfirmation(id, text: text, reason: Self.reason(of: error))]
            }
            if case .loadQueue = effect { return [.queueFailed(Self.describe(error))] }
            return [.failed(Self.describe(error))]
        }
    }

    private func perform(_ effect: AppEffect) throws -> [AppMessage] {
        switch effect {
        case .loadSummary:
            return [.summaryLoaded(try api.summary())]
        case .reportActivity:
            try api.reportActivity()
            return []
        case .loadSupervisor:
            return [.supervisorLoaded(try api.supervisor())]
        case let .loadQueue(request, load):
            return [.queueLoaded(try api.queueWindow(request), load)]
        case let .loadThread(id):
            return [.threadLoaded(try api.thread(id))]
        case let .perform(id, operation):
            try apply(operation, to: id)
            return [.succeeded("#\(id) \(operation.pastTense)", id)]
        case let .saveDraft(id, text):
            _ = try api.saveDraft(id, text: text)
            return []
        case let .sendReply(id, text, basedOn, confirmed):
            return [.replyQueued(try api.sendReply(id, text: text, basedOn: basedOn, confirmed: confirmed))]
        case let .addNote(id, text):
            _ = try api.addNote(id, text: text)
            return [.succeeded("note added to #\(id)", id)]
        case let .cancelReply(reply):
            return [.replyCancelled(try api.cancelReply(reply))]
        case let .retryFailedReply(id):
            guard let failed = try api.outbox(all: false).first(where: { $0.conversationID == id && $0.state == .failed }) else {
                return [.failed("no failed reply of yours in #\(id)")]
            }
            _ = try api.retryReply(failed.id)
            return [.succeeded("reply \(failed.id) queued again", id)]
        case let .setAvailability(login, availability):
            _ = try api.updateResponder(login, ResponderChanges(availability: availability))
            return [.succeeded("you are \(availability.rawValue)", nil)]
        case let .setPresence(id, composing):
            try api.setPresence(id, composing: composing)
            return []
        case .pollEvents:
            // Through the daemon, the events it pushed; in-process (or after pushes were lost),
            // the log read after the last one seen.
            if eventsPrimed, let remote = api as? RemoteInbox {
                let (pushed, complete) = try remote.connection.takePushedEvents()
                if complete {
                    let events = pushed.compactMap(Event.init(pushed:)).filter { $0.id > (lastEventID ?? EventID(0)) }
                    guard let newest = events.last else { return [] }
                    lastEventID = newest.id
                    return [.eventsArrived(EventBatch(events: events, lastID: newest.id))]
                }
            }
            let batch = try api.events(after: lastEventID, limit: 500)
            defer { lastEventID = batch.lastID ?? lastEventID }
            // The first read only learns where the log ends.
            guard eventsPrimed else {
                eventsPrimed = true
                return []
            }
            return batch.events.isEmpty ? [] : [.eventsArrived(batch)]
        case .redraw, .suspend, .bell, .quit:
            return []
        }
    }

    private func apply(_ operation: Operation, to id: ConversationID) throws {
        switch operation {
        case .claim: _ = try api.claim(id)
        case .release: _ = try api.release(id)
        case .resolve: _ = try api.resolve(id)
        case .reopen: _ = try api.reopen(id)
        case let .assign(login): _ = try api.assign(id, to: login)
        case let .snooze(until): _ = try api.snooze(id, until: until)
        case let .priority(priority): _ = try api.setPriority(id, to: priority)
        case let .label(name, add): _ = try api.label(id, name, add: add)
        case let .triageClass(triageClass): _ = try api.setTriageClass(id, to: triageClass)
        }
    }

    private func isDisconnection(_ error: any Error) -> Bool {
        if error is UnixSocket.Failure { return true }
        if let remote = error as? DaemonConnection.RemoteError { return remote.code == "closed" || remote.code == "protocol" }
        return false
    }

    static func describe(_ error: any Error) -> String {
        if let service = error as? ServiceError { return service.description }
        if let remote = error as? DaemonConnection.RemoteError { return remote.description }
        return "\(error)"
    }

    /// The part of a "changed since your draft" refusal worth showing in a question.
    static func reason(of error: any Error) -> String {
        if case let .changedSinceDraft(id, changes) = error as? ServiceError {
            return "#\(id) changed since your draft began: \(changes.joined(separator: "; "))"
        }
        let text = describe(error)
        return text.components(separatedBy: "); ").first.map { $0 + ")" } ?? text
    }
}
