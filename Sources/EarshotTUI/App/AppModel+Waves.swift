import EarshotCore
import EarshotService

/// The waves pane (docs/waves.md): `W` shows the waves in place of the queue; Enter lists a
/// wave's conversations, Enter again opens one; `q` goes back. `:wave` acts on the wave (or
/// conversation) selected.
extension AppModel {
    mutating func toggleWaves() -> [AppEffect] {
        guard state.waves == nil else {
            state.waves = nil
            return []
        }
        state.supervisor = nil
        state.waves = WavesState(requestedAt: state.now)
        state.focus = .queue
        return [.loadWaves]
    }

    /// j/k in the pane: between waves, or between the opened wave's conversations.
    mutating func moveInWaves(_ delta: Int) -> Bool {
        guard var waves = state.waves, state.focus == .queue else { return false }
        if let detail = waves.detail {
            waves.memberSelected = max(0, min(waves.memberSelected + delta, detail.members.count - 1))
        } else {
            waves.selected = max(0, min(waves.selected + delta, waves.list.count - 1))
        }
        state.waves = waves
        return true
    }

    /// Enter: a wave's conversations; on a conversation, its thread (nil: not the pane's key).
    mutating func openInWaves() -> [AppEffect]? {
        guard let waves = state.waves, state.focus == .queue else { return nil }
        if waves.detail == nil {
            guard let wave = waves.selectedWave else {
                show("no wave selected", error: true)
                return [.bell]
            }
            return [.loadWave(wave.wave.id)]
        }
        guard let member = waves.selectedMember else { return nil }
        let id = member.member.conversationID
        var effects: [AppEffect] = []
        if let composer = state.composer, composer.conversation != id { effects += closeComposer() }
        state.thread = ThreadState(id: id)
        state.focus = .thread
        return effects + [.loadThread(id), .setPresence(id, composing: false)]
    }

    /// `q` in the pane: from a wave's conversations back to the list, then the queue.
    mutating func backInWaves() -> Bool {
        guard state.waves != nil, state.focus == .queue else { return false }
        if state.waves?.detail != nil {
            state.waves?.detail = nil
            state.waves?.memberSelected = 0
        } else {
            state.waves = nil
        }
        return true
    }

    mutating func waveCommand(_ value: CommandValue?) -> [AppEffect] {
        guard case let .wave(action)? = value else {
            // `w`: the command line with the verb to finish (Tab offers open, merge, out, answer).
            state.prompt = PromptState(kind: .command, label: ":", editor: TextEditor(text: "wave "))
            return []
        }
        let wave = state.waves?.targetWave
        switch action {
        case let .open(name):
            // In the pane, the wave shown or selected; elsewhere the conversation starts one.
            if let wave, state.focus == .queue { return [.waveRequest(.open(.wave(wave), name: name))] }
            guard let id = targetConversation else { return nothingToAct("a wave or a conversation") }
            return [.waveRequest(.open(.conversation(id), name: name))]
        case let .merge(into):
            guard let wave else { return nothingToAct("a wave (W shows them)") }
            return [.waveRequest(.merge(wave, into: into))]
        case .out:
            guard let id = targetConversation else { return nothingToAct("a conversation") }
            return [.waveRequest(.out(id))]
        case let .answer(text):
            guard let wave else { return nothingToAct("a wave (W shows them)") }
            let variants = canned.variants(of: text.hasPrefix("::") ? String(text.dropFirst(2)) : text) ?? ["en": text]
            return [.waveRequest(.answer(wave, variants: variants))]
        }
    }

    private mutating func nothingToAct(_ what: String) -> [AppEffect] {
        show("select \(what) first", error: true)
        return [.bell]
    }

    mutating func wavesLoaded(_ list: [WaveSummary]) {
        guard var waves = state.waves else { return }
        waves.list = list
        waves.loaded = true
        waves.selected = min(waves.selected, max(0, list.count - 1))
        state.waves = waves
    }

    mutating func waveLoaded(_ detail: WaveDetail) {
        guard var waves = state.waves else { return }
        if waves.detail?.summary.wave.id != detail.summary.wave.id { waves.memberSelected = 0 }
        waves.detail = detail
        waves.memberSelected = min(waves.memberSelected, max(0, detail.members.count - 1))
        state.waves = waves
    }

    /// What to read again while the pane is shown (after a change, or every 5 s).
    var wavesReload: [AppEffect] {
        guard let waves = state.waves else { return [] }
        return [.loadWaves] + (waves.detail.map { [.loadWave($0.summary.wave.id)] } ?? [])
    }
}
