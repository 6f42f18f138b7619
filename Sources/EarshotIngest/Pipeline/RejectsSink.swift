import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps rejected records verbatim in a file, one per line as they arrived, so that they can
/// be fixed and ingested again; optionally also writes each reason to a `.reason` file. The
/// files are created on the first rejection only.
///
/// A rejects file is never overwritten: when the name is taken (an earlier run, another
/// input of the same name, a second stdin ingest in the same second), the file is created as
/// `NAME.1.rejects`, `NAME.2.rejects`... (with `O_EXCL`, so two runs at once cannot pick the
/// same name). When the wanted folder is not writable, the file goes to `fallbackDirectory`;
/// when nothing is writable, rejects are still reported and counted, and `note` says why
/// they were not kept. A rejects problem never stops an ingest.
public final class RejectsSink {
    /// The file the records went to once created; before that, the wanted path.
    public private(set) var path: String
    /// The reasons file beside it, when asked for.
    public private(set) var reasonPath: String?
    /// Where to keep rejects when the wanted folder cannot be written.
    public let fallbackDirectory: String?
    /// Written once before the first record (a CSV header, so the file is itself importable).
    public var preamble: [UInt8]?
    /// Why the rejects are not where they were wanted, or not kept at all; nil when all went well.
    public private(set) var note: String?
    /// True once the records are in a file.
    public var isKept: Bool { records != nil }
    private var records: FileHandle?
    private var reasons: FileHandle?
    private var opened = false
    public private(set) var count = 0

    public init(path: String, reasonPath: String? = nil, fallbackDirectory: String? = nil) {
        self.path = path
        self.reasonPath = reasonPath
        self.fallbackDirectory = fallbackDirectory
    }

    public func reject(bytes: [UInt8], reason: String) {
        if !opened {
            opened = true
            open()
        }
        count += 1
        records?.write(Data(bytes + [0x0A]))
        reasons?.write(Data((reason + "\n").utf8))
    }

    public func close() {
        try? records?.close()
        try? reasons?.close()
        records = nil
        reasons = nil
    }

    private func open() {
        let wanted = (path as NSString).deletingLastPathComponent
        let failure: String
        do {
            try create(in: wanted)
            return
        } catch {
            failure = "cannot write \(path): \(error)"
        }
        if let fallbackDirectory, fallbackDirectory != wanted {
            path = fallbackDirectory + "/" + (path as NSString).lastPathComponent
            reasonPath = reasonPath.map { fallbackDirectory + "/" + ($0 as NSString).lastPathComponent }
            do {
                try create(in: fallbackDirectory)
                note = failure
                return
            } catch {
                note = "\(failure); nor \(path): \(error); pass --rejects-dir DIR somewhere writable"
                return
            }
        }
        note = "\(failure); pass --rejects-dir DIR somewhere writable"
    }

    /// Creates the files under the first free name, numbering it when taken.
    private func create(in directory: String) throws {
        if !directory.isEmpty { try Self.makeDirectories(directory) }
        let base = path, reasonBase = reasonPath
        for attempt in 0..<10_000 {
            let candidate = Self.numbered(base, attempt)
            let reasonCandidate = reasonBase.map { Self.numbered($0, attempt) }
            guard let handle = try Self.createExclusively(candidate) else { continue }
            if let reasonCandidate {
                guard let reasonHandle = try Self.createExclusively(reasonCandidate) else {
                    try? handle.close()
                    unlink(candidate)
                    continue
                }
                reasons = reasonHandle
            }
            records = handle
            path = candidate
            reasonPath = reasonCandidate
            if let preamble { handle.write(Data(preamble + [0x0A])) }
            return
        }
        throw IngestFailure("every numbered name is taken")
    }

    /// `feed.jsonl.rejects` numbered 2 is `feed.jsonl.2.rejects`: the extension stays last.
    static func numbered(_ path: String, _ attempt: Int) -> String {
        guard attempt > 0 else { return path }
        let name = path as NSString
        let ext = name.pathExtension
        return ext.isEmpty ? "\(path).\(attempt)" : "\(name.deletingPathExtension).\(attempt).\(ext)"
    }

    /// `mkdir -p`, failing with the system's words ("Not a directory", "Permission denied").
    private static func makeDirectories(_ directory: String) throws {
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw IngestFailure("cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// A new file, mode 0600 (customer text, private like the database); nil when the name is taken.
    private static func createExclusively(_ path: String) throws -> FileHandle? {
        let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) }
        if errno == EEXIST { return nil }
        throw IngestFailure(String(cString: strerror(errno)))
    }
}
