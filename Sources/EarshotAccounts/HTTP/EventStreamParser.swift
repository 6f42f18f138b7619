/// One event of a `text/event-stream` (Server-Sent Events).
public struct ServerSentEvent: Equatable, Sendable {
    /// `message` when the stream did not name it.
    public var name: String
    /// The data lines, joined with `\n`.
    public var data: String
    /// The last `id:` seen (it carries over to later events, as the standard says).
    public var id: String?
}

/// Reads a `text/event-stream` as it arrives, in chunks cut anywhere (inside a line, between
/// a CR and its LF, inside a UTF-8 sequence), by the WHATWG rules: lines end in LF, CR or
/// CRLF; a line starting with `:` is a comment (Mastodon's `:thump` heartbeat); `field: value`
/// with one space after the colon dropped; several `data:` lines join with `\n`; a blank line
/// dispatches the event, unless it has no data. mattt/EventSource does not build on Linux, and
/// this is all Earshot needs of it.
public struct EventStreamParser: Sendable {
    private var line: [UInt8] = []
    /// The last byte was a CR: an LF right after it (in this chunk or the next) ends nothing.
    private var afterCR = false
    private var sawFirstLine = false
    private var name = ""
    private var data: [String] = []
    private var hasData = false
    private var lastID: String?
    /// Comments seen so far (heartbeats); the caller watches for silence with them.
    public private(set) var comments = 0
    /// The server's `retry:` advice, in milliseconds.
    public private(set) var retryMilliseconds: Int?

    public init() {}

    /// The events completed by this chunk, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                afterCR = true
                if let event = endLine() { events.append(event) }
            case 0x0A:
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        var bytes = line
        line.removeAll(keepingCapacity: true)
        if !sawFirstLine {
            sawFirstLine = true
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a BOM
        }
        if bytes.isEmpty { return dispatch() }
        if bytes.first == UInt8(ascii: ":") {
            comments += 1
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            (field, value) = (Substring(text), "")
        }
        switch field {
        case "event": name = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        case "id" where !value.contains("\0"): lastID = String(value)
        case "retry": if let milliseconds = Int(value), value.allSatisfy(\.isNumber) { retryMilliseconds = milliseconds }
        default: break  // unknown fields are ignored
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            name = ""
            data.removeAll()
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"), id: lastID)
    }
}
