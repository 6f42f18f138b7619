import EarshotTestSupport
import Foundation
import Testing
@testable import EarshotTUI

@Suite("keys.toml")
struct KeymapLoaderTests {
    func load(_ text: String) -> (keymap: Keymap, problems: [String]) {
        let (keymap, problems) = KeymapLoader.parse(text, file: "keys.toml")
        return (keymap, problems.map(\.description))
    }

    @Test("The file lives beside config.toml")
    func path() {
        #expect(KeymapLoader.path(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/dana"]) == "/cfg/earshot/keys.toml")
        #expect(KeymapLoader.path(environment: ["HOME": "/home/dana"]) == "/home/dana/.config/earshot/keys.toml")
        // XDG says a relative value is to be ignored.
        #expect(KeymapLoader.path(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/dana"]) == "/home/dana/.config/earshot/keys.toml")
    }

    @Test("Bindings replace the defaults of that action in that section")
    func example() {
        let (keymap, problems) = load("""
            [queue]
            claim = "C"          # or an array: ["C", "F5"]
            down = ["j", "Down", "Space"]
            [generic]
            quit = "C-q"
            """)
        #expect(problems.isEmpty)
        #expect(keymap.action(for: .character("C"), in: .queue) == .claim)
        #expect(keymap.action(for: .character("c"), in: .queue) == nil)
        #expect(keymap.action(for: .character("c"), in: .thread) == .claim)
        #expect(keymap.keys(for: .moveDown, in: .queue).map(\.name) == ["j", "Down", "Space"])
        #expect(keymap.action(for: .control("q"), in: .composer) == .quit)
        #expect(keymap.action(for: .control("c"), in: .queue) == nil)
    }

    @Test("A missing file gives the defaults; a file on disk is read")
    func files() throws {
        let directory = try TemporaryDirectory()
        let missing = KeymapLoader.load(file: directory.file("keys.toml"))
        #expect(missing.keymap == Keymap.standard && missing.problems.isEmpty)
        try FileManager.default.createDirectory(atPath: directory.file("earshot"), withIntermediateDirectories: true)
        try "[thread]\nreply = \"R\"\nretry-send = \"C-r\"\n".write(toFile: directory.file("earshot/keys.toml"), atomically: true, encoding: .utf8)
        let loaded = KeymapLoader.load(environment: ["XDG_CONFIG_HOME": directory.path, "HOME": "/nonexistent"])
        #expect(loaded.problems.isEmpty)
        #expect(loaded.keymap.action(for: .character("R"), in: .thread) == .reply)
        #expect(loaded.keymap.action(for: .control("r"), in: .thread) == .retrySend)
    }

    @Test("Two actions on one key: the later binding is refused, with its line and what to do")
    func conflict() {
        let (keymap, problems) = load("""
            [queue]
            claim = "x"
            # resolve it
            resolve = "x"
            """)
        #expect(problems == [#"keys.toml:4: "x" is bound to both claim and resolve in [queue]; pick another key for one of them (or rebind claim too); resolve keeps its default keys (e)"#])
        #expect(keymap.action(for: .character("x"), in: .queue) == .claim)
        #expect(keymap.action(for: .character("e"), in: .queue) == .resolve)
    }

    @Test("A key another action has by default clashes, unless that action moves too")
    func clashWithDefault() {
        var (keymap, problems) = load("[queue]\nrelease = \"c\"\n")
        #expect(problems == [#"keys.toml:2: "c" is bound to both claim and release in [queue]; pick another key for one of them (or rebind claim too); release keeps its default keys (u)"#])
        #expect(keymap.action(for: .character("c"), in: .queue) == .claim)
        // Swapping two keys is fine.
        (keymap, problems) = load("[queue]\nclaim = \"u\"\nrelease = \"c\"\n")
        #expect(problems.isEmpty)
        #expect(keymap.action(for: .character("u"), in: .queue) == .claim)
        #expect(keymap.action(for: .character("c"), in: .queue) == .release)
    }

    @Test("A refused binding gives back defaults that can clash in turn: both are reported")
    func cascade() {
        let (keymap, problems) = load("[queue]\nup = \"c\"\nclaim = \"k\"\n")
        #expect(problems.count == 2)
        #expect(problems[0].hasPrefix(#"keys.toml:2: "c" is bound to both up and claim in [queue]"#))
        #expect(problems[1].hasPrefix(#"keys.toml:3: claim cannot be on "k" in [queue]: it is a navigation key"#))
        #expect(keymap == Keymap.standard)
    }

    @Test("Nothing that changes the inbox on a navigation key")
    func destructiveOnNavigation() {
        let (keymap, problems) = load("[thread]\nresolve = [\"E\", \"Enter\"]\n[generic]\navailability = \"Space\"\nsearch = \"Down\"\n")
        #expect(problems == [
            #"keys.toml:2: resolve cannot be on "Enter" in [thread]: it is a navigation key, and one stray press would change the inbox; pick a letter or a Ctrl key; resolve keeps its default keys (e)"#,
            #"keys.toml:4: availability cannot be on "Space" in [generic]: it is a navigation key, and one stray press would change the inbox; pick a letter or a Ctrl key; availability keeps its default keys (A)"#,
            #"keys.toml:5: warning: "Down" for search in [generic] does nothing in [queue] and [thread], where it is down; pick another key if search should work there too"#,
        ])
        #expect(keymap.action(for: .enter, in: .thread) == nil)
        #expect(keymap.action(for: .down, in: .generic) == .search, "a navigation action may go on any key")
    }

    @Test("The composer takes only Ctrl keys the editor leaves free, function keys and Esc")
    func composer() {
        let (keymap, problems) = load("""
            [composer]
            send = "s"
            cancel-compose = "Enter"
            help = "C-a"
            quit = "Tab"
            redraw = ["C-r", "F5"]
            """)
        #expect(problems == [
            #"keys.toml:2: "s" cannot be bound in [composer]: there it types text; use a Ctrl key such as C-s, a function key such as F2, or Esc; send keeps its default keys (C-s F2)"#,
            #"keys.toml:3: "Enter" cannot be bound in [composer]: the editor uses it; use a Ctrl key such as C-s, a function key such as F2, or Esc; cancel-compose keeps its default keys (Esc)"#,
            #"keys.toml:4: "C-a" cannot be bound in [composer]: the editor uses it; use a Ctrl key such as C-s, a function key such as F2, or Esc; help stays without a key in [composer]"#,
            #"keys.toml:5: "Tab" cannot be bound in [composer]: only Ctrl keys, function keys and Esc are free there; use a Ctrl key such as C-s, a function key such as F2, or Esc; quit stays without a key in [composer]"#,
        ])
        #expect(keymap.action(for: .control("r"), in: .composer) == .redraw)
        #expect(keymap.action(for: .function(5), in: .composer) == .redraw)
    }

    @Test("Mistakes name the line and say what to write instead")
    func mistakes() {
        let (keymap, problems) = load("""
            quit = "C-q"
            [queue]
            clam = "C"
            moveDown = "J"
            claim = 5
            assign = ["A", 3]
            release = "Ctrl+u"
            'snooze' = "Z"
            [stats]
            claim = "x"
            """)
        #expect(problems == [
            "keys.toml:1: quit is outside a section; put it under the section it is for: [generic], [queue], [thread], [composer]",
            "keys.toml:3: unknown action clam in [queue] (did you mean claim or class?); the actions are listed in docs/keys.md and by ? in earshot",
            "keys.toml:4: unknown action moveDown in [queue] (the action is called down); the actions are listed in docs/keys.md and by ? in earshot",
            #"keys.toml:5: claim in [queue] must be a key name or a list of them, like claim = "F5" or claim = ["F5", "C-x"]; claim keeps its default keys (c)"#,
            #"keys.toml:6: assign in [queue] must be a key name or a list of them, like assign = "F5" or assign = ["F5", "C-x"]; assign keeps its default keys (a)"#,
            #"keys.toml:7: "Ctrl+u" is not a key name (for release in [queue]); write a character (c, G, ?), C-x for Ctrl-X, F1 to F24, or one of Enter, Tab, S-Tab, Backspace, Delete, Esc, Up, Down, Left, Right, Home, End, PgUp, PgDn, Insert, C-Left, C-Right, Space; release keeps its default keys (u)"#,
            "keys.toml:9: unknown section [stats]; sections are [generic], [queue], [thread], [composer]",
        ])
        // What was right still applies: the quoted key on line 8.
        #expect(keymap.action(for: .character("Z"), in: .queue) == .snooze)
        #expect(keymap.action(for: .character("c"), in: .queue) == .claim)
    }

    @Test("Not TOML at all: the parser's line, and the defaults")
    func invalidTOML() {
        let (keymap, problems) = load("[queue]\nclaim = \"C\"\nresolve = \n")
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("keys.toml:3: not valid TOML: "))
        #expect(problems[0].hasSuffix("; using the default keys"))
        #expect(keymap == Keymap.standard)
    }

    @Test("Keys that work but are hidden somewhere are warnings")
    func hiddenKeys() {
        let (keymap, problems) = KeymapLoader.parse("[generic]\nquit = [\"C-q\", \"c\"]\n[queue]\nlabel = \"?\"\n", file: "keys.toml")
        #expect(problems.map(\.severity) == [.warning, .warning])
        #expect(problems.map(\.description) == [
            #"keys.toml:2: warning: "c" for quit in [generic] does nothing in [queue] and [thread], where it is claim; pick another key if quit should work there too"#,
            #"keys.toml:4: warning: "?" for label in [queue] hides help from [generic]; help is left with F1 there"#,
        ])
        #expect(keymap.action(for: .character("?"), in: .queue) == .label)
        #expect(keymap.action(for: .character("?"), in: .thread) == .help)
        #expect(keymap.action(for: .character("c"), in: .generic) == .quit)
    }

    @Test("An empty list unbinds; repeated keys count once")
    func unbind() {
        let (keymap, problems) = load("[queue]\nreopen = []\nclaim = [\"c\", \"c\", \"F5\"]\n")
        #expect(problems.isEmpty)
        #expect(keymap.keys(for: .reopen, in: .queue).isEmpty)
        #expect(keymap.keys(for: .claim, in: .queue).map(\.name) == ["c", "F5"])
    }
}
