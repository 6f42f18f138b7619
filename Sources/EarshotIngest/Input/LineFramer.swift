/// Splits on `\n` (a trailing `\r` is dropped). Empty lines are skipped. A line longer than
/// `limit` is cut to `limit` bytes and flagged, and the rest of it is skipped without
/// being buffered, so one huge line cannot exhaust memory.
public struct LineFramer: RecordFramer {
    public let limit: Int
    private var pending: [UInt8] = []
    private var pendingLength = 0
    private var pendingLine = 1
    private var nextLine = 1

    public init(limit: Int) { self.limit = limit }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [RawRecord] {
        var records: [RawRecord] = []
        var start = 0
        while start < chunk.count {
            guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
                append(UnsafeBufferPointer(rebasing: chunk[start...]))
                break
            }
            append(UnsafeBufferPointer(rebasing: chunk[start..<newline]))
            if let record = takeRecord() { records.append(record) }
            nextLine += 1
            pendingLine = nextLine
            start = newline + 1
        }
        return records
    }

    public mutating func finish() -> [RawRecord] {
        defer { pendingLine = nextLine }
        return takeRecord().map { [$0] } ?? []
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        pendingLength += bytes.count
        let room = limit + 1 - pending.count  // one extra byte to see a trailing \r
        if room > 0 { pending.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func takeRecord() -> RawRecord? {
        defer {
            pending.removeAll(keepingCapacity: true)
            pendingLength = 0
        }
        var length = pendingLength
        if pending.last == 0x0D && length == pending.count {
            pending.removeLast()
            length -= 1
        }
        if length == 0 || pending.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) && length <= limit {
            return nil
        }
        if length > limit {
            return RawRecord(bytes: Array(pending.prefix(limit)), line: pendingLine, fullLength: length)
        }
        return RawRecord(bytes: pending, line: pendingLine)
    }
}
