/// Splits a stream into top-level JSON values by tracking brackets and strings: one
/// pretty-printed document, one document per line, or documents back to back all work.
/// Text between values that is not whitespace becomes its own record, so the parser
/// reports it instead of it vanishing.
///
/// A cut-off value must not swallow the values after it, so a line break ends the record
/// early in two cases: inside a string (JSON strings never hold a raw line break), and,
/// once the input has shown it holds one value per line (a value ended on the line it
/// started), anywhere inside a value. The parser then says the record is cut off.
public struct JSONValueFramer: RecordFramer {
    public let limit: Int
    private var pending: [UInt8] = []
    private var pendingLength = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var line = 1
    private var recordLine = 1
    private var started = false
    /// The last byte was `\r`: a `\n` right after it is the same line break.
    private var afterCR = false
    /// The current value has crossed a line break.
    private var spansLines = false
    /// A value ended on the line it started: the input is one value per line.
    private var lineFramed = false

    public init(limit: Int) { self.limit = limit }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>) -> [RawRecord] {
        var records: [RawRecord] = []
        for byte in chunk {
            let crlf = afterCR && byte == 0x0A
            afterCR = byte == 0x0D
            let lineBreak = byte == 0x0A || byte == 0x0D
            if lineBreak && !crlf { line += 1 }
            if !started {
                switch byte {
                case 0x20, 0x09, 0x0D, 0x0A: continue
                default:
                    started = true
                    recordLine = line
                }
            }
            if lineBreak && (inString || depth > 0 && lineFramed) {
                // Cut off: end the record here; the next line starts afresh.
                records.append(take())
                continue
            }
            if lineBreak { spansLines = true }
            keep(byte)
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 {
                    if !spansLines { lineFramed = true }
                    records.append(take())
                }
            case 0x0A where depth == 0, 0x0D where depth == 0:
                // A line of stray text outside any value.
                records.append(take())
            default: break
            }
        }
        return records
    }

    public mutating func finish() -> [RawRecord] {
        started ? [take()] : []
    }

    private mutating func keep(_ byte: UInt8) {
        pendingLength += 1
        if pending.count < limit { pending.append(byte) }
    }

    private mutating func take() -> RawRecord {
        let record = RawRecord(
            bytes: pending, line: recordLine, fullLength: pendingLength > limit ? pendingLength : nil)
        pending.removeAll(keepingCapacity: true)
        pendingLength = 0
        depth = 0
        inString = false
        escaped = false
        started = false
        spansLines = false
        return record
    }
}
