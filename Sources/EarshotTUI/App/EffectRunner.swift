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
        } catch let error as InboxError where error.isDisconnection {
            guard let socketPath else { return [.failed(error.message)] }
            connection = .reconnecting(socketPath)
            return [.connection(connection)]
        } catch {
            if error.code == .changedSinceDraft, case let .sendReply(id, text, _, _) = effect {
                return [.replyNeedsConfirmation(id, text: text, reason: Self.reason(of: error))]
            }
            if case .loadQueue = effect { return [.queueFailed(error.message)] }
            return [.failed(error.message)]
        }
    }

    private func perform(_ effect: AppEffect) throws(InboxError) -> [AppMessage] {
        switch effect {
        case .loadSummary:
            return [.summaryLoaded(try api.send(Inbox.Summary()))]
        case .reportActivity:
            _ = try api.send(Inbox.ReportActivity())
            return []
        case .loadSupervisor:
            return [.supervisorLoaded(try api.send(Inbox.Supervisor()))]
        case .loadWaves:
            return [.wavesLoaded(try api.send(Inbox.Waves()))]
        case let .loadWave(id):
            return [.waveLoaded(try api.send(Inbox.GetWave(id)))]
        case let .waveRequest(request):
            return [.succeeded(try Self.perform(request, on: api), nil)]
        case let .loadQueue(request, load):
            return [.queueLoaded(try api.send(request), load)]
        case let .loadThread(id):
            return [.threadLoaded(try api.send(Inbox.GetThread(id)))]
        case let .perform(id, operation):
            _ = try api.send(operation.request(for: id))
            return [.succeeded("#\(id) \(operation.pastTense)", id)]
        case let .saveDraft(id, text):
            _ = try api.send(Inbox.SaveDraft(id, text: text))
            return []
        case let .sendReply(id, text, basedOn, confirmed):
            return [.replyQueued(try api.send(Inbox.SendReply(id, text: text, basedOn: basedOn, confirmed: confirmed)))]
        case let .addNote(id, text):
            _ = try api.send(Inbox.AddNote(id, text: text))
            return [.succeeded("note added to #\(id)", id)]
        case let .cancelReply(reply):
            return [.replyCancelled(try api.send(Inbox.CancelReply(reply)))]
        case let .retryFailedReply(id):
            guard let failed = try api.send(Inbox.Outbox()).first(where: { $0.conversationID == id && $0.state == .failed }) else {
                return [.failed("no failed reply of yours in #\(id)")]
            }
            _ = try api.send(Inbox.RetryReply(failed.id))
            return [.succeeded("reply \(failed.id) queued again", id)]
        case let .setAvailability(login, availability):
            _ = try api.send(Inbox.UpdateResponder(login, ResponderChanges(availability: availability)))
            return [.succeeded("you are \(availability.rawValue)", nil)]
        case let .setPresence(id, composing):
            _ = try api.send(Inbox.SetPresence(id, composing ? .composing : .viewing))
            return []
        case .pollEvents:
            // Through the daemon, the events it pushed; in-process (or after pushes were lost),
            // the log read after the last one seen.
            if eventsPrimed, let remote = api as? RemoteInbox {
                let (pushed, complete) = try Self.disconnection { try remote.connection.takePushedEvents() }
                if complete {
                    let events = pushed.filter { $0.id > (lastEventID ?? EventID(0)) }
                    guard let newest = events.last else { return [] }
                    lastEventID = newest.id
                    return [.eventsArrived(EventBatch(events: events, lastID: newest.id))]
                }
            }
            let batch = try api.send(Inbox.Events(after: lastEventID, limit: 500))
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

    /// A wave change, and what the status line says of it.
    private static func perform(_ request: WaveRequest, on api: any InboxAPI) throws(InboxError) -> String {
        switch request {
        case let .open(target, name):
            let wave = try api.send(Inbox.OpenWave(target, name: name))
            return "wave \(wave.id) \"\(wave.name)\" is open"
        case let .merge(from, into):
            _ = try api.send(Inbox.MergeWaves(from, into: into))
            return "wave \(from) merged into wave \(into)"
        case let .out(id):
            return "#\(id) is out of wave \(try api.send(Inbox.TakeOutOfWave(id)))"
        case let .answer(id, variants):
            let report = try api.send(Inbox.AnswerWave(id, variants: variants))
            let skipped = report.skipped.isEmpty ? "" : "; \(report.skipped.count) skipped (held by others, or no longer open)"
            return "wave \(id): \(report.replies.count) repl\(report.replies.count == 1 ? "y" : "ies") queued\(skipped)"
        }
    }

    /// A socket failure outside a request (reading pushed events) as the request errors say it.
    private static func disconnection<T>(_ body: () throws -> T) throws(InboxError) -> T {
        do {
            return try body()
        } catch let error as InboxError {
            throw error
        } catch {
            throw InboxError(.closed, "the daemon went away (\(error))")
        }
    }

    /// The part of a "changed since your draft" refusal worth showing in a question.
    static func reason(of error: InboxError) -> String {
        guard let conversation = error.details.conversation, let changes = error.details.changes else { return error.message }
        return "#\(conversation) changed since your draft began: \(changes.joined(separator: "; "))"
    }
}
