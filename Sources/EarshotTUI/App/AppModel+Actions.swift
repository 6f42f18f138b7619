import EarshotCore
import EarshotService
import Foundation

/// What each action does. Keys, the `:` line and (through the same names) the CLI reach here.
extension AppModel {
    mutating func perform(_ action: ActionID, argument: CommandValue?) -> [AppEffect] {
        switch action {
        case .moveDown: return move(1)
        case .moveUp: return move(-1)
        case .pageDown: return move(pageSize)
        case .pageUp: return move(-pageSize)
        case .top:
            if state.focus == .thread { state.thread?.scroll = Int.max / 2; return [] }
            return jumpToTop()
        case .bottom:
            if state.focus == .thread { state.thread?.scroll = 0; return [] }
            return jumpToBottom()
        case .open: return openSelected()
        case .nextPane, .previousPane: return cyclePanes(forward: action == .nextPane)
        case .switchView: return switchView(argument?.text.flatMap(QueueViewName.init(rawValue:)))
        case .search:
            guard let words = argument?.text else {
                let asked = ask(.search, "search (handle or text, as you type; empty clears): ")
                state.prompt?.searchWhenAsked = state.queue.filter.search
                return asked
            }
            state.queue.filter.search = words.isEmpty ? nil : words
            show(words.isEmpty ? "search cleared" : "searching for \"\(words)\"")
            return restartQueue()
        case .filter:
            guard case let .filter(terms)? = argument else { return ask(.filter, "filter (label:X class:X channel:X priority:X; empty clears): ") }
            return applyFilter(terms)
        case .commandLine: return ask(.command, ":")
        case .help:
            state.helpOffset = 0
            return []
        case .redraw: return [.redraw]
        case .back: return back()
        case .quit: return quit()
        case .suspend: return draftSaveOnLeave() + [.suspend]
        case .claim, .release, .resolve, .reopen, .assign, .snooze, .priority, .label, .triageClass:
            guard let id = targetConversation else { return nothingSelected() }
            return operate(action, on: id, argument: argument)
        case .reply, .note:
            guard let id = targetConversation else { return nothingSelected() }
            return compose(action == .reply ? .reply : .note, in: id, text: argument?.text)
        case .undoSend:
            guard let sent = state.lastSent, sent.until > state.now else {
                show("nothing to take back: delivery has started (or nothing was sent)", error: true)
                return [.bell]
            }
            return [.cancelReply(sent.reply)]
        case .retrySend:
            guard let id = targetConversation else { return nothingSelected() }
            return [.retryFailedReply(id)]
        case .availability: return changeAvailability(argument?.text)
        case .supervisor:
            guard state.supervisor == nil else {
                state.supervisor = nil
                return []
            }
            guard state.summary?.me.role == .supervisor else {
                show("the supervisor pane is for supervisors", error: true)
                return [.bell]
            }
            state.waves = nil
            state.supervisor = SupervisorState(requestedAt: state.now)
            state.focus = .queue
            return [.loadSupervisor]
        case .waves: return toggleWaves()
        case .wave: return waveCommand(argument)
        case .send: return send()
        case .cancelCompose: return closeComposer()
        }
    }

    private mutating func move(_ delta: Int) -> [AppEffect] {
        if moveInWaves(delta) { return [] }
        if var supervisor = state.supervisor, state.focus == .queue {
            supervisor.selected = max(0, min(supervisor.selected + delta, supervisor.trouble.count - 1))
            state.supervisor = supervisor
            return []
        }
        if state.focus == .thread {
            let scroll = state.thread?.scroll ?? 0
            state.thread?.scroll = max(0, scroll - delta)
            return []
        }
        return moveSelection(by: delta)
    }

    mutating func nothingSelected() -> [AppEffect] {
        show("no conversation selected", error: true)
        return [.bell]
    }

    mutating func ask(_ kind: PromptState.Kind, _ label: String) -> [AppEffect] {
        state.prompt = PromptState(kind: kind, label: label, editor: TextEditor())
        return []
    }

    private mutating func openSelected() -> [AppEffect] {
        if let effects = openInWaves() { return effects }
        let fromSupervisor = state.supervisor.flatMap { $0.trouble.indices.contains($0.selected) ? $0.trouble[$0.selected] : nil }
        guard let row = fromSupervisor ?? state.queue.selectedRow else { return nothingSelected() }
        let id = row.conversation.id
        var effects: [AppEffect] = []
        if let composer = state.composer, composer.conversation != id { effects += closeComposer() }
        state.thread = ThreadState(id: id)
        state.focus = .thread
        clampQueueScroll()
        return effects + [.loadThread(id), .setPresence(id, composing: false)]
    }

    private mutating func cyclePanes(forward: Bool) -> [AppEffect] {
        var panes: [KeyContext] = [.queue]
        if state.thread != nil { panes.append(.thread) }
        if state.composer != nil { panes.append(.composer) }
        let index = panes.firstIndex(of: state.focus) ?? 0
        state.focus = panes[(index + (forward ? 1 : panes.count - 1)) % panes.count]
        return []
    }

    /// To the view named (`:view breached`, checked by the parser), or the next one (`v`).
    private mutating func switchView(_ view: QueueViewName?) -> [AppEffect] {
        let views = QueueViewName.allCases
        let next = view ?? views[((views.firstIndex(of: state.queue.view) ?? 0) + 1) % views.count]
        state.queue.view = next
        show("view: \(next)")
        return restartQueue()
    }

    /// Terms parsed by the `:filter` grammar (``CommandArgument/filterTerms``); the search stays.
    private mutating func applyFilter(_ terms: FilterTerms) -> [AppEffect] {
        state.queue.filter = QueueFilter(
            channel: terms.channel, label: terms.label, triageClass: terms.triageClass, priority: terms.priority,
            search: state.queue.filter.search)
        show(terms.isEmpty ? "filter cleared" : "filter: \(terms)")
        return restartQueue()
    }

    /// A change to one conversation; asks for the value first when the action needs one.
    mutating func operate(_ action: ActionID, on id: ConversationID, argument: CommandValue?) -> [AppEffect] {
        let needs: String? = switch action {
        case .assign: "assign #\(id) to (login): "
        case .snooze: "snooze #\(id) for (45m, 2h, 1d) or until (2026-12-01T09:00): "
        case .priority: "priority of #\(id) (low, normal, high, urgent): "
        case .triageClass: "class of #\(id) (\(TriageClass.allCases.map(\.rawValue).joined(separator: ", "))): "
        case .label: "label #\(id) (word adds, -word removes): "
        default: nil
        }
        if let needs, argument == nil { return ask(.argument(action, id), needs) }
        let operation: Operation
        switch (action, argument) {
        case (.claim, _): operation = .claim
        case (.release, _): operation = .release
        case (.resolve, _): operation = .resolve
        case (.reopen, _): operation = .reopen
        case let (.assign, .text(login)?): operation = .assign(login.hasPrefix("@") ? String(login.dropFirst()) : login)
        case let (.snooze, .snooze(time)?):
            guard let until = Self.snoozeTime(time, now: state.now) else {
                show("snooze \"\(time)\": that local time does not exist here; pick another", error: true)
                return [.bell]
            }
            operation = .snooze(until)
        case let (.priority, .choice(name)?):
            guard let priority = Priority(name: name) else { return [] }
            operation = .priority(priority)
        case let (.label, .label(name, add)?): operation = .label(name, add: add)
        case let (.triageClass, .choice(name)?):
            guard let triageClass = TriageClass(rawValue: name) else { return [] }
            operation = .triageClass(triageClass)
        default:
            return []
        }
        return [.perform(id, operation)]
    }

    /// A snooze as typed (`2h`, `1h30m`, `2026-12-01T09:00` in the responder's zone) as a time.
    static func snoozeTime(_ time: SnoozeTime, now: Timestamp) -> Timestamp? {
        switch time {
        case let .duration(seconds):
            return now.adding(seconds: Int64(seconds))
        case let .until(year, month, day, hour, minute):
            let components = DateComponents(
                calendar: Calendar.current, timeZone: TimeZone.current, year: year, month: month, day: day, hour: hour, minute: minute)
            return components.date.map(Timestamp.init)
        }
    }

    private mutating func compose(_ kind: ComposerState.Kind, in id: ConversationID, text: String?) -> [AppEffect] {
        var effects: [AppEffect] = []
        if state.thread?.id != id {
            state.thread = ThreadState(id: id)
            effects.append(.loadThread(id))
        }
        let handle = state.thread?.thread?.customer.handle ?? state.queue.rows.first { $0.conversation.id == id }?.customer ?? ""
        let start: String
        if let text { start = kind == .reply && !handle.isEmpty && !text.hasPrefix("@") ? "@\(handle) \(text)" : text }
        else if kind == .reply, let draft = state.thread?.thread?.myDraft?.text, !draft.isEmpty { start = draft }
        else { start = kind == .reply && !handle.isEmpty ? "@\(handle) " : "" }
        openComposer(kind, for: id, text: start)
        return effects + [.setPresence(id, composing: kind == .reply)]
    }

    mutating func openComposer(_ kind: ComposerState.Kind, for id: ConversationID, text: String) {
        if state.thread?.id != id { state.thread = ThreadState(id: id) }
        state.composer = ComposerState(
            kind: kind, conversation: id, editor: TextEditor(text: text), basedOn: state.now, lastSaved: state.now)
        state.focus = .composer
        clampQueueScroll()
    }

    mutating func closeComposer() -> [AppEffect] {
        guard let composer = state.composer else { return [] }
        let effects = draftSaveOnLeave()
        state.composer = nil
        state.focus = state.thread == nil ? .queue : .thread
        if composer.kind == .reply, !composer.editor.text.isEmpty { show("draft kept; r reopens it") }
        clampQueueScroll()
        return effects + [.setPresence(composer.conversation, composing: false)]
    }

    private mutating func send() -> [AppEffect] {
        guard let composer = state.composer else { return [] }
        let text = composer.editor.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            show("nothing to send", error: true)
            return [.bell]
        }
        if composer.kind == .note {
            state.composer = nil
            state.focus = .thread
            clampQueueScroll()
            return [.addNote(composer.conversation, text), .setPresence(composer.conversation, composing: false)]
        }
        let measured = ReplyLength.measure(text + signature)
        guard measured.remaining >= 0 else {
            show("over 140 by \(-measured.remaining) with your signature: shorten it before sending", error: true)
            return [.bell]
        }
        return [.sendReply(composer.conversation, text, basedOn: composer.basedOn, confirmed: false)]
    }

    /// The signature the service adds to my replies, counted in the composer.
    var signature: String { state.summary.map { $0.me.signature } ?? "" }

    private mutating func back() -> [AppEffect] {
        if state.focus == .composer { return closeComposer() }
        if backInWaves() { return [] }
        if state.supervisor != nil, state.focus == .queue {
            state.supervisor = nil
            return []
        }
        if state.focus == .thread {
            state.focus = .queue
            return []
        }
        if state.thread != nil, state.composer == nil {
            state.thread = nil
            clampQueueScroll()
            return [.setPresence(nil, composing: false)]
        }
        return quit()
    }

    private mutating func quit() -> [AppEffect] {
        if let composer = state.composer, !composer.editor.text.trimmingCharacters(in: .whitespaces).isEmpty,
           composer.editor.text != "@\(state.thread?.thread?.customer.handle ?? "") " {
            askConfirmation(.quitWithDraft, "your reply to #\(composer.conversation) is unsent (the draft is kept). Quit? (y/n)")
            return []
        }
        state.quitting = true
        return [.quit]
    }

    private mutating func changeAvailability(_ argument: String?) -> [AppEffect] {
        let current = state.summary?.me.availability ?? .available
        let next: Availability
        if let argument {
            guard let parsed = Availability(rawValue: argument.lowercased()) else {
                show("availability must be available, away or offline", error: true)
                return [.bell]
            }
            next = parsed
        } else {
            next = current == .available ? .away : .available
        }
        return [.setAvailability(login: state.login, next)]
    }
}
