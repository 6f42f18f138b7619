import Testing
@testable import EarshotTUI

@Suite("Action table and keymap")
struct ActionTableTests {
    let table = ActionTable.standard
    let keymap = Keymap.standard

    @Test("Every action has exactly one entry, named by its raw value")
    func oneEntryEach() {
        #expect(table.entries.map(\.action).sorted { $0.rawValue < $1.rawValue } == ActionID.allCases.sorted { $0.rawValue < $1.rawValue })
        for entry in table.entries {
            #expect(entry.name == entry.action.rawValue)
            #expect(!entry.summary.isEmpty)
            // The help overlay gives the summary about 50 columns at 80x24.
            #expect(entry.summary.count <= 50, "\(entry.name): summary too long for the help overlay")
            #expect(table.entry(named: entry.name)?.action == entry.action)
        }
    }

    @Test("The defaults the issue asks for")
    func requiredDefaults() {
        let expected: [(ActionID, KeyContext, [String])] = [
            (.moveDown, .queue, ["j", "Down"]), (.moveUp, .queue, ["k", "Up"]),
            (.moveDown, .thread, ["j", "Down"]), (.moveUp, .thread, ["k", "Up"]),
            (.top, .queue, ["g", "Home"]), (.bottom, .queue, ["G", "End"]),
            (.pageUp, .queue, ["PgUp"]), (.pageDown, .queue, ["PgDn"]), (.open, .queue, ["Enter"]),
            (.nextPane, .generic, ["Tab"]), (.previousPane, .generic, ["S-Tab"]),
            (.claim, .queue, ["c"]), (.assign, .queue, ["a"]), (.release, .queue, ["u"]), (.reply, .queue, ["r"]),
            (.note, .queue, ["n"]), (.resolve, .queue, ["e"]), (.snooze, .queue, ["s"]), (.priority, .queue, ["p"]),
            (.label, .queue, ["l"]), (.claim, .thread, ["c"]), (.resolve, .thread, ["e"]),
            (.search, .generic, ["/"]), (.filter, .generic, ["\\"]), (.commandLine, .generic, [":"]),
            (.switchView, .generic, ["v"]), (.redraw, .generic, ["C-l"]), (.back, .generic, ["q"]),
            (.help, .generic, ["?", "F1"]), (.quit, .generic, ["C-c"]), (.suspend, .generic, ["C-z"]),
            (.reopen, .queue, ["O"]), (.undoSend, .queue, ["U"]), (.retrySend, .queue, ["R"]),
            (.availability, .generic, ["A"]), (.send, .composer, ["C-s", "F2"]), (.cancelCompose, .composer, ["Esc"]),
        ]
        for (action, context, names) in expected {
            #expect(keymap.keys(for: action, in: context).map(\.name) == names, "\(action.rawValue) in [\(context.rawValue)]")
        }
    }

    @Test("No action that changes the inbox is on a navigation key")
    func nothingDestructiveOnNavigation() {
        // The navigation keys the rule protects, spelt out so the test does not trust Key.isNavigation alone.
        let navigation = ["j", "k", "g", "G", "Space", "Up", "Down", "Left", "Right", "Home", "End", "PgUp", "PgDn", "Enter", "Tab", "S-Tab"]
        for name in navigation { #expect(Key(name: name)?.isNavigation == true, "\(name)") }
        let stateChanging: Set<ActionID> = [.claim, .assign, .release, .resolve, .reopen, .snooze, .priority, .label, .triageClass, .undoSend, .retrySend, .availability, .wave, .send, .cancelCompose, .quit]
        #expect(Set(table.entries.filter(\.changesState).map(\.action)) == stateChanging)
        for entry in table.entries where entry.changesState {
            for (context, keys) in entry.defaults {
                for key in keys { #expect(!key.isNavigation, "\(entry.name) on \(key.name) in [\(context.rawValue)]") }
            }
        }
    }

    @Test("The composer binds only Ctrl keys, function keys and Esc, none the editor uses")
    func composerKeys() {
        for entry in table.entries {
            for key in entry.defaults[.composer] ?? [] {
                #expect(key.isAllowedInComposer, "\(entry.name) on \(key.name)")
                #expect(!TextEditor.usesKey(key))
            }
        }
    }

    @Test("Defaults never clash, and no context hides a generic default")
    func noClashes() {
        for context in KeyContext.allCases {
            #expect(keymap.conflicts(in: context).isEmpty, "[\(context.rawValue)]")
        }
        for entry in table.entries {
            for key in entry.defaults[.generic] ?? [] {
                for context in KeyContext.allCases where context != .generic {
                    let bound = keymap.actionBound(to: key, in: context)
                    #expect(bound == nil || bound == entry.action, "\(key.name): \(entry.name) hidden by \(bound?.rawValue ?? "") in [\(context.rawValue)]")
                }
            }
        }
    }

    @Test("Default keys are written as names keys.toml accepts")
    func namesRoundTrip() {
        for entry in table.entries {
            for key in entry.defaults.values.joined() {
                #expect(KeysFileReader.key(named: key.name) == key, "\(key.name)")
            }
        }
    }

    @Test("Lookup: the focused context, then generic; the composer keeps typing keys")
    func lookup() {
        #expect(keymap.action(for: .character("c"), in: .queue) == .claim)
        #expect(keymap.action(for: .character("c"), in: .generic) == nil)
        #expect(keymap.action(for: .character("?"), in: .queue) == .help)
        #expect(keymap.action(for: .control("c"), in: .thread) == .quit)
        #expect(keymap.action(for: .enter, in: .queue) == .open)
        #expect(keymap.action(for: .enter, in: .thread) == nil)
        // In the composer: printable and editing keys are the editor's, even generic ones.
        #expect(keymap.action(for: .character("q"), in: .composer) == nil)
        #expect(keymap.action(for: .character("?"), in: .composer) == nil)
        #expect(keymap.action(for: .enter, in: .composer) == nil)
        #expect(keymap.action(for: .control("u"), in: .composer) == nil)
        #expect(keymap.action(for: .control("c"), in: .composer) == .quit)
        #expect(keymap.action(for: .function(1), in: .composer) == .help)
        #expect(keymap.action(for: .control("s"), in: .composer) == .send)
        #expect(keymap.action(for: .escape, in: .composer) == .cancelCompose)
        #expect(keymap.action(for: .escape, in: .queue) == nil)
        #expect(keymap.effectiveKeys(for: .help, in: .composer).map(\.name) == ["F1"])
        #expect(keymap.effectiveKeys(for: .help, in: .queue).map(\.name) == ["?", "F1"])
    }

    @Test("A programmatic rebinding that clashes resolves in table order")
    func bindReplaces() {
        var keymap = Keymap.standard
        keymap.bind(.claim, to: [.character("C"), .character("C")], in: .queue)
        #expect(keymap.keys(for: .claim, in: .queue) == [.character("C")])
        #expect(keymap.action(for: .character("c"), in: .queue) == nil)
        #expect(keymap.action(for: .character("c"), in: .thread) == .claim)
        keymap.bind(.resolve, to: [.character("C")], in: .queue)
        #expect(keymap.conflicts(in: .queue).map(\.actions) == [[.claim, .resolve]])
        #expect(keymap.action(for: .character("C"), in: .queue) == .claim)
        #expect(keymap != Keymap.standard)
    }
}
