import EarshotCore
import EarshotService
import Foundation

/// A reply as Bluesky gets it: an `app.bsky.feed.post` record answering the customer's post
/// (`reply.parent` is that post, `reply.root` its thread's root), in the customer's languages,
/// with the customer's `@handle` (put first when the text does not name it) and every link
/// made rich text through facets, whose offsets count **UTF-8 bytes**.
struct BlueskyReply {
    var text: String
    var record: [String: Any]

    /// Bluesky's limits on a post's text.
    static let maximumGraphemes = 300
    static let maximumBytes = 3000

    enum Problem: Error, CustomStringConvertible {
        case tooLong(graphemes: Int, bytes: Int)
        case unknownPost

        var description: String {
            switch self {
            case let .tooLong(graphemes, bytes):
                "the reply is \(graphemes) characters (\(bytes) bytes); a Bluesky post holds at most \(BlueskyReply.maximumGraphemes) (\(BlueskyReply.maximumBytes) bytes): shorten it"
            case .unknownPost:
                "the customer's post could not be read back (its uri and cid), so the reply cannot say what it answers"
            }
        }
    }

    init(request: DeliveryRequest, now: Timestamp) throws(Problem) {
        guard let payload = request.answeredPayload,
              let notification = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any],
              let uri = notification["uri"] as? String, let cid = notification["cid"] as? String else { throw .unknownPost }
        let author = notification["author"] as? [String: Any]
        let theirs = notification["record"] as? [String: Any]
        let handle = "@" + request.customer
        text = Self.names(request.text, handle) ? request.text : handle + " " + request.text
        let graphemes = text.count, bytes = text.utf8.count
        guard graphemes <= Self.maximumGraphemes, bytes <= Self.maximumBytes else { throw .tooLong(graphemes: graphemes, bytes: bytes) }
        let parent: [String: Any] = ["uri": uri, "cid": cid]
        let root = ((theirs?["reply"] as? [String: Any])?["root"] as? [String: Any]) ?? parent
        var record: [String: Any] = [
            "$type": "app.bsky.feed.post", "text": text, "createdAt": now.iso8601, "reply": ["root": root, "parent": parent],
        ]
        if let langs = theirs?["langs"] as? [String], !langs.isEmpty { record["langs"] = langs }
        let facets = Self.facets(in: text, handle: handle, did: author?["did"] as? String)
        if !facets.isEmpty { record["facets"] = facets }
        self.record = record
    }

    /// Whether `text` names `handle` as a word of its own (`@kim` is not in `@kimberly`).
    static func names(_ text: String, _ handle: String) -> Bool {
        text.split(whereSeparator: { $0.isWhitespace }).contains { word in
            word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,!?:;")) == handle.lowercased()
        }
    }

    /// The mention of the customer (to their DID) and each link, at their UTF-8 byte ranges.
    static func facets(in text: String, handle: String, did: String?) -> [[String: Any]] {
        var facets: [[String: Any]] = []
        let bytes = Array(text.utf8)
        if let did, let range = byteRange(of: handle, in: bytes) {
            facets.append(facet(range, ["$type": "app.bsky.richtext.facet#mention", "did": did]))
        }
        var searchFrom = 0
        for scheme in ["https://", "http://"] {
            searchFrom = 0
            while let start = byteRange(of: scheme, in: bytes, from: searchFrom)?.lowerBound {
                var end = start
                while end < bytes.count, !Self.isSpace(bytes[end]) { end += 1 }
                while end > start, [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ")")].contains(bytes[end - 1]) { end -= 1 }
                let uri = String(decoding: bytes[start..<end], as: UTF8.self)
                facets.append(facet(start..<end, ["$type": "app.bsky.richtext.facet#link", "uri": uri]))
                searchFrom = end
            }
        }
        return facets.sorted { (($0["index"] as? [String: Int])?["byteStart"] ?? 0) < (($1["index"] as? [String: Int])?["byteStart"] ?? 0) }
    }

    private static func facet(_ range: Range<Int>, _ feature: [String: Any]) -> [String: Any] {
        ["index": ["byteStart": range.lowerBound, "byteEnd": range.upperBound], "features": [feature]]
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }

    /// The first occurrence of `needle` as a whole word, at byte offsets of `bytes`.
    static func byteRange(of needle: String, in bytes: [UInt8], from: Int = 0) -> Range<Int>? {
        // ASCII letters compared without case (handles are case-insensitive); offsets stay the text's own.
        let lower = { (byte: UInt8) in byte >= 65 && byte <= 90 ? byte + 32 : byte }
        let target = Array(needle.utf8).map(lower)
        guard !target.isEmpty, bytes.count >= target.count, from <= bytes.count - target.count else { return nil }
        for start in from...(bytes.count - target.count) where bytes[start..<(start + target.count)].map(lower) == target {
            let before = start == 0 || isSpace(bytes[start - 1])
            let after = start + target.count
            let wordEnds = needle.hasPrefix("http") || after == bytes.count || isSpace(bytes[after])
                || [UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "!"), UInt8(ascii: "?"), UInt8(ascii: ":")].contains(bytes[after])
            if before && wordEnds { return start..<after }
        }
        return nil
    }
}
