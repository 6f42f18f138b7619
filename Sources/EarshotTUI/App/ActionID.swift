/// Everything a responder can do from the keyboard. Each has one entry in the action table
/// (name, help line, default keys per context), so key bindings, the `:` command line and
/// the `?` help overlay all come from the same place. The raw value is the command name.
public enum ActionID: String, CaseIterable, Sendable, Hashable {
    // Navigation (never destructive).
    case moveDown = "down"
    case moveUp = "up"
    case top
    case bottom
    case pageDown = "page-down"
    case pageUp = "page-up"
    case open
    case nextPane = "next-pane"
    case previousPane = "previous-pane"
    case switchView = "view"
    case search
    case filter
    case commandLine = "command"
    case help
    case redraw
    case back
    case quit
    case suspend
    // Work on the selected conversation.
    case claim
    case assign
    case release
    case reply
    case note
    case resolve
    case reopen
    case snooze
    case priority
    case label
    /// Correct the classifier (bring a customer set aside back, or set a scam aside).
    case triageClass = "class"
    /// Take back the reply just sent, during the undo window.
    case undoSend = "undo-send"
    /// Retry my failed reply in this conversation.
    case retrySend = "retry-send"
    case availability
    /// Show or hide the supervisor pane (supervisors).
    case supervisor
    /// Show or hide the waves pane (docs/waves.md).
    case waves
    /// Act on a wave: open NAME, merge ID, out, answer CANNED|TEXT.
    case wave
    // Composer.
    case send
    case cancelCompose = "cancel-compose"
}

/// Where the keyboard focus is; bindings are looked up in the focused context, then `generic`.
public enum KeyContext: String, CaseIterable, Sendable, Hashable {
    case generic
    case queue
    case thread
    case composer
}
