/// The composer's text and cursor: a value type the reducer updates with each key.
///
/// The cursor is an offset in grapheme clusters (`Character`s), so it can never sit inside
/// `é` written as e + U+0301, a flag, a ZWJ family or a CJK character: every move and every
/// deletion takes whole clusters. Lines are separated by `\n`; "line" below means such a
/// logical line (``visualLines(width:)`` wraps them for display).
public struct TextEditor: Sendable, Equatable {
    /// The text, with `\n` between lines.
    public internal(set) var text: String
    /// Where the cursor is: the number of Characters before it, 0...text.count.
    public internal(set) var cursor: Int
    /// The display column Up and Down aim for, kept across short lines so that moving through
    /// one and on to a long line comes back to the column the responder started from.
    var goalColumn: Int?

    /// An editor holding `text` with the cursor at `cursor` (default: the end).
    public init(text: String = "", cursor: Int? = nil) {
        self.text = Self.clean(text)
        let count = self.text.count
        self.cursor = min(max(0, cursor ?? count), count)
    }

    /// Whether there is no text.
    public var isEmpty: Bool { text.isEmpty }

    /// Moves the cursor to `offset` (clamped to the text).
    public mutating func moveCursor(to offset: Int) {
        cursor = min(max(0, offset), text.count)
        goalColumn = nil
    }

    // MARK: - Inserting and deleting

    /// Inserts `string` at the cursor and moves the cursor after it. Pasted text may be long
    /// and have several lines; CR and CRLF become `\n`, a tab becomes a space and other control
    /// characters are dropped, since they would be invisible in the reply and have no width.
    public mutating func insert(_ string: String) {
        let addition = Self.clean(string)
        guard !addition.isEmpty else { return }
        let split = index(cursor)
        let head = String(text[..<split]) + addition
        text = head + text[split...]
        // Text after the cursor can join the inserted text's last cluster (a combining mark,
        // the second half of a flag); the cursor then goes after the joined cluster.
        cursor = min(head.count, text.count)
        goalColumn = nil
    }

    /// Deletes the cluster before the cursor (Backspace). Returns false at the start.
    @discardableResult
    public mutating func backspace() -> Bool {
        guard cursor > 0 else { return false }
        remove(cursor - 1..<cursor)
        return true
    }

    /// Deletes the cluster after the cursor (Delete). Returns false at the end.
    @discardableResult
    public mutating func delete() -> Bool {
        guard cursor < text.count else { return false }
        remove(cursor..<cursor + 1)
        return true
    }

    /// Deletes from the start of the line to the cursor (Ctrl-U). At the start of a line it
    /// joins the line to the one above, so repeated Ctrl-U keeps deleting upwards.
    /// Returns the deleted text.
    @discardableResult
    public mutating func killToStart() -> String {
        let start = lineStart(cursor)
        return remove(start == cursor ? max(0, cursor - 1)..<cursor : start..<cursor)
    }

    /// Deletes from the cursor to the end of the line (Ctrl-K). At the end of a line it joins
    /// the next line to this one. Returns the deleted text.
    @discardableResult
    public mutating func killToEnd() -> String {
        let end = lineEnd(cursor)
        return remove(end == cursor ? cursor..<min(text.count, cursor + 1) : cursor..<end)
    }

    /// Deletes the word before the cursor and the spaces after it (Ctrl-W).
    @discardableResult
    public mutating func deleteWordLeft() -> String {
        let start = wordStart(before: cursor)
        return remove(start..<cursor)
    }

    /// Removes the clusters in `range` (Character offsets) and puts the cursor where they were.
    @discardableResult
    mutating func remove(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let lower = index(range.lowerBound), upper = index(range.upperBound)
        let removed = String(text[lower..<upper])
        let head = String(text[..<lower])
        text = head + text[upper...]
        cursor = min(head.count, text.count)
        goalColumn = nil
        return removed
    }

    // MARK: - Moving

    /// One cluster left.
    public mutating func left() { moveCursor(to: cursor - 1) }
    /// One cluster right.
    public mutating func right() { moveCursor(to: cursor + 1) }
    /// To the start of the line.
    public mutating func home() { moveCursor(to: lineStart(cursor)) }
    /// To the end of the line.
    public mutating func end() { moveCursor(to: lineEnd(cursor)) }

    /// Back over spaces and punctuation, then over a word, to the word's start (Ctrl-Left).
    public mutating func wordLeft() { moveCursor(to: wordStart(before: cursor)) }

    /// Forward over spaces and punctuation, then over a word, to the word's end (Ctrl-Right).
    public mutating func wordRight() {
        let characters = Array(text)
        var offset = cursor
        while offset < characters.count && !Self.isWordCharacter(characters[offset]) { offset += 1 }
        while offset < characters.count && Self.isWordCharacter(characters[offset]) { offset += 1 }
        moveCursor(to: offset)
    }

    // MARK: - Offsets

    /// The String index of a Character offset (clamped).
    func index(_ offset: Int) -> String.Index {
        text.index(text.startIndex, offsetBy: min(max(0, offset), text.count))
    }

    /// The offset where the line holding `offset` starts.
    func lineStart(_ offset: Int) -> Int {
        let characters = Array(text)
        var start = min(offset, characters.count)
        while start > 0 && characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    /// The offset of the `\n` ending the line holding `offset` (or the text's end).
    func lineEnd(_ offset: Int) -> Int {
        let characters = Array(text)
        var end = min(offset, characters.count)
        while end < characters.count && characters[end] != "\n" { end += 1 }
        return end
    }

    func wordStart(before offset: Int) -> Int {
        let characters = Array(text)
        var start = min(offset, characters.count)
        while start > 0 && !Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        while start > 0 && Self.isWordCharacter(characters[start - 1]) { start -= 1 }
        return start
    }

    /// Letters (any script), digits and `_` make words; spaces, punctuation, symbols and emoji
    /// separate them, as in readline.
    static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// Line breaks normalised to `\n`, tabs to a space, other controls dropped.
    static func clean(_ string: String) -> String {
        if string.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A }) { return string }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in string.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0A: if !previousWasCR { scalars.append("\n") }
            case 0x0D, 0x2028, 0x2029: scalars.append("\n")
            case 0x09: scalars.append(" ")
            case 0x00..<0x20, 0x7F..<0xA0: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
