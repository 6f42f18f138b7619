import EarshotCore
import EarshotService

/// Everything the screen shows, as plain values: the reducer (`AppModel.handle`) changes it,
/// views draw it. Nothing here talks to the service or the terminal.
public struct AppState: Sendable {
    public var width = 80
    public var height = 24
    public var login: String
    public var summary: InboxSummary?
    public var connection: ConnectionState = .local

    public var focus: KeyContext = .queue
    public var queue = QueueState()
    public var thread: ThreadState?
    public var composer: ComposerState?
    public var prompt: PromptState?
    public var helpOffset: Int?
    /// The supervisor pane, when shown, in place of the queue; its selection is in the trouble list.
    public var supervisor: SupervisorState?
    /// The waves pane, when shown, in place of the queue (docs/waves.md).
    public var waves: WavesState?
    public var message: StatusMessage?
    /// The reply just sent, while it can still be taken back (`U`).
    public var lastSent: (reply: ReplyID, until: Timestamp)?
    /// The service's clock at the last summary, advanced by ticks: waits are shown against it.
    public var now: Timestamp = Timestamp(millisecondsSinceEpoch: 0)
    /// When the summary was last asked for because of others' changes, and whether a change
    /// since then still waits for it (the status bar's counts are read at most once a second
    /// for a stream of events; the queue window is read for every batch).
    public var summaryAskedAt = Timestamp(millisecondsSinceEpoch: 0)
    public var summaryStale = false
    /// How waits and times are shown (the demo's compressed day; otherwise as they are).
    public var screenClock = ScreenClock.real
    public var quitting = false
    /// When activity was last reported (at most once a minute while keys are pressed).
    public var activityReportedAt = Timestamp(millisecondsSinceEpoch: 0)

    public init(login: String) { self.login = login }

    /// The window is big enough for the layout (80x24); smaller ones get a notice instead.
    public var isTooSmall: Bool { width < 80 || height < 24 }
}

public enum ConnectionState: Sendable, Equatable {
    /// Single-user mode: the service runs in this process.
    case local
    case daemon(String)
    case reconnecting(String)
}

/// The queue pane: one window of a view, read from the service a page at a time.
public struct QueueState: Sendable {
    public var view = QueueViewName.mine
    public var filter = QueueFilter()
    public var rows: [QueueRow] = []
    /// Index of the selected row in `rows`.
    public var selected = 0
    /// Index of the first row on screen.
    public var scrollTop = 0
    /// Whether rows exist beyond the loaded window, either way.
    public var moreBefore = false
    public var moreAfter = false
    /// How the window was read, so a live reload reads the same stretch of the view.
    public var anchor: QueueAnchor = .first
    /// Why the last read of the window failed; cleared by the next one that works.
    public var loadError: String?
    /// A new view or filter is being read: until its rows arrive the pane says so, rather than
    /// "nothing in VIEW".
    public var reading = false

    public var selectedRow: QueueRow? { rows.indices.contains(selected) ? rows[selected] : nil }
}

/// The waves pane: the waves, and after Enter one wave's conversations.
public struct WavesState: Sendable {
    public var list: [WaveSummary] = []
    public var selected = 0
    /// The wave opened with Enter; `q` goes back to the list.
    public var detail: WaveDetail?
    public var memberSelected = 0
    public var requestedAt: Timestamp
    /// Whether the list has been read once (until then the pane says it is reading).
    public var loaded = false

    public init(requestedAt: Timestamp) { self.requestedAt = requestedAt }

    public var selectedWave: WaveSummary? { list.indices.contains(selected) ? list[selected] : nil }
    public var selectedMember: WaveDetail.Member? {
        guard let detail, detail.members.indices.contains(memberSelected) else { return nil }
        return detail.members[memberSelected]
    }
    /// The wave a `:wave` command acts on: the one opened, else the one selected.
    public var targetWave: Int64? { detail?.summary.wave.id ?? selectedWave?.wave.id }
}

/// The supervisor pane: the latest snapshot and the selected conversation in trouble.
public struct SupervisorState: Sendable {
    public var snapshot: SupervisorSnapshot?
    public var selected = 0
    /// When the snapshot was last asked for; it is refreshed every few seconds while shown.
    public var requestedAt = Timestamp(millisecondsSinceEpoch: 0)

    /// Breached first, then at risk: the list j/k move in and `a` reassigns from.
    public var trouble: [QueueRow] { (snapshot?.breached ?? []) + (snapshot?.atRisk ?? []) }
}

/// The thread pane: the open conversation.
public struct ThreadState: Sendable {
    public var id: ConversationID
    public var thread: ConversationThread?
    /// Lines scrolled up from the bottom (0 shows the newest).
    public var scroll = 0
}

/// The composer: a reply (counted against 140 with the signature) or an internal note.
public struct ComposerState: Sendable {
    public enum Kind: Sendable, Equatable { case reply, note }
    public var kind: Kind
    public var conversation: ConversationID
    public var editor: TextEditor
    /// When the responder last read the conversation: a change after it needs confirmation.
    public var basedOn: Timestamp
    /// Typed since the last draft save.
    public var dirty = false
    public var lastSaved: Timestamp
}

/// A one-line question at the bottom: a command, a search, a value for an action, or a yes/no.
public struct PromptState: Sendable {
    public enum Kind: Sendable, Equatable {
        case command, search, filter
        /// A value for an action on the selected conversation (assign, snooze, priority, label).
        case argument(ActionID, ConversationID)
        /// y/n before something that cannot wait for a second look.
        case confirm(Confirmation)
    }
    public var kind: Kind
    public var label: String
    public var editor: TextEditor
    /// The search in force when a search prompt opened: Escape puts it back, since the queue
    /// follows the text as it is typed.
    public var searchWhenAsked: String? = nil
}

public enum Confirmation: Sendable, Equatable {
    case quitWithDraft
    case sendChanged(ConversationID, String)
}

public struct StatusMessage: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public var until: Timestamp

    public init(text: String, isError: Bool, until: Timestamp) {
        self.text = text
        self.isError = isError
        self.until = until
    }
}
