import Testing
@testable import EarshotTUI

@Suite("Text editor")
struct TextEditorTests {
    /// Types `keys` into an editor starting from `text` with the cursor at `cursor`.
    func edited(_ text: String, cursor: Int? = nil, _ keys: [Key]) -> TextEditor {
        var editor = TextEditor(text: text, cursor: cursor)
        for key in keys {
            let used = editor.handle(key)
            #expect(used, "\(key.name) should be an editing key")
        }
        return editor
    }

    /// The text with `|` where the cursor is.
    func shown(_ editor: TextEditor) -> String {
        var text = editor.text
        text.insert("|", at: text.index(text.startIndex, offsetBy: editor.cursor))
        return text
    }

    @Test("Typing, Enter, Backspace and Delete")
    func typing() {
        var editor = edited("", [.character("h"), .character("i"), .enter, .character("y"), .backspace, .character("o")])
        #expect(shown(editor) == "hi\no|")
        editor = edited("abc", cursor: 1, [.delete])
        #expect(shown(editor) == "a|c")
        editor = edited("abc", cursor: 0, [.backspace])
        #expect(shown(editor) == "|abc")
        editor = edited("abc", [.delete])
        #expect(shown(editor) == "abc|")
    }

    @Test("Keys the editor leaves to the keymap")
    func unusedKeys() {
        var editor = TextEditor(text: "x")
        for key: Key in [.control("s"), .escape, .function(2), .tab, .backTab, .control("c"), .pageDown, .control("l")] {
            let used = editor.handle(key)
            #expect(!used, "\(key.name)")
            #expect(!TextEditor.usesKey(key))
        }
        #expect(editor.text == "x")
        #expect(TextEditor.usesKey(.character("q")))
        #expect(TextEditor.usesKey(.control("u")))
    }

    @Test("Inserting a long paste with several lines, CRLF and controls")
    func paste() {
        var editor = TextEditor(text: "ab", cursor: 1)
        let paste = String(repeating: "word ", count: 400) + "\r\nline\rlast\tend\u{1B}[2J\u{7}"
        editor.insert(paste)
        let expected = "a" + String(repeating: "word ", count: 400) + "\nline\nlast end[2J" + "b"
        #expect(editor.text == expected)
        #expect(editor.cursor == expected.count - 1)
    }

    @Test("Combining marks: the cursor never lands inside a cluster", arguments: [
        "cafe\u{301}", "e\u{301}e\u{301}e\u{301}", "ที่นี่", "नमस्ते", "👩‍👩‍👧👍🏽", "🇯🇵🇫🇷", "漢字かな", "1️⃣🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    ])
    func clusters(text: String) {
        var editor = TextEditor(text: text, cursor: 0)
        var offsets = [0]
        while editor.cursor < editor.text.count {
            editor.right()
            offsets.append(editor.cursor)
        }
        #expect(offsets == Array(0...text.count))
        // Deleting backwards takes one whole cluster at a time.
        var clusters: [Character] = Array(text)
        while editor.backspace() {
            clusters.removeLast()
            #expect(editor.text == String(clusters))
            #expect(editor.cursor == clusters.count)
        }
        #expect(editor.text.isEmpty)
    }

    @Test("A combining mark typed after its base joins it; the cursor stays after the cluster")
    func joiningInsert() {
        var editor = TextEditor(text: "cafe")
        editor.insert("\u{301}")
        #expect(editor.text == "café" && editor.text.count == 4 && editor.cursor == 4)
        // Two regional indicators typed one at a time become one flag.
        editor = TextEditor()
        editor.insert("🇯")
        editor.insert("🇵")
        #expect(editor.text == "🇯🇵" && editor.cursor == 1)
        editor.left()
        #expect(editor.cursor == 0)
    }

    @Test("Word moves skip spaces and punctuation, then a word")
    func words() {
        let text = "Hi @dana, order #4411... 漢字 ok?!"
        var editor = TextEditor(text: text, cursor: 0)
        var stops: [Int] = []
        repeat {
            editor.wordRight()
            stops.append(editor.cursor)
        } while editor.cursor < text.count
        // Ends of: Hi, dana, order, 4411, 漢字, ok, then the end of the text.
        #expect(stops == [2, 8, 15, 21, 27, 30, 32])
        var back: [Int] = []
        repeat {
            editor.wordLeft()
            back.append(editor.cursor)
        } while editor.cursor > 0
        #expect(back == [28, 25, 17, 10, 4, 0])
        // Ctrl-Left/Right are the same moves.
        #expect(edited(text, cursor: 0, [.ctrlRight, .ctrlRight]).cursor == 8)
        #expect(edited(text, cursor: 10, [.ctrlLeft]).cursor == 4)
    }

    @Test("Home, End, C-a and C-e work on the current line")
    func homeEnd() {
        #expect(shown(edited("one\ntwo\nthree", cursor: 5, [.home])) == "one\n|two\nthree")
        #expect(shown(edited("one\ntwo\nthree", cursor: 5, [.end])) == "one\ntwo|\nthree")
        #expect(shown(edited("one\ntwo", cursor: 6, [.control("a")])) == "one\n|two")
        #expect(shown(edited("one\ntwo", cursor: 1, [.control("e")])) == "one|\ntwo")
    }

    @Test("Ctrl-U and Ctrl-K on several lines")
    func kills() {
        var editor = TextEditor(text: "first line\nsecond line\nthird", cursor: 18)  // "second |line"
        #expect(editor.killToStart() == "second ")
        #expect(shown(editor) == "first line\n|line\nthird")
        // At the start of a line, Ctrl-U joins it to the line above.
        #expect(editor.killToStart() == "\n")
        #expect(shown(editor) == "first line|line\nthird")
        #expect(editor.killToEnd() == "line")
        #expect(shown(editor) == "first line|\nthird")
        // At the end of a line, Ctrl-K joins the next line.
        #expect(editor.killToEnd() == "\n")
        #expect(shown(editor) == "first line|third")
        #expect(shown(edited("ab\ncd", cursor: 4, [.control("u")])) == "ab\n|d")
        #expect(shown(edited("ab\ncd", cursor: 1, [.control("k")])) == "a|\ncd")
        #expect(shown(edited("one two  ", cursor: nil, [.control("w")])) == "one |")
        #expect(shown(edited("", cursor: nil, [.control("u"), .control("k")])) == "|")
    }

    @Test("Up and Down between lines keep the display column")
    func upDown() {
        let text = "abcdef\nab\n漢字漢字"
        var editor = TextEditor(text: text, cursor: 5)  // column 5 of the first line
        editor.down()
        #expect(shown(editor) == "abcdef\nab|\n漢字漢字")
        editor.down()
        // Column 5 is inside the third wide character: the cursor stays before it (column 4).
        #expect(shown(editor) == "abcdef\nab\n漢字|漢字")
        editor.up()
        editor.up()
        #expect(editor.cursor == 5, "back to the column it started from")
        editor.up()
        #expect(editor.cursor == 0, "Up on the first line goes to the start")
        editor = TextEditor(text: text, cursor: 1)
        editor.down()
        editor.down()
        editor.down()
        #expect(editor.cursor == text.count, "Down on the last line goes to the end")
        // Any other key forgets the goal column.
        editor = edited(text, cursor: 5, [.down, .left, .up])
        #expect(editor.cursor == 1)
    }

    @Test("Wrapping by display width: words, wide characters, long words")
    func wrapping() {
        var editor = TextEditor(text: "hello big world")
        #expect(editor.visualLines(width: 10).map(\.text) == ["hello big ", "world"])
        #expect(editor.visualLines(width: 10).map(\.startOffset) == [0, 10])
        #expect(editor.cursorPosition(width: 10) == (1, 5))
        editor = TextEditor(text: "漢字かなカナ", cursor: 3)
        // Five cells wide: a wide character that would straddle the edge goes to the next row.
        #expect(editor.visualLines(width: 5).map(\.text) == ["漢字", "かな", "カナ"])
        #expect(editor.cursorPosition(width: 5) == (1, 2))
        editor = TextEditor(text: "abcdefghij")
        #expect(editor.visualLines(width: 4).map(\.text) == ["abcd", "efgh", "ij"])
        #expect(editor.cursorPosition(width: 4) == (2, 2))
        editor = TextEditor(text: "👩‍👩‍👧🇯🇵e\u{301}x", cursor: 2)
        #expect(editor.visualLines(width: 3).map(\.text) == ["👩‍👩‍👧", "🇯🇵e\u{301}", "x"])
        #expect(editor.cursorPosition(width: 3) == (1, 2))
    }

    @Test("A line that fills its row leaves the cursor a cell on the next row")
    func fullRow() {
        var editor = TextEditor(text: "abcd\nxy")
        editor.moveCursor(to: 4)
        #expect(editor.visualLines(width: 4).map(\.text) == ["abcd", "", "xy"])
        #expect(editor.cursorPosition(width: 4) == (1, 0))
        editor.moveCursor(to: 3)
        #expect(editor.cursorPosition(width: 4) == (0, 3))
        editor = TextEditor(text: "")
        #expect(editor.visualLines(width: 4).map(\.text) == [""])
        #expect(editor.cursorPosition(width: 4) == (0, 0))
        editor = TextEditor(text: "a\n")
        #expect(editor.visualLines(width: 4).map(\.startOffset) == [0, 2])
        #expect(editor.cursorPosition(width: 4) == (1, 0))
    }

    @Test("A character wider than the row gets a row of its own")
    func narrow() {
        let editor = TextEditor(text: "漢a")
        #expect(editor.visualLines(width: 1).map(\.text) == ["漢", "a", ""])
    }

    @Test("Up and Down by wrapped rows")
    func upDownWrapped() {
        var editor = TextEditor(text: "hello big world", cursor: 12)  // "wo|rld" on row 1
        editor.up(width: 10)
        #expect(editor.cursor == 2)
        editor.down(width: 10)
        #expect(editor.cursor == 12)
        // Going up to a wrapped row's end stops before the row's last cluster, which sits on
        // the row boundary shared with the next row.
        editor = TextEditor(text: "abcd efgh", cursor: 9)  // width 5: "abcd ", "efgh"
        editor.up(width: 5)
        #expect(editor.cursor == 4)
        #expect(editor.cursorPosition(width: 5) == (0, 4))
    }

    @Test("Text that draws wider than its width measures (zero-width space) keeps the cursor honest")
    func sanitizedWidth() {
        let editor = TextEditor(text: "a\u{200B}b")
        // The canvas shows U+200B as <U+200B>, eight cells.
        #expect(editor.cursorPosition(width: 40) == (0, 10))
    }
}
