/// Kinds of keys the keymap rules talk about.
extension Key {
    /// Keys that move the selection or the focus. A responder presses these without looking,
    /// often several times in a row, so no action that changes the inbox (``ActionTable/Entry/changesState``)
    /// may be bound to one: one bounce of the arrow key must not resolve a conversation.
    public var isNavigation: Bool {
        switch self {
        case .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .enter, .tab, .backTab, .ctrlLeft, .ctrlRight:
            true
        case .character(let c):
            Key.navigationCharacters.contains(c)
        default:
            false
        }
    }

    /// `j`/`k` and `g`/`G` move (vi and less habits), Space pages in pagers.
    static let navigationCharacters: Set<Character> = ["j", "k", "g", "G", " "]

    /// A key that produces text: it types into the composer rather than running an action there.
    public var isPrintable: Bool {
        if case .character = self { return true }
        return false
    }

    /// Keys the composer may bind: Ctrl keys the editor leaves alone, function keys and Esc.
    /// Everything else types or edits text there (see ``TextEditor/usesKey(_:)``).
    public var isAllowedInComposer: Bool {
        switch self {
        case .control, .function, .escape: !TextEditor.usesKey(self)
        default: false
        }
    }
}
