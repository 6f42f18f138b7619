/// RFC 4180 records: fields separated by commas, optionally double-quoted with `""` for a
/// quote; inside quotes, newlines and bare carriage returns are part of the field. Outside
/// quotes a record ends at `\n`, `\r\n` or a bare `\r`. Each record keeps its bytes verbatim
/// (for the rejects file) and its fields.
public struct CSVFramer: RecordFramer {
    public let limit: Int
    private var raw: [UInt8] = []
    private var rawLength = 0
    private var fields: [[UInt8]] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    private var quoteSeen = false
    private var afterCR = false
    private var line = 1
    private var recordLine = 1
    private var problem: String?

    public init(limit: Int) { self.limit = limit }

    /// Records and their fields, in order. Fields are nil when the record's bytes were not
    /// valid UTF-8 or a quote was misplaced; the message says which.
    public struct Record: Sendable {
        public var raw: RawRecord
        public var fields: [String]?
        public var problem: String?
    }

    private var ready: [Record] = []

    public mutating func feedRecords(_ chunk: UnsafeBufferPointer<UInt8>) -> [Record] {
        for byte in chunk { consume(byte) }
        defer { ready.removeAll(keepingCapacity: true) }
        return ready
    }

    public mutating func finishRecords() -> [Record] {
        if inQuotes {
            problem = problem ?? "a quoted field is not closed before the end of the input"
        }
        if rawLength > 0 { endRecord() }
        defer { ready.removeAll() }
        return ready
    }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [RawRecord] {
        feedRecords(chunk).map(\.raw)
    }

    public mutating func finish() -> [RawRecord] {
        finishRecords().map(\.raw)
    }

    private mutating func consume(_ byte: UInt8) {
        if afterCR {
            // A record ended at \r: this byte starts the next line, unless it is the \n of \r\n.
            afterCR = false
            line += 1
            recordLine = line
            if byte == 0x0A { return }
        }
        if rawLength == 0 && !inQuotes && (byte == 0x0A || byte == 0x0D) {
            // Blank line between records.
            if byte == 0x0A {
                line += 1
                recordLine = line
            } else {
                afterCR = true
            }
            return
        }
        rawLength += 1
        if raw.count < limit { raw.append(byte) }
        if inQuotes {
            if byte == UInt8(ascii: "\"") {
                inQuotes = false
                quoteSeen = true
            } else {
                if byte == 0x0A { line += 1 }
                field.append(byte)
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            if quoteSeen {
                // `""` inside a quoted field: a literal quote; reopen.
                field.append(byte)
                inQuotes = true
                quoteSeen = false
            } else if field.isEmpty {
                inQuotes = true
            } else {
                problem = problem ?? "a quote appears inside an unquoted field"
                field.append(byte)
            }
        case UInt8(ascii: ","):
            fields.append(field)
            field.removeAll(keepingCapacity: true)
            quoteSeen = false
        case 0x0A:
            // Remove the terminator from the verbatim copy; the rejects file adds its own.
            if raw.count == rawLength { raw.removeLast() }
            rawLength -= 1
            endRecord()
            line += 1
            recordLine = line
        case 0x0D:
            if raw.count == rawLength { raw.removeLast() }
            rawLength -= 1
            endRecord()
            afterCR = true
        default:
            if quoteSeen { problem = problem ?? "text follows a closing quote" }
            field.append(byte)
        }
    }

    private mutating func endRecord() {
        fields.append(field)
        var texts: [String]? = []
        texts?.reserveCapacity(fields.count)
        for bytes in fields {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                texts = nil
                problem = problem ?? "invalid UTF-8"
                break
            }
            texts?.append(text)
        }
        if rawLength > limit {
            problem = "record is \(rawLength) bytes, over the \(limit)-byte limit"
            texts = nil
        }
        if problem != nil { texts = nil }
        ready.append(Record(
            raw: RawRecord(bytes: raw, line: recordLine, fullLength: rawLength > limit ? rawLength : nil),
            fields: texts, problem: problem))
        raw.removeAll(keepingCapacity: true)
        rawLength = 0
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        quoteSeen = false
        inQuotes = false
        problem = nil
    }
}
