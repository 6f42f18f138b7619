import Foundation
import Testing
import EarshotTUI

/// Snapshot tests of cell buffers, stored as text in Snapshots/ beside this file.
///
/// A snapshot holds the size, every row (trailing spaces trimmed: they are blank cells) and then
/// the styled runs (``CellBuffer/styleRuns()``). `RECORD_SNAPSHOTS=1 swift test ...` rewrites
/// the files; a mismatch records an issue listing the rows that differ.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// The text a snapshot file holds for `buffer`.
    static func render(_ buffer: CellBuffer) -> String {
        var text = "\(buffer.width)x\(buffer.height)\n"
        for line in buffer.lines() {
            text += String(line.reversed().drop(while: { $0 == " " }).reversed()) + "\n"
        }
        text += "-- styles --\n"
        for run in buffer.styleRuns() { text += run + "\n" }
        return text
    }

    static func assertMatches(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = directory.appendingPathComponent(name + ".txt")
        let actual = render(buffer)
        let expected = try? String(contentsOf: file, encoding: .utf8)
        if isRecording || expected == nil {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            do {
                try actual.write(to: file, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot write snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
            }
            if expected == nil && !isRecording {
                Issue.record("no snapshot \(name).txt yet: recorded it now; review it and commit it", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected, expected != actual else { return }
        let message = "snapshot \(name).txt differs (rerun with RECORD_SNAPSHOTS=1 to accept):\n" + diff(expected: expected, actual: actual)
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    /// Row-by-row differences: `-` the snapshot, `+` what was drawn.
    static func diff(expected: String, actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var report = ""
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : nil
            let after = index < new.count ? String(new[index]) : nil
            guard before != after else { continue }
            report += "line \(index + 1):\n"
            if let before { report += "- |\(before)|\n" }
            if let after { report += "+ |\(after)|\n" }
        }
        return report
    }
}
