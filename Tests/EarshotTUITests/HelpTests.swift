import Testing
@testable import EarshotTUI

@Suite("Help")
struct HelpTests {
    let content = HelpContent(keymap: .standard)

    @Test("Lines come from the keymap: keys, name, summary in columns")
    func lines() {
        let lines = content.textLines
        #expect(lines.contains("c       claim           Take the selected conversation"))
        #expect(lines.contains("j Down  down            Move down one line"))
        #expect(lines.contains("C-s F2  send            Send the reply or note"))
        #expect(lines.contains("C-u C-k                 Delete to the start or end of the line"))
        #expect(content.sections.map(\.title) == [
            "Everywhere (in the composer only the keys that do not type)", "Queue and thread", "Queue", "Composer", "Composer editing",
        ])
        #expect(content.title == "Keys — press ? or q to close")
        // Every action shows up once per context it has keys in.
        let names = Set(content.sections.flatMap(\.lines).map(\.name))
        #expect(names.isSuperset(of: ActionID.allCases.map(\.rawValue)))
    }

    @Test("A rebinding shows up in help; an action without keys is listed as a command")
    func rebinding() {
        let (keymap, problems) = KeymapLoader.parse("[queue]\nclaim = \"C\"\n[thread]\nclaim = []\n[generic]\nhelp = \"F1\"\nback = \"C-q\"\n", file: "keys.toml")
        #expect(problems.isEmpty)
        let help = HelpContent(keymap: keymap)
        let queue = help.sections.first { $0.title == "Queue" }
        #expect(queue?.lines.first { $0.name == "claim" }?.keys == "C")
        #expect(help.title == "Keys — press F1 or C-q to close")
        let (unbound, _) = KeymapLoader.parse("[queue]\nreopen = []\n[thread]\nreopen = []\n", file: "keys.toml")
        let last = HelpContent(keymap: unbound).sections.last
        #expect(last?.title == "No key: type :name")
        #expect(last?.lines.map(\.name) == ["reopen"])
    }

    @Test("Overlay at 80x24 over the sample layout", arguments: [0, 20, 1000])
    func overlay(offset: Int) {
        var buffer = SampleLayout.render(width: 80, height: 24)
        let used = buffer.draw(in: buffer.bounds) { HelpOverlay.draw(content, offset: offset, in: &$0) }
        let maxOffset = HelpOverlay.maxOffset(for: content, width: 80, height: 24)
        #expect(used == min(offset, maxOffset))
        #expect(maxOffset == content.rows.count - 20)
        Snapshot.assertMatches(buffer, named: "help-80x24-offset-\(offset)")
    }

    @Test("Overlay on a tiny screen stays inside it")
    func tiny() {
        var buffer = CellBuffer(width: 30, height: 6)
        buffer.draw(in: buffer.bounds) { HelpOverlay.draw(content, offset: 3, in: &$0) }
        Snapshot.assertMatches(buffer, named: "help-30x6")
    }
}
