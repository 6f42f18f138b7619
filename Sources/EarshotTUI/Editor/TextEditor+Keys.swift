/// The composer's editing keys, the same as in a shell prompt (readline) so nothing needs
/// learning.
extension TextEditor {
    /// Applies `key` if it is an editing key and returns true; returns false for a key the
    /// editor does not use (Ctrl-S, Esc, F-keys, Tab...), which the app then gives to the
    /// keymap. With `width`, Up and Down move by wrapped rows as seen on screen.
    public mutating func handle(_ key: Key, width: Int? = nil) -> Bool {
        switch key {
        case .character(let character): insert(String(character))
        case .enter: insert("\n")
        case .backspace: backspace()
        case .delete: delete()
        case .left: left()
        case .right: right()
        case .ctrlLeft: wordLeft()
        case .ctrlRight: wordRight()
        case .home, .control("a"): home()
        case .end, .control("e"): end()
        case .control("u"): killToStart()
        case .control("k"): killToEnd()
        case .control("w"): deleteWordLeft()
        case .up: up(width: width)
        case .down: down(width: width)
        default: return false
        }
        return true
    }

    /// Whether ``handle(_:width:)`` uses `key`: such keys never run an action in the composer.
    public static func usesKey(_ key: Key) -> Bool {
        var probe = TextEditor()
        return probe.handle(key)
    }

    /// The editing keys for the help overlay: keys and what they do.
    public static let keyHelp: [(keys: String, summary: String)] = [
        ("Left Right", "Move by character"),
        ("C-Left C-Right", "Move by word"),
        ("Home End C-a C-e", "Start or end of the line"),
        ("Up Down", "Previous or next line"),
        ("Backspace Delete", "Delete a character"),
        ("C-w", "Delete the word before the cursor"),
        ("C-u C-k", "Delete to the start or end of the line"),
        ("Enter", "New line"),
    ]
}
