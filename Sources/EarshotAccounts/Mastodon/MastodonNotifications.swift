import EarshotCore
import EarshotIngest
import Foundation

/// A page of `GET /api/v1/notifications` read through the Mastodon adapter (the same code
/// path as `earshot ingest` of a notifications file), with what the account needs besides
/// the mentions: the cursor, and which items were skipped and why.
struct NotificationPage: Sendable {
    /// The page's notification ids, newest first (as the platform sends them).
    var ids: [String] = []
    /// Mentions by others, oldest first.
    var mentions: [IncomingMention] = []
    /// Items the adapter could not read, or the account's own posts; the cursor still moves past them.
    var skipped: [String] = []

    /// Nil when the body is not a JSON array of notifications at all (a malformed answer).
    init?(body: [UInt8], ownAccountID: String) {
        guard let list = (try? JSONSerialization.jsonObject(with: Data(body))) as? [Any] else { return nil }
        for item in list {
            guard let notification = item as? [String: Any] else {
                skipped.append("an item that is not an object")
                continue
            }
            if let id = notification["id"] as? String { ids.append(id) }
            let status = notification["status"] as? [String: Any]
            if let author = status?["account"] as? [String: Any], author["id"] as? String == ownAccountID {
                skipped.append("notification \(notification["id"] as? String ?? "?"): a post of our own account")
                continue
            }
            guard let data = try? JSONSerialization.data(withJSONObject: notification, options: [.sortedKeys]) else { continue }
            for result in MastodonAdapter().parse(document: String(decoding: data, as: UTF8.self), firstLine: 1) {
                switch result {
                case let .success(.mention(mention)): mentions.append(mention)
                case .success(.brandReply): break
                case let .failure(problem): skipped.append(problem.message)
                }
            }
        }
        mentions.sort { ($0.createdAt, $0.externalID) < ($1.createdAt, $1.externalID) }
    }

    /// The newest notification of the page: the cursor after it.
    var newestID: String? { ids.first }
    /// The oldest: where reading back continues (`max_id`).
    var oldestID: String? { ids.last }
}

/// One notification as the stream sends it (`event: notification`, the Notification JSON as data).
extension NotificationPage {
    init?(streamed data: String, ownAccountID: String) {
        self.init(body: Array("[\(data)]".utf8), ownAccountID: ownAccountID)
    }
}
