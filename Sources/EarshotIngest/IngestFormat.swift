/// The input formats Earshot reads. Detected from the content; `--format` forces one.
public enum IngestFormat: String, CaseIterable, Sendable {
    /// Earshot JSON Lines: one mention per line (docs/ingest.md, docs/earshot-mention.schema.json).
    case jsonl
    /// X API v2 response pages (`data[]`, `includes.users[]`): one page per line, or one page.
    case xV2 = "x-v2"
    /// Twitter API v1.1 `statuses/mentions_timeline`: an array of status objects.
    case twitterV1 = "twitter-v1"
    /// Mastodon `GET /api/v1/notifications`: an array of notifications.
    case mastodon
    /// Bluesky `app.bsky.notification.listNotifications` output.
    case bluesky
    /// Customer Support on Twitter CSV (history import).
    case twcs

    public var displayName: String {
        switch self {
        case .jsonl: "Earshot JSON Lines"
        case .xV2: "X API v2"
        case .twitterV1: "Twitter API v1.1"
        case .mastodon: "Mastodon notifications"
        case .bluesky: "Bluesky notifications"
        case .twcs: "Customer Support on Twitter CSV"
        }
    }
}
