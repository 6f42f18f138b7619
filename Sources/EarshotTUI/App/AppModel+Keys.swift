import EarshotCore
import EarshotService

/// Where a key goes: the help overlay, then a prompt, then the composer's editor, then the
/// keymap of the focused pane.
extension AppModel {
    mutating func handleKey(_ key: Key) -> [AppEffect] {
        if let offset = state.helpOffset { return helpKey(key, offset: offset) }
        if state.prompt != nil { return promptKey(key) }
        if state.focus == .composer, state.composer != nil { return composerKey(key) }
        guard let action = keymap.action(for: key, in: state.focus) else {
            show("\(key.name) does nothing here; ? shows the keys", error: true)
            return [.bell]
        }
        return perform(action, argument: nil)
    }

    private mutating func helpKey(_ key: Key, offset: Int) -> [AppEffect] {
        switch key {
        case .character("j"), .down: state.helpOffset = offset + 1
        case .character("k"), .up: state.helpOffset = max(0, offset - 1)
        case .pageDown, .character(" "): state.helpOffset = offset + max(1, state.height - 6)
        case .pageUp: state.helpOffset = max(0, offset - max(1, state.height - 6))
        default: state.helpOffset = nil
        }
        return []
    }

    private mutating func promptKey(_ key: Key) -> [AppEffect] {
        guard var prompt = state.prompt else { return [] }
        if case let .confirm(confirmation) = prompt.kind {
            state.prompt = nil
            if key == .character("y") || key == .character("Y") { return confirmed(confirmation) }
            show("not done")
            return []
        }
        switch key {
        case .escape, .control("c"), .control("g"):
            state.prompt = nil
            if prompt.kind == .search, state.queue.filter.search != prompt.searchWhenAsked {
                state.queue.filter.search = prompt.searchWhenAsked
                return restartQueue()
            }
            return []
        case .enter:
            state.prompt = nil
            return submit(prompt)
        case .tab where prompt.kind == .command:
            let words = CommandLineParser().completions(for: prompt.editor.text)
            if words.count == 1 { prompt.editor = TextEditor(text: words[0] + " ") }
            else if !words.isEmpty { show(words.joined(separator: "  ")) }
            state.prompt = prompt
            return []
        case .up, .down:
            return []
        default:
            guard prompt.editor.handle(key) else { return [.bell] }
            state.prompt = prompt
            return prompt.kind == .search ? searchAsTyped(prompt.editor.text) : []
        }
    }

    /// The queue follows a search as it is typed: each change reads the first window again
    /// (an index lookup for three characters or more, newest first).
    private mutating func searchAsTyped(_ text: String) -> [AppEffect] {
        let words = text.trimmingCharacters(in: .whitespaces)
        let search = words.isEmpty ? nil : words
        guard search != state.queue.filter.search else { return [] }
        state.queue.filter.search = search
        return restartQueue()
    }

    private mutating func composerKey(_ key: Key) -> [AppEffect] {
        guard var composer = state.composer else { return [] }
        if key == .tab { return expandCanned() }
        if let action = keymap.action(for: key, in: .composer) { return perform(action, argument: nil) }
        guard composer.editor.handle(key) else {
            show("\(key.name) does nothing in the composer; C-s sends, Esc closes", error: true)
            return [.bell]
        }
        composer.dirty = true
        state.composer = composer
        return []
    }

    /// Tab after `::name` (or the start of one) puts the canned reply in its place.
    private mutating func expandCanned() -> [AppEffect] {
        guard var composer = state.composer else { return [] }
        let before = String(composer.editor.text.prefix(composer.editor.cursor))
        guard let marker = before.range(of: "::", options: .backwards),
              !before[marker.upperBound...].contains(where: \.isWhitespace) else {
            show(canned.snippets.isEmpty ? "no canned replies (docs/config.md)" : "type ::name then Tab; canned: " + canned.snippets.map(\.name).joined(separator: " "))
            return []
        }
        let prefix = String(before[marker.upperBound...])
        let names = canned.names(startingWith: prefix)
        guard names.count == 1 || names.contains(prefix), let snippet = canned.snippet(named: names.contains(prefix) ? prefix : names[0]) else {
            show(names.isEmpty ? "no canned reply starts with \"\(prefix)\"" : "canned: " + names.joined(separator: " "), error: names.isEmpty)
            return names.isEmpty ? [.bell] : []
        }
        for _ in 0..<(prefix.count + 2) { _ = composer.editor.backspace() }
        composer.editor.insert(snippet.text)
        composer.dirty = true
        state.composer = composer
        return []
    }

    /// Enter on a prompt: run what it asked for.
    private mutating func submit(_ prompt: PromptState) -> [AppEffect] {
        let text = prompt.editor.text.trimmingCharacters(in: .whitespaces)
        switch prompt.kind {
        case .command:
            guard !text.isEmpty else { return [] }
            do {
                let command = try CommandLineParser().parse(text)
                // `:search` and `:filter` alone clear; other actions without an argument ask for one.
                let cleared: CommandValue? = switch command.action {
                case .search: .text("")
                case .filter: .filter(FilterTerms())
                default: nil
                }
                return perform(command.action, argument: command.argument ?? cleared)
            } catch {
                return refuse(error)
            }
        case .search:
            return perform(.search, argument: .text(text))
        // Prompts take the same grammar as the `:` line, so both accept the same things.
        case .filter:
            do {
                return perform(.filter, argument: try CommandLineParser().parseArgument(text, for: .filter) ?? .filter(FilterTerms()))
            } catch {
                return refuse(error)
            }
        case let .argument(action, id):
            guard !text.isEmpty else { return [] }
            do {
                return operate(action, on: id, argument: try CommandLineParser().parseArgument(text, for: action))
            } catch {
                return refuse(error)
            }
        case .confirm:
            return []
        }
    }

    /// A line that does not parse: say why on the status line.
    private mutating func refuse(_ error: CommandLineError) -> [AppEffect] {
        show(error.message, error: true)
        return [.bell]
    }

    private mutating func confirmed(_ confirmation: Confirmation) -> [AppEffect] {
        switch confirmation {
        case .quitWithDraft:
            state.quitting = true
            return draftSaveOnLeave() + [.quit]
        case let .sendChanged(id, text):
            return [.sendReply(id, text, basedOn: state.now, confirmed: true)]
        }
    }

    /// The draft as typed, saved before the composer goes away.
    func draftSaveOnLeave() -> [AppEffect] {
        guard let composer = state.composer, composer.kind == .reply, composer.dirty else { return [] }
        return [.saveDraft(composer.conversation, composer.editor.text)]
    }
}
