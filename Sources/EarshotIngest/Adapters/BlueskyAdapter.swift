import EarshotCore

/// Reads Bluesky `app.bsky.notification.listNotifications` output, `{"notifications": [...]}`
/// (a bare array of notifications is accepted too). Notifications with reason `mention`,
/// `reply` or `quote` carry a post for the brand and become items; the rest (likes,
/// reposts, follows, verifications...) are skipped without a word.
///
/// The external id is the post's AT URI. Post text is stored as written: Bluesky records
/// are plain text, not HTML, so nothing is decoded. Each item's `rawPayload` is its
/// notification object re-serialized with sorted keys, not the whole document.
public struct BlueskyAdapter: DocumentAdapter {
    public var format: IngestFormat { .bluesky }

    public init() {}

    private static let kinds: [String: MentionKind] = ["mention": .mention, "reply": .reply, "quote": .quote]

    public func parse(document: String, firstLine: Int) -> [Result<IncomingItem, RecordProblem>] {
        let expected = "Bluesky app.bsky.notification.listNotifications output (an object with notifications)"
        let root: Any
        switch JSONRecord.parse(document, firstLine: firstLine, expected: expected) {
        case .success(let value): root = value
        case .failure(let problem): return [.failure(problem)]
        }
        let notifications: [Any]
        if let list = (root as? JSONObject)?["notifications"] as? [Any] {
            notifications = list
        } else if let list = root as? [Any] {
            notifications = list
        } else {
            return [.failure(RecordProblem(
                line: firstLine, message: "the document is \(JSONRecord.describe(root)) without a notifications array; expected \(expected)",
                record: document))]
        }
        return notifications.enumerated().compactMap { offset, item in
            mention(from: item, position: offset + 1, line: firstLine)
        }
    }

    /// The item for one notification, or nil for a reason that carries no post for the brand.
    private func mention(from item: Any, position: Int, line: Int) -> Result<IncomingItem, RecordProblem>? {
        guard let notification = item as? JSONObject else {
            return .failure(JSONRecord.problem(
                "item \(position) is \(JSONRecord.describe(item)); expected a notification object", line: line, item: item))
        }
        guard let reason = notification.string("reason") else {
            return .failure(JSONRecord.problem(
                "item \(position): reason missing; expected a listNotifications notification", line: line,
                item: notification))
        }
        guard let kind = Self.kinds[reason] else { return nil }
        guard let uri = notification.string("uri") else {
            return .failure(JSONRecord.problem(
                "item \(position) (\(reason)): uri missing; every notification names its record's AT URI", line: line,
                item: notification))
        }
        var missing: [String] = []
        let author = notification.object("author")
        let handle = author?.string("handle")
        if handle == nil {
            missing.append("author.handle missing; expected the notification's author profile")
        }
        let record = notification.object("record")
        let text = record?.text("text")
        if record == nil {
            missing.append("record missing; expected the app.bsky.feed.post record")
        } else if text == nil {
            missing.append("record.text missing; expected an app.bsky.feed.post record")
        }
        var createdAt: Timestamp?
        // `createdAt` is what the author's client claims; `indexedAt` is when the AppView saw it.
        if let written = record?.text("createdAt") ?? notification.text("indexedAt") {
            createdAt = TimestampParsing.iso8601(written)?.0
            if createdAt == nil {
                missing.append("createdAt \"\(written)\" " + (TimestampParsing.impossibility(iso8601: written)
                    ?? "is not an ISO 8601 time such as 2024-01-15T12:05:00.000Z"))
            }
        } else {
            missing.append("record.createdAt and indexedAt missing")
        }
        guard let handle, let text, let createdAt else {
            return .failure(JSONRecord.problem("\(reason) \(uri): " + missing.joined(separator: "; "), line: line,
                                               item: notification))
        }

        let reply = record?.object("reply")
        return .success(.mention(IncomingMention(
            platform: .bluesky, externalID: uri, authorHandle: handle,
            authorDisplayName: author?.text("displayName") ?? "", text: text, createdAt: createdAt, kind: kind,
            inReplyToExternalID: reply?.object("parent")?.string("uri"),
            platformConversationID: reply?.object("root")?.string("uri"),
            referencedExternalID: record?.object("embed").flatMap(Self.quotedURI),
            rawPayload: JSONRecord.serialize(notification))))
    }

    /// The post a record embeds, when it quotes one: `app.bsky.embed.record` holds a strong
    /// ref; `app.bsky.embed.recordWithMedia` wraps one beside its images or video.
    private static func quotedURI(_ embed: JSONObject) -> String? {
        switch embed.text("$type") {
        case "app.bsky.embed.record":
            embed.object("record")?.string("uri")
        case "app.bsky.embed.recordWithMedia":
            embed.object("record")?.object("record")?.string("uri")
        default:
            nil
        }
    }
}
