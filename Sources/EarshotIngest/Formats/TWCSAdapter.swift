import EarshotCore

/// The "Customer Support on Twitter" CSV (Kaggle, ThoughtVector): columns `tweet_id,
/// author_id, inbound, created_at, text, response_tweet_id, in_response_to_tweet_id`.
/// Inbound rows are customer mentions; outbound rows are the brand's own replies, turned
/// into sent replies so latency history is real. Brands (outbound authors) become channels.
public struct TWCSAdapter {
    public static let recordLimit = 256 * 1024
    static let columns = [
        "tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id",
    ]

    private var columnIndex: [String: Int]?
    /// Brand names by lowercased name, as they are spelled in `author_id`.
    private var brands: [String: String] = [:]
    /// Which brand posted an outbound tweet, and how inbound tweets link to others (filled by
    /// `learn` before a file import), so a customer's follow-up that names no brand can take
    /// the brand of its thread. Which @mentions are brands is decided when a link is walked,
    /// since a file's brands are only all known once it has been read through.
    private var threads = TWCSThreadMap()

    public init() {}

    /// Learns from one stretch of a file, read ahead of the import (a file is read twice, so
    /// memory holds ids and handles, never the rows): the header, which brand posted each
    /// outbound row, and how inbound rows link, so an inbound row can be given the brand it
    /// was addressed to even when the answer comes later in the file. Call
    /// `finishLearning()` after the last stretch.
    public mutating func learn(_ records: [CSVFramer.Record]) {
        for record in records {
            guard let fields = record.fields else { continue }
            guard let columns = columnIndex else {
                _ = try? readHeader(fields)
                continue
            }
            guard let row = try? Row(fields: fields, columns: columns) else { continue }
            if row.inbound {
                threads.setLink(
                    row.tweetID, parent: row.inResponseTo, responses: row.responses,
                    mentions: Self.mentionedHandles(in: row.text).map { $0.lowercased() })
            } else {
                rememberBrand(row.authorID)
                threads.setBrand(row.authorID, ofTweet: row.tweetID)
            }
        }
    }

    /// Ends the look-ahead: the import reads the header again.
    public mutating func finishLearning() {
        columnIndex = nil
    }

    /// The item for one record; nil for the header.
    public mutating func item(from record: CSVFramer.Record) -> Result<IncomingItem, RecordProblem>? {
        func problem(_ message: String) -> Result<IncomingItem, RecordProblem> {
            .failure(RecordProblem(line: record.raw.line, message: message, record: record.raw.lossyText))
        }
        guard let fields = record.fields else {
            return problem(record.problem ?? "unreadable record")
        }
        guard let columns = columnIndex else {
            do {
                try readHeader(fields)
                return nil
            } catch {
                return problem("\(error)")
            }
        }
        let row: Row
        do {
            row = try Row(fields: fields, columns: columns)
        } catch {
            return problem("\(error)")
        }
        let raw = record.raw.lossyText
        if !row.inbound {
            rememberBrand(row.authorID)
            threads.setBrand(row.authorID, ofTweet: row.tweetID)
            return .success(.brandReply(IncomingBrandReply(
                platform: .twcs, externalID: row.tweetID, channelHandle: row.authorID, text: row.text,
                createdAt: row.createdAt, inReplyToExternalID: row.inResponseTo,
                signatureInitials: Self.signatureInitials(in: row.text), rawPayload: raw)))
        }
        guard let brand = brand(for: row) else {
            return .failure(RecordProblem(
                line: record.raw.line,
                message: "customer tweet \(row.tweetID) is not stored: it @mentions no brand of this export and no brand answered it",
                record: record.raw.lossyText, isNote: true))
        }
        return .success(.mention(IncomingMention(
            platform: .twcs, externalID: row.tweetID, channelHandle: brand, authorHandle: row.authorID,
            text: row.text, createdAt: row.createdAt, kind: row.inResponseTo == nil ? .mention : .reply,
            inReplyToExternalID: row.inResponseTo, rawPayload: raw)))
    }

    /// The brand an inbound tweet was addressed to: a brand that answered it, the brand it
    /// answers, a brand it @mentions, else the first account it @mentions that is not a
    /// customer (the dataset replaces customers' handles with numbers; brands keep names).
    private func brand(for row: Row) -> String? {
        for response in row.responses {
            if let brand = threads.brand(ofTweet: response) { return brand }
        }
        if let parent = row.inResponseTo, let brand = threads.brand(ofTweet: parent) { return brand }
        if let brand = mentionedBrand(in: row.text) { return brand }
        if let brand = brandOfThread(around: row) { return brand }
        return Self.mentionedHandles(in: row.text).first { !$0.allSatisfy(\.isNumber) }
    }

    private func mentionedBrand(in text: String) -> String? {
        for handle in Self.mentionedHandles(in: text) {
            if let brand = brands[handle.lowercased()] { return brand }
        }
        return nil
    }

    /// Walks the thread (parents and answers, a bounded number of tweets) for a brand that
    /// posted in it or that a customer in it addressed.
    private func brandOfThread(around row: Row) -> String? {
        var queue = row.responses + (row.inResponseTo.map { [$0] } ?? [])
        var seen: Set<String> = [row.tweetID]
        var index = 0
        while index < queue.count && seen.count < 64 {
            let id = queue[index]
            index += 1
            guard seen.insert(id).inserted else { continue }
            if let brand = threads.brand(ofTweet: id) { return brand }
            guard let link = threads.link(id) else { continue }
            if let brand = link.mentions.lazy.compactMap({ brands[$0] }).first { return brand }
            queue += link.responses
            if let parent = link.parent { queue.append(parent) }
        }
        return nil
    }

    private mutating func rememberBrand(_ name: String) {
        let key = name.lowercased()
        if brands[key] == nil { brands[key] = name }
    }

    struct HeaderProblem: Error, CustomStringConvertible {
        let description: String
    }

    private mutating func readHeader(_ fields: [String]) throws {
        var index: [String: Int] = [:]
        for (position, name) in fields.enumerated() {
            index[name.trimmingWhitespace().lowercased()] = position
        }
        let missing = Self.columns.filter { index[$0] == nil }
        guard missing.isEmpty else {
            throw HeaderProblem(description: "header lacks \(missing.joined(separator: ", ")); expected \(Self.columns.joined(separator: ","))")
        }
        columnIndex = index
    }

    struct Row {
        let tweetID: String
        let authorID: String
        let inbound: Bool
        let createdAt: Timestamp
        let text: String
        let responses: [String]
        let inResponseTo: String?

        init(fields: [String], columns: [String: Int]) throws {
            func field(_ name: String) throws -> String {
                guard let position = columns[name], position < fields.count else {
                    throw HeaderProblem(description: "has \(fields.count) fields; \(name) is missing")
                }
                return fields[position]
            }
            tweetID = try field("tweet_id").trimmingWhitespace()
            guard !tweetID.isEmpty, tweetID.allSatisfy(\.isNumber) else {
                throw HeaderProblem(description: "tweet_id \"\(tweetID)\" is not a number")
            }
            authorID = try field("author_id").trimmingWhitespace()
            guard !authorID.isEmpty else { throw HeaderProblem(description: "author_id is empty") }
            switch try field("inbound").trimmingWhitespace().lowercased() {
            case "true": inbound = true
            case "false": inbound = false
            case let other: throw HeaderProblem(description: "inbound \"\(other)\" is neither True nor False")
            }
            let created = try field("created_at")
            guard let time = TimestampParsing.twitterClassic(created) ?? TimestampParsing.iso8601(created)?.0 else {
                let reason = TimestampParsing.impossibility(twitterClassic: created) ?? TimestampParsing.impossibility(iso8601: created)
                throw HeaderProblem(description: "created_at \"\(created)\" " + (reason ?? "is not a time like Tue Oct 31 22:10:47 +0000 2017"))
            }
            createdAt = time
            text = HTMLEntities.decode(try field("text"))
            if text.unicodeScalars.contains("\u{0}") {
                throw HeaderProblem(description: "text contains a NUL character (U+0000)")
            }
            responses = try field("response_tweet_id").split(separator: ",").map { String($0).trimmingWhitespace() }
                .filter { !$0.isEmpty }
            let parent = try field("in_response_to_tweet_id").trimmingWhitespace()
            // Some exports write float ids ("1.0"); the integer part is the id.
            let parentID = parent.hasSuffix(".0") ? String(parent.dropLast(2)) : parent
            inResponseTo = parentID.isEmpty ? nil : parentID
        }
    }

    /// `^JK` at the end of a brand reply (maybe followed by a link) gives "JK".
    static func signatureInitials(in text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        for word in words.reversed() {
            if word.hasPrefix("http") { continue }
            guard word.first == "^" || word.hasPrefix("-") && word.count <= 4 && word.count >= 3 else { return nil }
            let letters = word.dropFirst().prefix { $0.isLetter }
            guard (1...4).contains(letters.count), letters.allSatisfy({ $0.isASCII }) else { return nil }
            return letters.uppercased()
        }
        return nil
    }

    static func mentionedHandles(in text: String) -> [String] {
        var handles: [String] = []
        var scalars = text.unicodeScalars[...]
        while let at = scalars.firstIndex(of: "@") {
            let rest = scalars[scalars.index(after: at)...]
            let handle = rest.prefix { $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "_" }
            if !handle.isEmpty { handles.append(String(String.UnicodeScalarView(handle))) }
            scalars = rest
        }
        return handles
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
