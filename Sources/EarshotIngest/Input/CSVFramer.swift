/// RFC 4180 records: fields separated by commas, optionally double-quoted with `""` for a
/// quote; inside quotes, newlines and bare carriage returns are part of the field. Outside
/// quotes a record ends at `\n`, `\r\n` or a bare `\r`. Each record keeps its bytes verbatim
/// (for the rejects file) and its fields.
///
/// A broken row must not swallow the rows after it: a record that runs over several lines
/// and comes out wrong (a quote problem, or not as many fields as the header, the first
/// record) is rejected as its first line alone, and the lines after it are read again as
/// rows. A quoted field still open after `limit` bytes is treated the same way, so an
/// unclosed quote costs at most `limit` bytes of re-reading and never the rest of the file.
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
    /// The header's field count, once the first record has been read.
    private var expectedFields: Int?

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
        while rawLength > 0 {
            if inQuotes {
                problem = problem ?? "a quoted field is not closed before the end of the input"
            }
            // A recovered record leaves its later lines to read again, maybe another record.
            guard let rest = endRecord() else { break }
            replay(rest)
        }
        defer { ready.removeAll() }
        return ready
    }

    /// Reads again bytes that a rejected multi-line record had taken.
    private mutating func replay(_ bytes: [UInt8]) {
        for byte in bytes { consume(byte) }
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
                if rawLength == limit && expectedFields != nil && raw.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
                    // Still inside quotes after `limit` bytes: an unclosed quote, not a field.
                    problem = problem ?? "a quoted field is not closed"
                    if let rest = endRecord() { replay(rest) }
                }
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
        case 0x0A, 0x0D:
            // Remove the terminator from the verbatim copy; the rejects file adds its own.
            if raw.count == rawLength { raw.removeLast() }
            rawLength -= 1
            if let rest = endRecord() {
                // The terminator ends the last of the lines read again.
                replay(rest + [byte])
            } else if byte == 0x0A {
                line += 1
                recordLine = line
            } else {
                afterCR = true
            }
        default:
            if quoteSeen { problem = problem ?? "text follows a closing quote" }
            field.append(byte)
        }
    }

    /// Emits the record, or, when it is a multi-line record that came out wrong, emits its
    /// first line as rejected and returns the bytes after that line to be read again.
    private mutating func endRecord() -> [UInt8]? {
        fields.append(field)
        if let expected = expectedFields, rawLength <= limit, problem != nil || fields.count != expected,
           let lineEnd = raw.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            let rest = Array(raw[lineEnd...])
            ready.append(Record(
                raw: RawRecord(bytes: Array(raw[..<lineEnd]), line: recordLine), fields: nil,
                problem: "a quoted field on this line is not closed, so it ran into the next lines; "
                    + "this line is rejected and the lines after it are read again as rows"))
            reset()
            // The rest starts with this line's terminator, which counts the line again.
            line = recordLine
            return rest
        }
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
        if let expected = expectedFields, problem == nil, fields.count != expected {
            problem = "has \(fields.count) fields where the header has \(expected)"
                + (fields.count > expected ? " (a comma in an unquoted field?)" : "")
        }
        if problem != nil { texts = nil }
        if expectedFields == nil && problem == nil { expectedFields = fields.count }
        ready.append(Record(
            raw: RawRecord(bytes: raw, line: recordLine, fullLength: rawLength > limit ? rawLength : nil),
            fields: texts, problem: problem))
        reset()
        return nil
    }

    private mutating func reset() {
        raw.removeAll(keepingCapacity: true)
        rawLength = 0
        fields.removeAll(keepingCapacity: true)
        field.removeAll(keepingCapacity: true)
        quoteSeen = false
        inQuotes = false
        problem = nil
    }
}
