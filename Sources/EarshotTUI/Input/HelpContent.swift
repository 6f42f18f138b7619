/// What the `?` overlay lists, built from the keymap so a rebinding shows up in help: for each
/// context the keys, command name and help line of every bound action, then the composer's
/// editing keys and any action left without a key (still a `:` command).
public struct HelpContent: Sendable, Equatable {
    /// One line: `c        claim          Take the selected conversation`.
    public struct Line: Sendable, Equatable {
        /// Key names separated by spaces (`j Down`); empty for a command without a key.
        public let keys: String
        /// The command name (empty for an editing key, which is not an action).
        public let name: String
        public let summary: String
    }

    /// A group of lines under a heading.
    public struct Section: Sendable, Equatable {
        public let title: String
        public let lines: [Line]
    }

    /// The overlay's title, naming the keys that close it.
    public let title: String
    public let sections: [Section]
    /// Width of the keys column (the widest action keys, within reason).
    public let keysWidth: Int
    /// Width of the name column.
    public let nameWidth: Int

    public init(keymap: Keymap) {
        let table = keymap.table
        func line(_ entry: ActionTable.Entry, _ keys: [Key]) -> Line {
            Line(keys: keys.map(\.name).joined(separator: " "), name: entry.name, summary: entry.summary)
        }
        func section(_ title: String, _ context: KeyContext, where include: (ActionTable.Entry) -> Bool = { _ in true }) -> Section {
            Section(title: title, lines: table.entries.compactMap { entry in
                let keys = keymap.keys(for: entry.action, in: context)
                return keys.isEmpty || !include(entry) ? nil : line(entry, keys)
            })
        }
        // Queue and thread share most keys; listing them once keeps the overlay short.
        let shared = { (entry: ActionTable.Entry) in
            keymap.keys(for: entry.action, in: .queue) == keymap.keys(for: entry.action, in: .thread)
        }
        var sections = [
            section("Everywhere (in the composer only the keys that do not type)", .generic),
            section("Queue and thread", .queue, where: shared),
            section("Queue", .queue) { !shared($0) },
            section("Thread", .thread) { !shared($0) },
            section("Composer", .composer),
            Section(title: "Composer editing", lines: TextEditor.keyHelp.map { Line(keys: $0.keys, name: "", summary: $0.summary) }),
        ]
        let unbound = table.entries.filter { entry in KeyContext.allCases.allSatisfy { keymap.keys(for: entry.action, in: $0).isEmpty } }
        sections.append(Section(title: "No key: type :name", lines: unbound.map { line($0, []) }))
        self.sections = sections.filter { !$0.lines.isEmpty }

        let actionLines = self.sections.flatMap(\.lines).filter { !$0.name.isEmpty }
        keysWidth = min(12, max(4, actionLines.map { DisplayWidth.width(of: $0.keys) }.max() ?? 0))
        nameWidth = actionLines.map { DisplayWidth.width(of: $0.name) }.max() ?? 0
        let closing = [ActionID.help, .back].compactMap { keymap.keys(for: $0, in: .generic).first?.name }
        title = closing.isEmpty ? "Keys" : "Keys — press \(closing.joined(separator: " or ")) to close"
    }

    /// A line laid out in columns. Keys wider than their column push the name along; an
    /// editing line (no name) lets its keys run into the name column.
    public func text(of line: Line) -> String {
        let left = line.name.isEmpty ? line.keys : DisplayWidth.fit(line.keys, toWidth: max(keysWidth, DisplayWidth.width(of: line.keys))) + "  " + line.name
        return DisplayWidth.fit(left, toWidth: max(keysWidth + 2 + nameWidth, DisplayWidth.width(of: left))) + "  " + line.summary
    }

    /// One row of the overlay.
    public enum Row: Sendable, Equatable {
        case heading(String)
        case line(String)
        case blank
    }

    /// Every row in order: each section's heading and lines, a blank row between sections.
    public var rows: [Row] {
        var rows: [Row] = []
        for section in sections {
            if !rows.isEmpty { rows.append(.blank) }
            rows.append(.heading(section.title))
            rows += section.lines.map { .line(text(of: $0)) }
        }
        return rows
    }

    /// The rows as plain text (headings as they are, blank rows empty).
    public var textLines: [String] {
        rows.map {
            switch $0 {
            case .heading(let text), .line(let text): text
            case .blank: ""
            }
        }
    }
}
