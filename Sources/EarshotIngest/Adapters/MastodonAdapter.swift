import EarshotCore

/// Reads Mastodon `GET /api/v1/notifications` output: an array of notifications, or one
/// notification object. Only `mention` notifications hold a message for the brand; the
/// others (favourites, boosts, follows, polls...) are skipped without a word.
///
/// The text is the status's HTML `content` as plain text (see `MastodonHTML`). Each item's
/// `rawPayload` is its notification object (with the status inside) re-serialized with
/// sorted keys, not the whole document.
public struct MastodonAdapter: DocumentAdapter {
    public var format: IngestFormat { .mastodon }

    public init() {}

    public func parse(document: String, firstLine: Int) -> [Result<IncomingItem, RecordProblem>] {
        let expected = "Mastodon GET /api/v1/notifications output (an array of notifications)"
        let root: Any
        switch JSONRecord.parse(document, firstLine: firstLine, expected: expected) {
        case .success(let value): root = value
        case .failure(let problem): return [.failure(problem)]
        }
        let notifications: [Any]
        switch root {
        case let list as [Any]:
            notifications = list
        case let single as JSONObject where single["type"] != nil:
            notifications = [single]
        case let object as JSONObject where object["content"] != nil && object["account"] != nil:
            return [.failure(RecordProblem(
                line: firstLine,
                message: "this is a status, not a notification; fetch \(expected) so that only mentions are read",
                record: document))]
        default:
            return [.failure(RecordProblem(
                line: firstLine, message: "the document is \(JSONRecord.describe(root)) without a type; expected \(expected)",
                record: document))]
        }
        return notifications.enumerated().compactMap { offset, item in
            mention(from: item, position: offset + 1, line: firstLine)
        }
    }

    /// The item for one notification, or nil for a notification that is not a mention.
    private func mention(from item: Any, position: Int, line: Int) -> Result<IncomingItem, RecordProblem>? {
        guard let notification = item as? JSONObject else {
            return .failure(JSONRecord.problem(
                "item \(position) is \(JSONRecord.describe(item)); expected a notification object", line: line, item: item))
        }
        guard let type = notification.string("type") else {
            return .failure(JSONRecord.problem(
                "item \(position): type missing; expected a notification object", line: line, item: notification))
        }
        guard type == "mention" else { return nil }
        let name = notification.string("id").map { "notification \($0)" } ?? "item \(position)"
        guard let status = notification.object("status") else {
            return .failure(JSONRecord.problem(
                "\(name): a mention without its status; was the status deleted, or the notification edited by hand?",
                line: line, item: notification))
        }
        guard let id = status.string("id") else {
            return .failure(JSONRecord.problem("\(name): status.id missing; expected a status object", line: line,
                                               item: notification))
        }
        var missing: [String] = []
        let account = status.object("account")
        let handle = account?.string("acct")
        if handle == nil {
            missing.append("account.acct missing; expected the status's account object")
        }
        let content = status.text("content")
        if content == nil {
            missing.append("content missing")
        }
        var createdAt: Timestamp?
        if let written = status.text("created_at") ?? notification.text("created_at") {
            createdAt = TimestampParsing.iso8601(written)?.0
            if createdAt == nil {
                missing.append("created_at \"\(written)\" " + (TimestampParsing.impossibility(iso8601: written)
                    ?? "is not an ISO 8601 time such as 2019-11-23T07:49:01.940Z"))
            }
        } else {
            missing.append("created_at missing")
        }
        guard let handle, let content, let createdAt else {
            return .failure(JSONRecord.problem("status \(id): " + missing.joined(separator: "; "), line: line,
                                               item: notification))
        }

        let inReplyTo = status.string("in_reply_to_id")
        // Mastodon 4.4+ quote posts: `quote` is a Quote (with the quoted status) or a
        // ShallowQuote (its id only).
        let quote = status.object("quote")
        let quotedStatus = quote?.object("quoted_status")
        let quotedID = quotedStatus?.string("id") ?? quote?.string("quoted_status_id")
        let kind: MentionKind = inReplyTo != nil ? .reply : quotedID != nil ? .quote : .mention
        return .success(.mention(IncomingMention(
            platform: .mastodon, externalID: id, authorHandle: handle,
            authorDisplayName: account?.text("display_name") ?? "", text: Self.withContentWarning(status.text("spoiler_text"), MastodonHTML.plainText(content)),
            createdAt: createdAt, kind: kind, inReplyToExternalID: inReplyTo, referencedExternalID: quotedID,
            referencedAuthorHandle: quotedStatus?.object("account")?.string("acct"),
            rawPayload: JSONRecord.serialize(notification))))
    }

    /// A content warning comes before the text it hides, in the queue's preview and the
    /// thread, as Mastodon shows it: `CW: spoilers for S2 — the text`.
    static func withContentWarning(_ warning: String?, _ text: String) -> String {
        guard let warning = warning?.trimmingCharacters(in: .whitespacesAndNewlines), !warning.isEmpty else { return text }
        return "CW: \(warning) — \(text)"
    }
}
