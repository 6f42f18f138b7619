import EarshotCore
import Foundation
import GRDB
import GRDBSQLite

/// Channel, priority and status of every conversation, in arrays indexed by conversation id
/// (ids are dense), so metrics look them up without hashing a million keys.
public struct ConversationFactsTable: Sendable {
    public var channel: [Int64] = []
    public var priority: [UInt8] = []
    public var exists: [Bool] = []

    public func facts(of id: ConversationID) -> (channel: ChannelID, priority: Priority)? {
        let index = Int(id.rawValue)
        guard index >= 0, index < exists.count, exists[index] else { return nil }
        return (ChannelID(channel[index]), Priority(rawValue: Int(priority[index])) ?? .normal)
    }
}

extension SQLiteSession {
    /// Every conversation's timeline from the event log, in conversation id order.
    ///
    /// The log is read once in its own order (sequential pages, columns by position); each
    /// conversation's events are chained in flat arrays as they come, then handed over one
    /// conversation at a time. Actor names are interned, so a million events allocate a
    /// handful of strings. A conversation that absorbed another (a late parent merged two
    /// threads) gets the absorbed one's messages and replies at the point of the merge.
    func forEachTimeline(_ body: (ConversationID, [TimelineEntry]) throws -> Void) throws {
        var scan = TimelineScanBuffer()
        // Merges are rare: their details are read apart, so the main scan never touches `detail`.
        for row in try Row.fetchAll(db, sql: "SELECT conversation_id, detail FROM event WHERE kind = 'merged'") {
            if let source = Int(EventDetailCoding.decode(row[1])["from"] ?? "") { scan.absorb(source, into: Int(row[0] as Int64)) }
        }
        try scanEvents(
            try db.cachedStatement(sql: "SELECT conversation_id, kind, at, occurred_at, actor FROM event WHERE conversation_id IS NOT NULL"),
            into: &scan)
        try scan.deliver(body)
    }

    /// Steps a query whose columns are `conversation_id, kind, at, occurred_at, actor`, adding
    /// each event to `scan` (columns by position, no row objects).
    func scanEvents(_ statement: Statement, into scan: inout TimelineScanBuffer) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: statement.sql)
            }
            scan.add(handle)
        }
    }

    func conversationFacts() throws -> ConversationFactsTable {
        var table = ConversationFactsTable()
        let count = Int(try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM conversation") ?? 0) + 1
        table.channel = Array(repeating: 0, count: count)
        table.priority = Array(repeating: 1, count: count)
        table.exists = Array(repeating: false, count: count)
        let statement = try db.cachedStatement(sql: "SELECT id, channel_id, priority FROM conversation")
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        while sqlite3_step(handle) == SQLITE_ROW {
            let id = Int(sqlite3_column_int64(handle, 0))
            guard id < count else { continue }
            table.channel[id] = sqlite3_column_int64(handle, 1)
            table.priority[id] = UInt8(truncatingIfNeeded: sqlite3_column_int64(handle, 2))
            table.exists[id] = true
        }
        return table
    }
}

/// The events of all conversations, chained per conversation in flat arrays.
struct TimelineScanBuffer {
    enum Kind: UInt8 { case message, reopenedByCustomer, reopenedByPerson, reply, resolved, merged }

    private var kinds: [Kind] = []
    private var times: [Int64] = []
    private var actors: [Int32] = []
    private var next: [Int32] = []
    private var head: [Int32] = []
    private var tail: [Int32] = []
    /// Interned actor logins (nil for non-responders), and the raw bytes they were read from.
    private var actorNames: [String?] = []
    private var actorBytes: [[UInt8]] = []
    /// Merges: source conversation → target, from the `merged` events' details.
    private var absorbedInto: [Int: Int] = [:]

    mutating func absorb(_ source: Int, into target: Int) {
        absorbedInto[source] = target
    }

    mutating func add(_ handle: OpaquePointer) {
        let conversation = Int(sqlite3_column_int64(handle, 0))
        guard let kindText = sqlite3_column_text(handle, 1) else { return }
        let kindLength = Int(sqlite3_column_bytes(handle, 1))
        let hasOccurred = sqlite3_column_type(handle, 3) != SQLITE_NULL
        guard let (kind, time) = Self.classify(
            length: kindLength, first: kindText[0], third: kindLength > 2 ? kindText[2] : 0,
            at: sqlite3_column_int64(handle, 2), occurred: hasOccurred ? sqlite3_column_int64(handle, 3) : nil)
        else { return }
        let actor = kind == .reply || kind == .resolved ? intern(handle, column: 4) : -1
        append(conversation: conversation, kind: kind, time: time, actor: actor)
    }

    /// The same from values already read (the PostgreSQL store's rows).
    mutating func add(conversation: Int, kind kindName: String, at: Int64, occurred: Int64?, actor: String) {
        let bytes = Array(kindName.utf8)
        guard bytes.count > 2, let (kind, time) = Self.classify(length: bytes.count, first: bytes[0], third: bytes[2], at: at, occurred: occurred)
        else { return }
        var index: Int32 = -1
        if kind == .reply || kind == .resolved {
            let actorUTF8 = Array(actor.utf8)
            if let known = actorBytes.firstIndex(of: actorUTF8) {
                index = Int32(known)
            } else {
                actorBytes.append(actorUTF8)
                actorNames.append(actor.hasPrefix("responder:") ? String(actor.dropFirst("responder:".count)) : nil)
                index = Int32(actorBytes.count - 1)
            }
        }
        append(conversation: conversation, kind: kind, time: time, actor: index)
    }

    /// Which timeline entry an event kind makes and at what time, from the kind's length and
    /// two of its letters (no string is made per event).
    private static func classify(length: Int, first: UInt8, third: UInt8, at: Int64, occurred: Int64?) -> (Kind, Int64)? {
        switch (length, first, third) {
        case (6, UInt8(ascii: "o"), _), (8, UInt8(ascii: "i"), _):  // opened, ingested
            guard let occurred else { return nil }
            return (.message, occurred)
        case (8, UInt8(ascii: "r"), UInt8(ascii: "o")):  // reopened
            return occurred.map { (.reopenedByCustomer, $0) } ?? (.reopenedByPerson, at)
        case (7, UInt8(ascii: "r"), UInt8(ascii: "p")):  // replied
            return (.reply, occurred ?? at)
        case (8, UInt8(ascii: "r"), UInt8(ascii: "s")):  // resolved
            return (.resolved, at)
        case (6, UInt8(ascii: "m"), _):  // merged
            return (.merged, at)
        default:
            return nil
        }
    }

    private mutating func append(conversation: Int, kind: Kind, time: Int64, actor: Int32) {
        if conversation >= head.count {
            let size = max(conversation + 1, head.count * 2)
            head += Array(repeating: -1, count: size - head.count)
            tail += Array(repeating: -1, count: size - tail.count)
        }
        let index = Int32(kinds.count)
        kinds.append(kind)
        times.append(time)
        actors.append(actor)
        next.append(-1)
        if tail[conversation] >= 0 { next[Int(tail[conversation])] = index } else { head[conversation] = index }
        tail[conversation] = index
    }

    /// The index of an actor's login, reading the column's bytes and comparing them with the
    /// few distinct actors seen so far (there are as many as responders).
    private mutating func intern(_ handle: OpaquePointer, column: Int32) -> Int32 {
        guard let text = sqlite3_column_text(handle, column) else { return -1 }
        let length = Int(sqlite3_column_bytes(handle, column))
        let bytes = UnsafeBufferPointer(start: text, count: length)
        for index in actorBytes.indices where actorBytes[index].count == length {
            let same = length == 0 || actorBytes[index].withUnsafeBufferPointer { known in
                known.baseAddress.map { memcmp($0, text, length) == 0 } ?? false
            }
            if same { return Int32(index) }
        }
        let actor = String(decoding: bytes, as: UTF8.self)
        actorBytes.append(Array(bytes))
        actorNames.append(actor.hasPrefix("responder:") ? String(actor.dropFirst("responder:".count)) : nil)
        return Int32(actorBytes.count - 1)
    }

    private func entries(of conversation: Int, into result: inout [TimelineEntry], absorbed: [Int: [Int]]) {
        guard conversation < head.count else { return }
        var pendingSources = absorbed[conversation]?.sorted()[...] ?? []
        var cursor = head[conversation]
        while cursor >= 0 {
            let index = Int(cursor)
            let time = Timestamp(millisecondsSinceEpoch: times[index])
            let actor = actors[index] >= 0 ? actorNames[Int(actors[index])] : nil
            switch kinds[index] {
            case .message: result.append(.customerMessage(at: time))
            case .reopenedByCustomer:
                result.append(.cycleStarted(at: time))
                result.append(.customerMessage(at: time))
            case .reopenedByPerson: result.append(.cycleStarted(at: time))
            case .reply: result.append(.reply(at: time, responder: actor ?? "system"))
            case .resolved:
                // An absorbed conversation's own resolve only marked the merge.
                if absorbedInto[conversation] == nil { result.append(.resolved(at: time, by: actor)) }
            case .merged:
                if let source = pendingSources.popFirst() { entries(of: source, into: &result, absorbed: absorbed) }
            }
            cursor = next[index]
        }
    }

    func deliver(_ body: (ConversationID, [TimelineEntry]) throws -> Void) throws {
        let absorbed = Dictionary(grouping: absorbedInto.keys, by: { absorbedInto[$0]! })
        var buffer: [TimelineEntry] = []
        for conversation in 0..<head.count where head[conversation] >= 0 && absorbedInto[conversation] == nil {
            buffer.removeAll(keepingCapacity: true)
            entries(of: conversation, into: &buffer, absorbed: absorbed)
            try body(ConversationID(Int64(conversation)), buffer)
        }
    }
}
