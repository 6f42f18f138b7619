/// One record cut from an input, before any parsing: its bytes verbatim (for the rejects
/// file) and where it started.
public struct RawRecord: Sendable {
    public var bytes: [UInt8]
    /// 1-based line of the record's first byte.
    public var line: Int
    /// Set when the record was longer than the framer's limit; `bytes` then holds only the
    /// first `limit` bytes and `fullLength` the real size.
    public var fullLength: Int?

    public init(bytes: [UInt8], line: Int, fullLength: Int? = nil) {
        self.bytes = bytes
        self.line = line
        self.fullLength = fullLength
    }

    /// The bytes as text for the rejects file and messages; invalid UTF-8 is kept as is there
    /// (the rejects file is written from `bytes`), repaired only here.
    public var lossyText: String { String(decoding: bytes, as: UTF8.self) }
}

/// Cuts a byte stream into records. Feed chunks as they arrive; records come out as soon
/// as they are complete, so a slow pipe (`tail -f`) is processed line by line.
public protocol RecordFramer {
    mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [RawRecord]
    /// The last record when the input did not end with a terminator.
    mutating func finish() -> [RawRecord]
}
