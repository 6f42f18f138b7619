import Foundation
import Testing
import EarshotTUI

/// docs/keys.md holds tables generated from the action table; this keeps them in sync.
@Suite("docs/keys.md")
struct KeysDocumentTests {
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/keys.md")

    @Test("The generated tables match the action table", arguments: ["defaults", "commands"])
    func inSync(name: String) throws {
        let generated = name == "defaults" ? KeysReference.defaultsTable() : KeysReference.commandsTable()
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        let begin = "<!-- generated: \(name) (swift test rewrites this with RECORD_SNAPSHOTS=1) -->\n"
        let end = "<!-- end generated: \(name) -->"
        guard let start = text.range(of: begin), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else {
            Issue.record("docs/keys.md has no \(begin.dropLast()) ... \(end) block")
            return
        }
        let current = String(text[start.upperBound..<stop.lowerBound])
        if current == generated { return }
        if Snapshot.isRecording {
            try (text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: generated)).write(to: Self.file, atomically: true, encoding: .utf8)
            return
        }
        Issue.record(Comment(rawValue: "docs/keys.md's \(name) table differs from ActionTable.standard (rerun with RECORD_SNAPSHOTS=1 to rewrite it):\n" + Snapshot.diff(expected: current, actual: generated)))
    }
}
