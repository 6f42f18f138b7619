import EarshotCore
import EarshotService

/// The reducer: a message in, the new state and the effects to run out. Pure: no I/O, no
/// clock reads (time arrives in ticks), so every screen is reproducible in tests.
public struct AppModel: Sendable {
    public var state: AppState
    public let keymap: Keymap
    /// Snippets `::name` + Tab expands in the composer.
    public var canned = CannedReplies()
    /// How long transient messages stay.
    static let messageMilliseconds: Int64 = 4_000
    /// Drafts are saved at most this often while typing.
    static let draftSaveMilliseconds: Int64 = 1_000

    public init(login: String, keymap: Keymap, size: (width: Int, height: Int)) {
        state = AppState(login: login)
        state.width = size.width
        state.height = size.height
        self.keymap = keymap
    }

    /// What to do first: read who I am, the queue and the event cursor.
    public func start() -> [AppEffect] {
        // The caller may have read the summary already (to refuse before taking the screen).
        (state.summary == nil ? [.loadSummary] : [])
            + [loadWindow(anchor: .first, load: .replace(keep: nil, requested: windowSize)), .pollEvents]
    }

    public mutating func handle(_ message: AppMessage) -> [AppEffect] {
        switch message {
        case let .terminal(.key(key)):
            var effects = handleKey(key)
            // Pressing keys is being at work: idle-away counts from the last report.
            if state.now.millisecondsSinceEpoch - state.activityReportedAt.millisecondsSinceEpoch >= 60_000 {
                state.activityReportedAt = state.now
                effects.append(.reportActivity)
            }
            return effects
        case let .terminal(.resize(width, height)):
            state.width = width
            state.height = height
            clampQueueScroll()
            return []
        case let .tick(now):
            return tick(now)
        case let .summaryLoaded(summary):
            state.summary = summary
            state.now = max(state.now, summary.now)
            return []
        case let .supervisorLoaded(snapshot):
            guard var supervisor = state.supervisor else { return [] }
            supervisor.snapshot = snapshot
            supervisor.selected = min(supervisor.selected, max(0, supervisor.trouble.count - 1))
            state.supervisor = supervisor
            return []
        case let .wavesLoaded(list):
            wavesLoaded(list)
            return []
        case let .waveLoaded(detail):
            waveLoaded(detail)
            return []
        case let .queueLoaded(rows, load):
            state.queue.loadError = nil
            state.queue.reading = false
            applyQueue(rows, load)
            return []
        case let .queueFailed(text):
            state.queue.loadError = text
            state.queue.reading = false
            show(text, error: true)
            return [.bell]
        case let .threadLoaded(thread):
            guard state.thread?.id == thread.conversation.id else { return [] }
            state.thread?.thread = thread
            return []
        case let .eventsArrived(batch):
            return eventsArrived(batch)
        case let .succeeded(text, conversation):
            show(text)
            return reloadAfterChange(conversation)
        case let .failed(text):
            show(text, error: true)
            return [.bell]
        case let .replyQueued(reply):
            state.composer = nil
            state.focus = state.thread == nil ? .queue : .thread
            let until = reply.nextAttemptAt ?? state.now
            state.lastSent = (reply.id, until)
            let seconds = max(0, (until.millisecondsSinceEpoch - state.now.millisecondsSinceEpoch + 999) / 1000)
            show("reply queued; delivery starts in \(seconds) s: U takes it back", until: until)
            return [.setPresence(reply.conversationID, composing: false)] + reloadAfterChange(reply.conversationID)
        case let .replyNeedsConfirmation(id, text, reason):
            askConfirmation(.sendChanged(id, text), "\(reason). Send anyway? (y/n)")
            return [.bell]
        case let .replyCancelled(draft):
            state.lastSent = nil
            show("reply taken back: it is your draft again")
            openComposer(.reply, for: draft.conversationID, text: draft.text)
            return [.setPresence(draft.conversationID, composing: true)] + reloadAfterChange(draft.conversationID)
        case let .connection(connection):
            let wasReconnecting = if case .reconnecting = state.connection { true } else { false }
            state.connection = connection
            if wasReconnecting, case .daemon = connection {
                show("reconnected")
                // A restarted daemon knows nobody's presence: say again where I am.
                var presence: [AppEffect] = []
                if let id = state.thread?.id {
                    let composing = state.composer.map { $0.conversation == id && $0.kind == .reply } ?? false
                    presence = [.setPresence(id, composing: composing)]
                }
                return reloadAfterChange(state.thread?.id) + presence
            }
            return []
        }
    }

    // MARK: - Helpers shared by the extensions

    mutating func show(_ text: String, error: Bool = false, until: Timestamp? = nil) {
        let end = until.map { max($0, state.now.adding(milliseconds: 1_500)) } ?? state.now.adding(milliseconds: Self.messageMilliseconds)
        state.message = StatusMessage(text: text, isError: error, until: end)
    }

    mutating func askConfirmation(_ confirmation: Confirmation, _ question: String) {
        state.prompt = PromptState(kind: .confirm(confirmation), label: question, editor: TextEditor())
    }

    /// The conversation an action applies to: the open thread when it has the focus, else the selected row.
    var targetConversation: ConversationID? {
        if state.focus != .queue, let open = state.thread?.id { return open }
        if let waves = state.waves { return waves.selectedMember?.member.conversationID }
        if let supervisor = state.supervisor {
            return supervisor.trouble.indices.contains(supervisor.selected) ? supervisor.trouble[supervisor.selected].conversation.id : nil
        }
        return state.queue.selectedRow?.conversation.id ?? state.thread?.id
    }

    func reloadAfterChange(_ conversation: ConversationID?) -> [AppEffect] {
        var effects: [AppEffect] = [reloadQueue(), .loadSummary]
        if state.supervisor != nil { effects.append(.loadSupervisor) }
        effects += wavesReload
        if let open = state.thread?.id, conversation == nil || conversation == open { effects.append(.loadThread(open)) }
        return effects
    }

    private mutating func tick(_ now: Timestamp) -> [AppEffect] {
        state.now = now
        var effects: [AppEffect] = [.pollEvents]
        if state.summaryStale, now.milliseconds(since: state.summaryAskedAt) >= 1_000 {
            state.summaryStale = false
            state.summaryAskedAt = now
            effects.append(.loadSummary)
        }
        // The supervisor's picture costs a statistics pass: every 5 s while it is shown.
        if let supervisor = state.supervisor, now.millisecondsSinceEpoch - supervisor.requestedAt.millisecondsSinceEpoch >= 5_000 {
            state.supervisor?.requestedAt = now
            effects.append(.loadSupervisor)
        }
        if let waves = state.waves, now.millisecondsSinceEpoch - waves.requestedAt.millisecondsSinceEpoch >= 5_000 {
            state.waves?.requestedAt = now
            effects += wavesReload
        }
        if let message = state.message, message.until <= now { state.message = nil }
        if let sent = state.lastSent, sent.until <= now { state.lastSent = nil }
        if var composer = state.composer, composer.kind == .reply, composer.dirty,
           now.millisecondsSinceEpoch - composer.lastSaved.millisecondsSinceEpoch >= Self.draftSaveMilliseconds {
            composer.dirty = false
            composer.lastSaved = now
            state.composer = composer
            effects.append(.saveDraft(composer.conversation, composer.editor.text))
        }
        return effects
    }

    private mutating func eventsArrived(_ batch: EventBatch) -> [AppEffect] {
        guard !batch.events.isEmpty else { return [] }
        // The window first: it is what the person sees change. The counts follow, at most once
        // a second (the tick asks for them when a change is still waiting).
        var effects: [AppEffect] = [reloadQueue()]
        if state.now.milliseconds(since: state.summaryAskedAt) >= 1_000 {
            state.summaryAskedAt = state.now
            effects.append(.loadSummary)
        } else {
            state.summaryStale = true
        }
        if let open = state.thread?.id, batch.events.contains(where: { $0.conversationID == open || $0.conversationID == nil }) {
            effects.append(.loadThread(open))
        }
        return effects
    }
}
