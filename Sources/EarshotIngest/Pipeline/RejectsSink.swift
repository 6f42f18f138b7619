import Foundation

/// Keeps rejected records verbatim in a file, one per line as they arrived, so that they can
/// be fixed and ingested again; optionally also writes each reason to a `.reason` file. The
/// files are created on the first rejection only.
public final class RejectsSink {
    public let path: String
    public let reasonPath: String?
    /// Written once before the first record (a CSV header, so the file is itself importable).
    public var preamble: [UInt8]?
    private var records: FileHandle?
    private var reasons: FileHandle?
    public private(set) var count = 0

    public init(path: String, reasonPath: String? = nil) {
        self.path = path
        self.reasonPath = reasonPath
    }

    public func reject(bytes: [UInt8], reason: String) throws {
        if records == nil {
            records = try Self.create(path)
            if let preamble { records?.write(Data(preamble + [0x0A])) }
            if let reasonPath { reasons = try Self.create(reasonPath) }
        }
        records?.write(Data(bytes + [0x0A]))
        reasons?.write(Data((reason + "\n").utf8))
        count += 1
    }

    public func close() {
        try? records?.close()
        try? reasons?.close()
        records = nil
        reasons = nil
    }

    private static func create(_ path: String) throws -> FileHandle {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        // Customer text: private like the database.
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw IngestFailure("cannot create the rejects file \(path); pass --rejects PATH somewhere writable")
        }
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
}
