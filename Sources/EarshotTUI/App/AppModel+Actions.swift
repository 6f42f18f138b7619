import EarshotCore
import EarshotService
import Foundation

/// What each action does. Keys, the `:` line and (through the same names) the CLI reach here.
extension AppModel {
    mutating func perform(_ action: ActionID, argument: String?) -> [AppEffect] {
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
        case .switchView: return switchView(argument)
        case .search:
            guard let argument else { return ask(.search, "search (handle or text; empty clears): ") }
            state.queue.filter.search = argument.isEmpty ? nil : argument
            show(argument.isEmpty ? "search cleared" : "searching for \"\(argument)\"")
            return restartQueue()
        case .filter:
            guard let argument else { return ask(.filter, "filter (label:X class:X channel:X priority:X; empty clears): ") }
            return applyFilter(argument)
        case .commandLine: return ask(.command, ":")
        case .help:
            state.helpOffset = 0
            return []
        case .redraw: return [.redraw]
        case .back: return back()
        case .quit: return quit()
        case .suspend: return draftSaveOnLeave() + [.suspend]
        case .claim, .release, .resolve, .reopen, .assign, .snooze, .priority, .label:
            guard let id = targetConversation else { return nothingSelected() }
            return operate(action, on: id, argument: argument)
        case .reply, .note:
            guard let id = targetConversation else { return nothingSelected() }
            return compose(action == .reply ? .reply : .note, in: id, text: argument)
        case .undoSend:
            guard let sent = state.lastSent, sent.until > state.now else {
                show("nothing to take back: delivery has started (or nothing was sent)", error: true)
                return [.bell]
            }
            return [.cancelReply(sent.reply)]
        case .retrySend:
            guard let id = targetConversation else { return nothingSelected() }
            return [.retryFailedReply(id)]
        case .availability: return changeAvailability(argument)
        case .supervisor:
            guard state.supervisor == nil else {
                state.supervisor = nil
                return []
            }
            guard state.summary?.me.role == .supervisor else {
                show("the supervisor pane is for supervisors", error: true)
                return [.bell]
            }
            state.supervisor = SupervisorState(requestedAt: state.now)
            state.focus = .queue
            return [.loadSupervisor]
        case .send: return send()
        case .cancelCompose: return closeComposer()
        }
    }

    private mutating func move(_ delta: Int) -> [AppEffect] {
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

    private mutating func nothingSelected() -> [AppEffect] {
        show("no conversation selected", error: true)
        return [.bell]
    }

    mutating func ask(_ kind: PromptState.Kind, _ label: String) -> [AppEffect] {
        state.prompt = PromptState(kind: kind, label: label, editor: TextEditor())
        return []
    }

    private mutating func openSelected() -> [AppEffect] {
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

    private mutating func switchView(_ argument: String?) -> [AppEffect] {
        let views = QueueState.views
        let next: String
        if let argument {
            guard let match = views.first(where: { $0 == argument.lowercased() }) else {
                show("no view \"\(argument)\"; views: \(views.joined(separator: ", "))", error: true)
                return [.bell]
            }
            next = match
        } else {
            next = views[((views.firstIndex(of: state.queue.view) ?? 0) + 1) % views.count]
        }
        state.queue.view = next
        show("view: \(next)")
        return restartQueue()
    }

    private mutating func applyFilter(_ text: String) -> [AppEffect] {
        var filter = QueueFilter(search: state.queue.filter.search)
        for word in text.split(separator: " ") {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                show("filter \"\(word)\": use label:X, class:X, channel:X or priority:X", error: true)
                return [.bell]
            }
            switch parts[0] {
            case "label": filter.label = parts[1].lowercased()
            case "channel": filter.channel = parts[1].hasPrefix("@") ? String(parts[1].dropFirst()) : parts[1]
            case "class":
                guard let triage = TriageClass(rawValue: parts[1]) else {
                    show("class must be one of \(TriageClass.allCases.map(\.rawValue).joined(separator: ", "))", error: true)
                    return [.bell]
                }
                filter.triageClass = triage
            case "priority":
                guard let priority = Priority(name: parts[1]) else {
                    show("priority must be low, normal, high or urgent", error: true)
                    return [.bell]
                }
                filter.priority = priority
            default:
                show("filter \"\(parts[0])\" unknown: use label, class, channel or priority", error: true)
                return [.bell]
            }
        }
        state.queue.filter = filter
        show(text.isEmpty ? "filter cleared" : "filter: \(text)")
        return restartQueue()
    }

    /// A change to one conversation; asks for the value first when the action needs one.
    mutating func operate(_ action: ActionID, on id: ConversationID, argument: String?) -> [AppEffect] {
        let needs: String? = switch action {
        case .assign: "assign #\(id) to (login): "
        case .snooze: "snooze #\(id) for (45m, 2h, 1d) or until (2026-12-01T09:00): "
        case .priority: "priority of #\(id) (low, normal, high, urgent): "
        case .label: "label #\(id) (word adds, -word removes): "
        default: nil
        }
        if let needs, argument == nil { return ask(.argument(action, id), needs) }
        let value = argument ?? ""
        let operation: Operation
        switch action {
        case .claim: operation = .claim
        case .release: operation = .release
        case .resolve: operation = .resolve
        case .reopen: operation = .reopen
        case .assign: operation = .assign(value.hasPrefix("@") ? String(value.dropFirst()) : value)
        case .snooze:
            guard let until = Self.snoozeTime(value, now: state.now) else {
                show("snooze \"\(value)\": give a delay like 45m, 2h, 1d or a time like 2026-12-01T09:00", error: true)
                return [.bell]
            }
            operation = .snooze(until)
        case .priority:
            guard let priority = Priority(name: value) else {
                show("priority \"\(value)\": use low, normal, high or urgent", error: true)
                return [.bell]
            }
            operation = .priority(priority)
        case .label:
            let remove = value.hasPrefix("-")
            operation = .label(remove ? String(value.dropFirst()) : value, add: !remove)
        default:
            return []
        }
        return [.perform(id, operation)]
    }

    /// A snooze as typed (`2h`, `1h30m`, `2026-12-01T09:00` in the responder's zone) as a time.
    static func snoozeTime(_ text: String, now: Timestamp) -> Timestamp? {
        switch SnoozeTime(text) {
        case let .duration(seconds)?:
            return now.adding(seconds: Int64(seconds))
        case let .until(year, month, day, hour, minute)?:
            let components = DateComponents(
                calendar: Calendar.current, timeZone: TimeZone.current, year: year, month: month, day: day, hour: hour, minute: minute)
            return components.date.map(Timestamp.init)
        case nil:
            return nil
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

    private mutating func closeComposer() -> [AppEffect] {
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
