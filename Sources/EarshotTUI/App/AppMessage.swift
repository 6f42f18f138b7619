import EarshotCore
import EarshotService

/// What reaches the reducer: keys and resizes, clock ticks, and the answers to effects.
public enum AppMessage: Sendable {
    case terminal(TerminalEvent)
    case tick(Timestamp)
    case summaryLoaded(InboxSummary)
    case supervisorLoaded(SupervisorSnapshot)
    case wavesLoaded([WaveSummary])
    case waveLoaded(WaveDetail)
    case queueLoaded([QueueRow], QueueLoad)
    case threadLoaded(ConversationThread)
    case eventsArrived(EventBatch)
    /// An operation worked; show this and re-read what it changed.
    case succeeded(String, ConversationID?)
    case failed(String)
    /// The queue window could not be read (the pane says so instead of "nothing in VIEW").
    case queueFailed(String)
    case replyQueued(Reply)
    /// The conversation changed since the draft began: ask before sending `text`.
    case replyNeedsConfirmation(ConversationID, text: String, reason: String)
    case replyCancelled(Reply)
    case connection(ConnectionState)
}

/// Why a queue window was read, which says where it goes in the loaded rows.
public enum QueueLoad: Sendable, Equatable {
    /// The whole window anew (view switch, search, live change); keep this conversation selected if it is still there.
    case replace(keep: ConversationID?, requested: Int)
    /// Rows after the window (scrolling down).
    case append(requested: Int)
    /// Rows before the window (scrolling up); one more than shown was asked for, to learn the anchor.
    /// `thenMove` is what is left of the keypress that ran off the top (negative, or 0).
    case prepend(requested: Int, thenMove: Int)
    /// The bottom of the view (G); one more than shown was asked for.
    case last(requested: Int)
}

/// What the reducer asks the outside world to do. The runner performs it against the inbox
/// API and answers with messages.
public enum AppEffect: Sendable, Equatable {
    case loadSummary
    case loadSupervisor
    case loadWaves
    case loadWave(Int64)
    case waveRequest(WaveRequest)
    /// The person pressed keys: idle-away counts from now.
    case reportActivity
    case loadQueue(QueueWindowRequest, QueueLoad)
    case loadThread(ConversationID)
    case perform(ConversationID, Operation)
    case saveDraft(ConversationID, String)
    case sendReply(ConversationID, String, basedOn: Timestamp, confirmed: Bool)
    case addNote(ConversationID, String)
    case cancelReply(ReplyID)
    case retryFailedReply(ConversationID)
    case setAvailability(login: String, Availability)
    case setPresence(ConversationID?, composing: Bool)
    case pollEvents
    case redraw
    case suspend
    case bell
    case quit

    /// Keys typed after this effect act on its answer (the view or thread it loads, the
    /// composer a sent reply closes, the list a change reloads), so they wait for it, in the
    /// terminal's own input buffer. Background reads (events, the summary, the supervisor
    /// pane's statistics pass) never hold a key.
    var holdsKeys: Bool {
        switch self {
        case .loadQueue(_, .replace), .loadQueue(_, .last), .loadThread, .sendReply, .perform, .cancelReply,
             .retryFailedReply, .setAvailability, .loadWave, .waveRequest:
            true
        default:
            false
        }
    }
}

/// A change to waves (docs/waves.md).
public enum WaveRequest: Sendable, Equatable {
    case open(WaveTarget, name: String)
    case merge(Int64, into: Int64)
    case out(ConversationID)
    case answer(Int64, variants: [String: String])
}

/// A change to one conversation.
public enum Operation: Sendable, Equatable {
    case claim, release, resolve, reopen
    case assign(String)
    case snooze(Timestamp)
    case priority(Priority)
    case label(String, add: Bool)
    case triageClass(TriageClass)

    /// The request that performs it on a conversation.
    func request(for id: ConversationID) -> any InboxRequest {
        switch self {
        case .claim: Inbox.Claim(id)
        case .release: Inbox.Release(id)
        case .resolve: Inbox.Resolve(id)
        case .reopen: Inbox.Reopen(id)
        case let .assign(login): Inbox.Assign(id, to: login)
        case let .snooze(until): Inbox.Snooze(id, until: until)
        case let .priority(priority): Inbox.SetPriority(id, to: priority)
        case let .label(name, add): Inbox.Label(id, name, add: add)
        case let .triageClass(triageClass): Inbox.SetClass(id, to: triageClass)
        }
    }

    var pastTense: String {
        switch self {
        case .claim: "claimed"
        case .release: "released"
        case .resolve: "resolved"
        case .reopen: "reopened"
        case let .assign(login): "assigned to \(login)"
        case let .snooze(until): "snoozed until \(until.iso8601)"
        case let .priority(priority): "priority \(priority.name)"
        case let .label(name, add): add ? "labelled \(name)" : "label \(name) removed"
        case let .triageClass(triageClass): "class set to \(triageClass.rawValue)"
        }
    }
}
