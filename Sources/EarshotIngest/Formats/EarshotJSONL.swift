import EarshotCore

/// Earshot JSON Lines: one mention per line (schema: docs/ingest.md and
/// docs/earshot-mention.schema.json). Text is taken as written (it is our own format, so no
/// HTML decoding); ids may be strings or integer literals (kept digit for digit).
public enum EarshotJSONL {
    /// Lines longer than this are rejected unread: a mention with its raw payload is far smaller.
    public static let recordLimit = 256 * 1024

    static let knownFields: Set<String> = [
        "platform", "external_id", "channel", "author", "author_name", "text", "created_at", "kind",
        "in_reply_to", "conversation_id", "referenced_id", "referenced_author",
    ]

    public static func parse(_ record: RawRecord) -> Result<IncomingItem, RecordProblem> {
        func problem(_ message: String) -> Result<IncomingItem, RecordProblem> {
            .failure(RecordProblem(line: record.line, message: message, record: record.lossyText))
        }
        let length = record.fullLength ?? record.bytes.count
        if length > recordLimit {
            return problem("line is \(length) bytes, over the \(recordLimit)-byte limit for one mention")
        }
        let value: JSONValue
        do {
            value = try record.bytes.withUnsafeBufferPointer { buffer throws(JSONParser.Failure) in
                try JSONParser.parse(buffer)
            }
        } catch {
            return problem(error.cutOff ? "the line is cut off: \(error.message)" : "not valid JSON: \(error)")
        }
        guard case let .object(fields) = value else {
            return problem("expected a JSON object (one mention per line), got \(value.typeName)")
        }
        do {
            return .success(.mention(try mention(from: fields, raw: record)))
        } catch let message as FieldProblem {
            return problem(message.text)
        } catch {
            return problem("\(error)")
        }
    }

    struct FieldProblem: Error { let text: String }

    private static func mention(from fields: [String: JSONValue], raw: RawRecord) throws -> IncomingMention {
        func string(_ key: String, required: Bool) throws -> String? {
            switch fields[key] {
            case nil, .null?:
                if required { throw FieldProblem(text: "missing \(key)") }
                return nil
            case let .string(text)?:
                if required && text.isEmpty { throw FieldProblem(text: "\(key) is empty") }
                return text
            case let other?:
                throw FieldProblem(text: "\(key) must be a string, got \(other.typeName)")
            }
        }
        func identifier(_ key: String, required: Bool) throws -> String? {
            if case let .number(digits)? = fields[key] {
                guard digits.allSatisfy(\.isNumber) else {
                    throw FieldProblem(text: "\(key) must be a string or a whole number, got \(digits)")
                }
                return digits
            }
            return try string(key, required: required)
        }
        guard let platformName = try string("platform", required: true) else { throw FieldProblem(text: "missing platform") }
        let platform: Platform
        do {
            platform = try Platform.parse(platformName)
        } catch {
            throw FieldProblem(text: error.description)
        }
        let externalID = try identifier("external_id", required: true) ?? ""
        let channel = try string("channel", required: true) ?? ""
        let author = try string("author", required: true) ?? ""
        let text = try string("text", required: true) ?? ""
        if text.unicodeScalars.contains("\u{0}") {
            throw FieldProblem(text: "text contains a NUL character (U+0000); remove it and ingest the line again")
        }
        let createdText = try string("created_at", required: true) ?? ""
        guard let (createdAt, _) = TimestampParsing.iso8601(createdText) else {
            throw FieldProblem(text: "created_at \"\(createdText)\" " + (TimestampParsing.impossibility(iso8601: createdText)
                ?? "is not an ISO 8601 time such as 2024-01-15T12:05:00Z"))
        }
        let inReplyTo = try identifier("in_reply_to", required: false)
        var kind: MentionKind = inReplyTo == nil ? .mention : .reply
        if let kindName = try string("kind", required: false) {
            guard let parsed = MentionKind(rawValue: kindName) else {
                throw FieldProblem(text: "kind \"\(kindName)\" is not one of mention, reply, quote, retweet")
            }
            kind = parsed
        }
        return IncomingMention(
            platform: platform, externalID: externalID, channelHandle: strippingAt(channel),
            authorHandle: strippingAt(author), authorDisplayName: try string("author_name", required: false) ?? "",
            text: text, createdAt: createdAt, kind: kind, inReplyToExternalID: inReplyTo,
            platformConversationID: try identifier("conversation_id", required: false),
            referencedExternalID: try identifier("referenced_id", required: false),
            referencedAuthorHandle: try string("referenced_author", required: false).map(strippingAt),
            rawPayload: raw.lossyText)
    }

    static func strippingAt(_ handle: String) -> String {
        handle.hasPrefix("@") ? String(handle.dropFirst()) : handle
    }
}
