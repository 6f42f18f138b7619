/// Splits on `\n`, `\r\n` or a lone `\r` (as the CSV framer does). Empty lines are skipped.
/// A line longer than `limit` is cut to `limit` bytes and flagged, and the rest of it is
/// skipped without being buffered, so one huge line cannot exhaust memory.
public struct LineFramer: RecordFramer {
    public let limit: Int
    private var pending: [UInt8] = []
    private var pendingLength = 0
    private var pendingLine = 1
    private var nextLine = 1
    /// The last line ended at `\r`: a `\n` that follows belongs to it (possibly in the next chunk).
    private var afterCR = false

    public init(limit: Int) { self.limit = limit }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [RawRecord] {
        var records: [RawRecord] = []
        var start = 0
        if afterCR, start < chunk.count {
            afterCR = false
            if chunk[0] == 0x0A { start = 1 }
        }
        while start < chunk.count {
            guard let end = chunk[start...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) else {
                append(UnsafeBufferPointer(rebasing: chunk[start...]))
                break
            }
            append(UnsafeBufferPointer(rebasing: chunk[start..<end]))
            if let record = takeRecord() { records.append(record) }
            nextLine += 1
            pendingLine = nextLine
            start = end + 1
            if chunk[end] == 0x0D {
                if start == chunk.count { afterCR = true } else if chunk[start] == 0x0A { start += 1 }
            }
        }
        return records
    }

    public mutating func finish() -> [RawRecord] {
        defer { pendingLine = nextLine }
        return takeRecord().map { [$0] } ?? []
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        pendingLength += bytes.count
        let room = limit - pending.count
        if room > 0 { pending.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func takeRecord() -> RawRecord? {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingLength = 0
        }
        let length = pendingLength
        if length == 0 || pending.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) && length <= limit {
            return nil
        }
        if length > limit {
            return RawRecord(bytes: pending, line: pendingLine, fullLength: length)
        }
        return RawRecord(bytes: pending, line: pendingLine)
    }
}
