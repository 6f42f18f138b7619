extension ActionTable {
    /// The defaults every responder starts with (docs/keys.md lists them; a test keeps that
    /// page in sync). Queue and thread share the work keys so that `c` claims whichever
    /// conversation is in front of the responder; the composer has only Ctrl, function keys
    /// and Esc, because every printable key there types text.
    public static let standard = ActionTable(entries: [
        // Moving around: safe on any key.
        Entry(.moveDown, "Move down one line", defaults: work([.character("j"), .down])),
        Entry(.moveUp, "Move up one line", defaults: work([.character("k"), .up])),
        Entry(.top, "Go to the top", defaults: work([.character("g"), .home])),
        Entry(.bottom, "Go to the bottom", defaults: work([.character("G"), .end])),
        Entry(.pageDown, "Move down one page", defaults: work([.pageDown])),
        Entry(.pageUp, "Move up one page", defaults: work([.pageUp])),
        Entry(.open, "Open the selected conversation", defaults: [.queue: [.enter]]),
        Entry(.nextPane, "Focus the next pane", defaults: generic([.tab])),
        Entry(.previousPane, "Focus the previous pane", defaults: generic([.backTab])),
        Entry(.switchView, "Show another view (v: the next one)", argument: .queueViews, defaults: generic([.character("v")])),
        Entry(.search, "Search conversations", argument: .optionalText(placeholder: "words"), defaults: generic([.character("/")])),
        Entry(.filter, "Filter by label, class, channel, priority", argument: .filterTerms, defaults: generic([.character("\\")])),
        Entry(.commandLine, "Type a command (every action is one)", defaults: generic([.character(":")])),
        Entry(.help, "Show the keys", defaults: generic([.character("?"), .function(1)])),
        Entry(.redraw, "Redraw the screen", defaults: generic([.control("l")])),
        Entry(.back, "Close the pane or overlay; at the top, quit", defaults: generic([.character("q")])),
        Entry(.quit, "Quit (asks first when a draft is unsent)", changesState: true, defaults: generic([.control("c")])),
        Entry(.suspend, "Suspend to the shell (fg comes back)", defaults: generic([.control("z")])),
        // Work on the selected conversation: changes what others see, so never on a navigation key.
        Entry(.claim, "Take the selected conversation", changesState: true, defaults: work([.character("c")])),
        Entry(.assign, "Assign the conversation to someone", argument: .word(placeholder: "responder"), changesState: true, defaults: work([.character("a")])),
        Entry(.release, "Give the conversation back to the queue", changesState: true, defaults: work([.character("u")])),
        Entry(.reply, "Write a reply to the customer", argument: .optionalText(placeholder: "text"), defaults: work([.character("r")])),
        Entry(.note, "Write an internal note", argument: .optionalText(placeholder: "text"), defaults: work([.character("n")])),
        Entry(.resolve, "Mark the conversation resolved", changesState: true, defaults: work([.character("e")])),
        Entry(.reopen, "Reopen a resolved conversation", changesState: true, defaults: work([.character("O")])),
        Entry(.snooze, "Put aside until a time (2h, 1d, a date)", argument: .snoozeTime, changesState: true, defaults: work([.character("s")])),
        Entry(.priority, "Set the priority", argument: CommandArgument.priorities, changesState: true, defaults: work([.character("p")])),
        Entry(.label, "Add a label (or remove one: -label)", argument: .labelChange, changesState: true, defaults: work([.character("l")])),
        Entry(.triageClass, "Correct the triage class (question, spam...)", argument: CommandArgument.triageClasses, changesState: true, defaults: work([.character("t")])),
        Entry(.undoSend, "Take back the reply just sent (undo window)", changesState: true, defaults: work([.character("U")])),
        Entry(.retrySend, "Retry my failed reply", changesState: true, defaults: work([.character("R")])),
        Entry(.supervisor, "Show or hide the supervisor pane", defaults: generic([.character("S")])),
        Entry(.waves, "Show or hide the waves", defaults: generic([.character("W")])),
        Entry(.wave, "Wave: open NAME, merge ID, out, answer TEXT", argument: .waveCommand, changesState: true, defaults: generic([.character("w")])),
        Entry(.availability, "Set my availability", argument: CommandArgument.availabilities, changesState: true, defaults: generic([.character("A")])),
        // Composer. F2 is the second send key for terminals or multiplexers that take Ctrl-S.
        Entry(.send, "Send the reply or note", changesState: true, defaults: [.composer: [.control("s"), .function(2)]]),
        Entry(.cancelCompose, "Leave the composer", changesState: true, defaults: [.composer: [.escape]]),
    ])

    private static func generic(_ keys: [Key]) -> [KeyContext: [Key]] { [.generic: keys] }
    /// The conversation contexts: the queue list and the open thread.
    private static func work(_ keys: [Key]) -> [KeyContext: [Key]] { [.queue: keys, .thread: keys] }
}
