import Foundation

/// The Markdown tables in docs/keys.md, generated from the action table; a test fails when the
/// page and the table differ (`RECORD_SNAPSHOTS=1` rewrites the page's generated parts).
public enum KeysReference {
    /// Default keys: one row per action, one column per context.
    public static func defaultsTable(_ table: ActionTable = .standard) -> String {
        let contexts = KeyContext.allCases
        var lines = ["| action | " + contexts.map { "[\($0.rawValue)]" }.joined(separator: " | ") + " | what it does |"]
        lines.append("|---|" + contexts.map { _ in "---|" }.joined() + "---|")
        for entry in table.entries {
            let cells = contexts.map { context in
                (entry.defaults[context] ?? []).map { "`\($0.name)`" }.joined(separator: " ")
            }
            let marker = entry.changesState ? " ✱" : ""
            lines.append("| `\(entry.name)`\(marker) | " + cells.joined(separator: " | ") + " | \(entry.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `:` commands: the name, what it takes, and what it does.
    public static func commandsTable(_ table: ActionTable = .standard) -> String {
        var lines = ["| command | what it does |", "|---|---|"]
        for entry in table.entries {
            // A pipe ends a table cell even inside a code span unless escaped (GitHub Markdown).
            let syntax = entry.argument.syntax.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `:\(entry.name)\(syntax.isEmpty ? "" : " " + syntax)` | \(entry.summary) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
