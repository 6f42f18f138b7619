import EarshotCore

/// Reads Twitter API v1.1 status objects as `statuses/mentions_timeline` returns them: an
/// array of statuses, or one status object on its own.
///
/// Each item's `rawPayload` is that status's own object re-serialized with sorted keys
/// (the document may hold many statuses).
public struct TwitterV1Adapter: DocumentAdapter {
    public var format: IngestFormat { .twitterV1 }

    public init() {}

    public func parse(document: String, firstLine: Int) -> [Result<IncomingItem, RecordProblem>] {
        let expected = "a Twitter API v1.1 array of statuses (statuses/mentions_timeline)"
        let root: Any
        switch JSONRecord.parse(document, firstLine: firstLine, expected: expected) {
        case .success(let value): root = value
        case .failure(let problem): return [.failure(problem)]
        }
        let statuses: [Any]
        switch root {
        case let list as [Any]: statuses = list
        case let single as JSONObject: statuses = [single]
        default:
            return [.failure(RecordProblem(
                line: firstLine, message: "the document is \(JSONRecord.describe(root)); expected \(expected)",
                record: document))]
        }
        return statuses.enumerated().map { offset, item in
            mention(from: item, position: offset + 1, line: firstLine)
        }
    }

    private func mention(from item: Any, position: Int, line: Int) -> Result<IncomingItem, RecordProblem> {
        guard let status = item as? JSONObject else {
            return .failure(JSONRecord.problem(
                "item \(position) is \(JSONRecord.describe(item)); expected a status object", line: line, item: item))
        }
        // `id` is a JSON number above 2^53, which many tools round; `id_str` is exact.
        guard let id = status.string("id_str") ?? status.string("id") else {
            return .failure(JSONRecord.problem(
                "item \(position): id_str and id missing; expected a v1.1 status object", line: line, item: status))
        }
        var missing: [String] = []
        let user = status.object("user")
        let handle = user?.string("screen_name")
        if handle == nil {
            missing.append("user.screen_name missing; expected the status's user object")
        }
        // Extended mode puts the whole text in full_text; streamed statuses over 140
        // characters keep it in extended_tweet, leaving `text` cut short.
        let rawText = status.object("extended_tweet")?.text("full_text") ?? status.text("full_text") ?? status.text("text")
        if rawText == nil {
            missing.append("text and full_text missing")
        }
        var createdAt: Timestamp?
        if let written = status.text("created_at") {
            createdAt = TimestampParsing.twitterClassic(written)
            if createdAt == nil {
                missing.append("created_at \"\(written)\" " + (TimestampParsing.impossibility(twitterClassic: written)
                    ?? "is not a Twitter time such as Tue Oct 31 22:10:47 +0000 2017"))
            }
        } else {
            missing.append("created_at missing")
        }
        guard let handle, let rawText, let createdAt else {
            return .failure(JSONRecord.problem("status \(id): " + missing.joined(separator: "; "), line: line, item: status))
        }

        let inReplyTo = status.string("in_reply_to_status_id_str") ?? status.string("in_reply_to_status_id")
        var kind: MentionKind = inReplyTo == nil ? .mention : .reply
        var referencedID: String?
        var referencedHandle: String?
        if let retweeted = status.object("retweeted_status") {
            kind = .retweet
            referencedID = retweeted.string("id_str") ?? retweeted.string("id")
            referencedHandle = retweeted.object("user")?.string("screen_name")
        } else {
            let quoted = status.object("quoted_status")
            let quotedID = status.string("quoted_status_id_str") ?? status.string("quoted_status_id")
                ?? quoted?.string("id_str")
            // `is_quote_status` stays true when the quoted tweet was deleted and its id is gone.
            if quotedID != nil || status.bool("is_quote_status") {
                // A reply that also quotes stays a reply: someone may be waiting on the thread.
                if kind != .reply { kind = .quote }
                referencedID = quotedID
                referencedHandle = quoted?.object("user")?.string("screen_name")
            }
        }
        return .success(.mention(IncomingMention(
            platform: .twitterV1, externalID: id, authorHandle: handle, authorDisplayName: user?.text("name") ?? "",
            text: HTMLEntities.decode(rawText), createdAt: createdAt, kind: kind, inReplyToExternalID: inReplyTo,
            referencedExternalID: referencedID, referencedAuthorHandle: referencedHandle,
            rawPayload: JSONRecord.serialize(status))))
    }
}
