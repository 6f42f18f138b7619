import EarshotCore
import Foundation

/// Reads X API v2 response pages (`GET /2/users/:id/mentions`, recent search, tweet lookup):
/// `data` (an array, or one object for a single lookup) with authors taken from
/// `includes.users`.
///
/// The request must ask for `expansions=author_id` and `tweet.fields=created_at` (and
/// preferably `conversation_id,referenced_tweets,entities`): a tweet without a known author
/// or time cannot become a conversation, so it is reported as a problem naming the missing
/// request parameter. Each item's `rawPayload` is that tweet's own object from `data`,
/// re-serialized with sorted keys, not the whole page.
public struct XV2Adapter: DocumentAdapter {
    public var format: IngestFormat { .xV2 }

    public init() {}

    public func parse(document: String, firstLine: Int) -> [Result<IncomingItem, RecordProblem>] {
        let expected = "an X API v2 response page (an object with data, includes, meta)"
        let root: Any
        switch JSONRecord.parse(document, firstLine: firstLine, expected: expected) {
        case .success(let value): root = value
        case .failure(let problem): return [.failure(problem)]
        }
        guard let page = root as? JSONObject else {
            return [.failure(RecordProblem(
                line: firstLine, message: "the document is \(JSONRecord.describe(root)); expected \(expected)",
                record: document))]
        }
        let tweets: [Any]
        switch page["data"] {
        case let list as [Any]: tweets = list
        case let single as JSONObject: tweets = [single]
        case nil, is NSNull:
            // An empty result page has only `meta`; a failed request has only `errors`.
            // Neither holds a message to ingest, and neither is the operator's mistake.
            if page["errors"] != nil || page["meta"] != nil { return [] }
            return [.failure(RecordProblem(
                line: firstLine, message: "no data, errors or meta; expected \(expected)", record: document))]
        case let other?:
            return [.failure(RecordProblem(
                line: firstLine, message: "data is \(JSONRecord.describe(other)); expected an array of tweets",
                record: document))]
        }
        let includes = XV2Includes(page.object("includes"))
        return tweets.enumerated().map { offset, item in
            mention(from: item, position: offset + 1, includes: includes, line: firstLine)
        }
    }

    private func mention(from item: Any, position: Int, includes: XV2Includes, line: Int)
        -> Result<IncomingItem, RecordProblem>
    {
        guard let tweet = item as? JSONObject else {
            return .failure(JSONRecord.problem(
                "data item \(position) is \(JSONRecord.describe(item)); expected a tweet object",
                line: line, item: item))
        }
        guard let id = tweet.string("id") else {
            return .failure(JSONRecord.problem(
                "data item \(position): id missing; every tweet needs an id (was the page edited by hand?)",
                line: line, item: tweet))
        }
        // Tweets over 280 characters carry their full text in note_tweet; `text` is cut.
        guard let rawText = tweet.object("note_tweet")?.text("text") ?? tweet.text("text") else {
            return .failure(JSONRecord.problem(
                "tweet \(id): text missing; every tweet needs its text (was the page edited by hand?)",
                line: line, item: tweet))
        }

        var missing: [String] = []
        var author: XV2Includes.User?
        if let authorID = tweet.string("author_id") {
            author = includes.users[authorID]
            if author == nil {
                missing.append("author \(authorID) is not in includes.users; request expansions=author_id")
            }
        } else {
            missing.append("author_id missing; request expansions=author_id")
        }
        var createdAt: Timestamp?
        if let written = tweet.text("created_at") {
            createdAt = TimestampParsing.iso8601(written)?.0
            if createdAt == nil {
                missing.append("created_at \"\(written)\" " + (TimestampParsing.impossibility(iso8601: written)
                    ?? "is not an ISO 8601 time such as 2024-01-15T12:05:00.000Z"))
            }
        } else {
            missing.append("created_at missing; request tweet.fields=created_at")
        }
        guard let author, let createdAt else {
            return .failure(JSONRecord.problem("tweet \(id): " + missing.joined(separator: "; "), line: line, item: tweet))
        }

        let references = XV2References(tweet.objects("referenced_tweets") ?? [])
        let referencedID = references.retweeted ?? references.quoted
        return .success(.mention(IncomingMention(
            platform: .x, externalID: id, authorHandle: author.username, authorDisplayName: author.name,
            text: HTMLEntities.decode(rawText), createdAt: createdAt, kind: references.kind,
            inReplyToExternalID: references.repliedTo, platformConversationID: tweet.string("conversation_id"),
            referencedExternalID: referencedID,
            referencedAuthorHandle: referencedID.flatMap { includes.author(ofTweet: $0) }
                ?? (references.retweeted != nil ? Self.retweetedHandle(tweet) : nil),
            rawPayload: JSONRecord.serialize(tweet))))
    }

    /// A retweet's text is `RT @author: ...`; when `includes.tweets` lacks the original, the
    /// mention entity at offset 3 still names its author.
    private static func retweetedHandle(_ tweet: JSONObject) -> String? {
        tweet.object("entities")?.objects("mentions")?
            .first { ($0["start"] as? Int) == 3 }?
            .string("username")
    }
}

/// `includes` of one page: users by id, and the authors of the tweets the page refers to.
struct XV2Includes {
    struct User {
        var username: String
        var name: String
    }

    var users: [String: User] = [:]
    /// Referenced tweet id to its author id.
    var tweetAuthors: [String: String] = [:]

    init(_ includes: JSONObject?) {
        for user in includes?.objects("users") ?? [] {
            guard let id = user.string("id"), let username = user.string("username") else { continue }
            users[id] = User(username: username, name: user.text("name") ?? "")
        }
        for tweet in includes?.objects("tweets") ?? [] {
            guard let id = tweet.string("id"), let author = tweet.string("author_id") else { continue }
            tweetAuthors[id] = author
        }
    }

    func author(ofTweet id: String) -> String? {
        tweetAuthors[id].flatMap { users[$0]?.username }
    }
}

/// What `referenced_tweets` says about a tweet.
struct XV2References {
    var repliedTo: String?
    var quoted: String?
    var retweeted: String?

    init(_ references: [JSONObject]) {
        for reference in references {
            guard let id = reference.string("id") else { continue }
            switch reference.text("type") {
            case "replied_to": repliedTo = repliedTo ?? id
            case "quoted": quoted = quoted ?? id
            case "retweeted": retweeted = retweeted ?? id
            default: break
            }
        }
    }

    /// A retweet is a broadcast whatever else it references. A reply that also quotes is
    /// still a reply: it continues a conversation someone may be waiting on.
    var kind: MentionKind {
        if retweeted != nil { return .retweet }
        if repliedTo != nil { return .reply }
        if quoted != nil { return .quote }
        return .mention
    }
}
