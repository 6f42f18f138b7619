import Foundation

/// A spool directory through which an external fetcher hands mentions over, maildir style:
/// the fetcher writes a file into `tmp/` and renames it into `new/` (a rename is atomic, so
/// Earshot never reads half a file). Earshot ingests each file in `new/` and moves it to
/// `done/`; a file with rejected records also leaves `rejected/NAME.rejects` (the records
/// verbatim) and `rejected/NAME.reason` (one `FILE:LINE: message` per record); a name
/// already there is numbered (`NAME.1.rejects` with `NAME.1.reason`), never overwritten.
///
/// A file is moved only after its records are committed, so an ingest killed mid-file
/// processes the file again on the next start, and idempotent inserts store each mention once.
public struct SpoolDirectory: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var newDirectory: String { root + "/new" }
    public var doneDirectory: String { root + "/done" }
    public var rejectedDirectory: String { root + "/rejected" }
    public var tmpDirectory: String { root + "/tmp" }

    /// Creates the four subdirectories when missing.
    public func prepare() throws {
        for directory in [newDirectory, doneDirectory, rejectedDirectory, tmpDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Files waiting in `new/`, oldest name first; dot files (being written) are skipped.
    public func waitingFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: newDirectory)
            .filter { !$0.hasPrefix(".") }
            .sorted()
    }

    /// Ingests every waiting file once. Returns what happened to each, in order.
    public func processWaiting(with pipeline: IngestPipeline) throws -> [(name: String, summary: IngestSummary)] {
        var results: [(String, IngestSummary)] = []
        for name in try waitingFiles() {
            let path = newDirectory + "/" + name
            let rejects = RejectsSink(
                path: rejectedDirectory + "/" + name + ".rejects", reasonPath: rejectedDirectory + "/" + name + ".reason")
            let summary = pipeline.ingest(.file(path), rejects: rejects)
            if !summary.failureMessages.isEmpty {
                // The whole file failed (unreadable, unknown format, empty): say why beside it.
                // Under a new name when taken, as rejects are: never over an earlier file's reasons.
                let reasons = RejectsSink(path: rejectedDirectory + "/" + name + ".reason")
                for message in summary.failureMessages { reasons.reject(bytes: Array(message.utf8), reason: message) }
                reasons.close()
            }
            try move(path, to: doneDirectory + "/" + name)
            results.append((name, summary))
        }
        return results
    }

    /// Renames into place; an existing file of the same name gets a numbered sibling instead.
    private func move(_ source: String, to destination: String) throws {
        var target = destination
        var attempt = 1
        while FileManager.default.fileExists(atPath: target) {
            target = destination + ".\(attempt)"
            attempt += 1
        }
        guard rename(source, target) == 0 else {
            throw IngestFailure("cannot move \(source) to \(target): \(String(cString: strerror(errno)))")
        }
    }
}
