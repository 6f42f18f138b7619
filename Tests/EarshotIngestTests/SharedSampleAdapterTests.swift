import EarshotCore
import EarshotIngest
import Foundation
import Testing

/// Runs the four platform adapters over the real samples in the shared reference folder
/// (`/work/shared/data/payloads`, or `../shared/data/payloads` beside the package) and checks
/// the counts verified by hand (docs/ingest-shared-samples.md). The folder is not part of the
/// project; without it these tests are skipped.
enum SharedSamples {
    static let directory: URL? = {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [
            URL(fileURLWithPath: "/work/shared/data/payloads"),
            packageRoot.appendingPathComponent("../shared/data/payloads").standardizedFileURL,
        ].first { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }()

    static func text(_ path: String) throws -> String {
        let directory = try #require(directory)
        return try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try text(path).utf8))
    }

    static func serialize(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// Mastodon statuses wrapped as the mention notifications that would carry them.
    static func asMentionNotifications(_ statuses: [Any]) throws -> String {
        try serialize(statuses.enumerated().map { ["id": "\($0.offset + 1)", "type": "mention", "status": $0.element] })
    }
}

@Suite(.enabled(if: SharedSamples.directory != nil, "the shared reference samples are not on this machine"))
struct SharedSampleAdapterTests {
    private func kinds(_ output: AdapterOutput) -> [MentionKind: Int] {
        output.mentions.reduce(into: [:]) { $0[$1.kind, default: 0] += 1 }
    }

    // MARK: X API v2

    @Test func xSearchPageWithExpansionsReadsEveryTweet() throws {
        let document = try SharedSamples.text("twitter_v2/pytwitter_search_tweets_query.json")
        let output = AdapterOutput(XV2Adapter(), document)
        #expect(FormatDetector.detect(prefix: document) == .xV2)
        #expect(output.mentions.count == 4)
        #expect(output.problems.isEmpty)
        #expect(kinds(output) == [.reply: 4])
        let first = try output.mention("1276035977375477760")
        #expect(first.authorHandle == "happycamper")
        #expect(first.authorDisplayName == "Emily Waligoske 🏕")
        #expect(first.inReplyToExternalID == "1275653067283759104")
        // 2020-06-25T06:14:19.000Z
        #expect(first.createdAt.millisecondsSinceEpoch == 1_593_065_659_000)
    }

    @Test func xQuoteTweetsPageReadsEveryTweetAsAMention() throws {
        let document = try SharedSamples.text("twitter_v2/pytwitter_tweet_quote_tweets_resp.json")
        let output = AdapterOutput(XV2Adapter(), document)
        #expect(FormatDetector.detect(prefix: document) == .xV2)
        #expect(output.mentions.count == 15)
        #expect(output.problems.isEmpty)
        // The page was fetched without referenced_tweets, so even "RT @..." texts are plain mentions.
        #expect(kinds(output) == [.mention: 15])
        #expect(output.mentions.filter { $0.text.hasPrefix("RT @") }.count == 13)
        #expect(output.mentions.allSatisfy { $0.platformConversationID != nil })
        let reply = try output.mention("1427332549479526400")
        #expect(reply.authorHandle == "suhemparack")
        #expect(reply.platformConversationID == "1427290387194974213")
        #expect(reply.createdAt.millisecondsSinceEpoch == 1_629_137_573_000)
    }

    @Test func xPagesFetchedWithoutExpansionsAreAllProblems() throws {
        let timeline = AdapterOutput(XV2Adapter(), try SharedSamples.text("twitter_v2/pytwitter_timeline_mentions.json"))
        #expect(timeline.mentions.isEmpty)
        #expect(timeline.problems.count == 5)
        #expect(timeline.problems.allSatisfy { $0.message.hasSuffix(": author_id missing; request expansions=author_id") })

        let tweepy = AdapterOutput(
            XV2Adapter(), try SharedSamples.text("twitter_v2/tweepy_get_users_mentions_783214_decoded_body.json"))
        #expect(tweepy.mentions.isEmpty)
        #expect(tweepy.problems.count == 10)
        #expect(tweepy.problems.first?.message == "tweet 1578516295611748353: author_id missing; request "
            + "expansions=author_id; created_at missing; request tweet.fields=created_at")
    }

    @Test func xDocsConversationExamplesLackIncludes() throws {
        let path = "twitter_v2/xdocs_conversation-id_examples.json"
        // The file wraps two pages under descriptive keys; it is not itself a page.
        #expect(AdapterOutput(XV2Adapter(), try SharedSamples.text(path)).problems.count == 1)
        #expect(FormatDetector.detect(prefix: try SharedSamples.text(path)) == nil)
        let wrapper = try #require(try SharedSamples.json(path) as? [String: Any])
        let lookup = try #require(wrapper.first { $0.key.hasPrefix("single_post_lookup") }?.value)
        let thread = try #require(wrapper.first { $0.key.hasPrefix("full_thread_retrieval") }?.value)

        let single = AdapterOutput(XV2Adapter(), try SharedSamples.serialize(lookup))
        #expect(single.mentions.isEmpty)
        #expect(single.problems.map(\.message) == ["tweet 1234567891: author_id missing; request expansions=author_id; "
            + "created_at missing; request tweet.fields=created_at"])

        let search = AdapterOutput(XV2Adapter(), try SharedSamples.serialize(thread))
        #expect(search.mentions.isEmpty)
        #expect(search.problems.map(\.message) == [
            "tweet 1234567893: author 3333333333 is not in includes.users; request expansions=author_id",
            "tweet 1234567892: author 2222222222 is not in includes.users; request expansions=author_id",
            "tweet 1234567891: author 4444444444 is not in includes.users; request expansions=author_id",
        ])
    }

    // MARK: Twitter API v1.1

    @Test func twitterV1MentionsTimelineReadsAllNineteenStatuses() throws {
        let document = try SharedSamples.text("twitter_v1.1/python-twitter_testdata_get_mentions.json")
        let output = AdapterOutput(TwitterV1Adapter(), document)
        #expect(FormatDetector.detect(prefix: String(document.prefix(FormatDetector.prefixLength))) == .twitterV1)
        #expect(output.mentions.count == 19)
        #expect(output.problems.isEmpty)
        #expect(kinds(output) == [.reply: 13, .quote: 2, .mention: 4])
        let manualRetweets = output.mentions.filter { $0.text.hasPrefix("RT @himawari8bot:") }
        #expect(manualRetweets.count == 3)
        #expect(manualRetweets.allSatisfy { $0.kind == .reply })
        let quote = try output.mention("674691080227540993")
        #expect(quote.referencedExternalID == "674686215954808832")
        #expect(quote.referencedAuthorHandle == "NASAGoddard")
        // Wed Dec 09 20:44:23 +0000 2015
        #expect(quote.createdAt.millisecondsSinceEpoch == 1_449_693_863_000)
        let escaped = try output.mention("670894684365914114")
        #expect(escaped.text.hasPrefix("Wind shear, open cell cumulus, & others ☺ MT @himawari8bot:"))
        let chain = try output.mention("670620480634789888")
        #expect(chain.inReplyToExternalID == "670395671757922304")
        #expect(try output.mention("670395671757922304").inReplyToExternalID == "670394036956626944")
    }

    // MARK: Mastodon

    @Test func mastodonRecordedMentionNotification() throws {
        let document = try SharedSamples.text("mastodon/MastodonPy_GET_api_v1_notifications_mention.json")
        let output = AdapterOutput(MastodonAdapter(), document)
        #expect(FormatDetector.detect(prefix: document) == .mastodon)
        #expect(output.problems.isEmpty)
        let mention = try #require(output.mentions.first)
        #expect(output.mentions.count == 1)
        #expect(mention.externalID == "117020576916218297")
        #expect(mention.authorHandle == "admin")
        #expect(mention.authorDisplayName == "")
        #expect(mention.text == "@mastodonpy_test hello!")
        #expect(mention.kind == .mention)
        // 2026-08-01T13:51:39.138Z
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_785_592_299_138)
    }

    @Test func mastodonDocsExampleSkipsTheFavourite() throws {
        let jsonc = try SharedSamples.text("mastodon/mastodon-docs_GET_api_v1_notifications_example.jsonc")
        // As written (with // comments) it is not JSON, and the API never sends comments.
        #expect(AdapterOutput(MastodonAdapter(), jsonc).problems.first?.message.hasPrefix("not valid JSON") == true)
        #expect(FormatDetector.detect(prefix: jsonc) == .mastodon)
        let json = jsonc.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.drop { $0 == " " }.hasPrefix("//") }
            .joined(separator: "\n")
            .replacing(#/,(\s*[}\]])/#) { $0.output.1 }
        let output = AdapterOutput(MastodonAdapter(), json)
        #expect(output.problems.isEmpty)
        #expect(output.mentions.count == 1)
        let mention = try #require(output.mentions.first)
        #expect(mention.externalID == "103186126728896492")
        #expect(mention.authorHandle == "zsc")
        #expect(mention.kind == .reply)
        #expect(mention.inReplyToExternalID == "103186038209478945")
        #expect(mention.text == "@trwnh sup!")
        #expect(mention.createdAt.millisecondsSinceEpoch == 1_574_495_341_940)
    }

    @Test func mastodonStatusesAreRefusedAloneAndReadInsideNotifications() throws {
        let pairPath = "mastodon/MastodonPy_status_and_reply.json"
        let entityPath = "mastodon/mastodon-docs_Status_entity_example.json"
        #expect(AdapterOutput(MastodonAdapter(), try SharedSamples.text(pairPath)).problems.count == 1)
        #expect(FormatDetector.detect(prefix: try SharedSamples.text(pairPath)) == nil)
        #expect(FormatDetector.detect(prefix: try SharedSamples.text(entityPath)) == nil)
        #expect(AdapterOutput(MastodonAdapter(), try SharedSamples.text(entityPath)).problems.map(\.message)
            == ["this is a status, not a notification; fetch Mastodon GET /api/v1/notifications output "
                + "(an array of notifications) so that only mentions are read"])

        let pair = try #require(try SharedSamples.json(pairPath) as? [String: Any])
        let statuses = [try #require(pair["parent"]), try #require(pair["reply"])]
        let wrapped = AdapterOutput(MastodonAdapter(), try SharedSamples.asMentionNotifications(statuses))
        #expect(wrapped.problems.isEmpty)
        #expect(wrapped.mentions.map(\.text) == ["Toot, finally!", "@mastodonpy_test_2 same!"])
        #expect(wrapped.mentions.map(\.kind) == [.mention, .reply])
        #expect(wrapped.mentions.last?.inReplyToExternalID == "117020583245459824")
        #expect(wrapped.mentions.last?.createdAt.millisecondsSinceEpoch == 1_785_592_395_910)

        let entity = try SharedSamples.json(entityPath)
        let article = try #require(AdapterOutput(MastodonAdapter(), try SharedSamples.asMentionNotifications([entity]))
            .mentions.first)
        #expect(article.authorHandle == "Gargron")
        #expect(article.authorDisplayName == "Eugen")
        #expect(article.text == "\"I lost my inheritance with one wrong digit on my sort code\"\n\n"
            + "https://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance-with-one-wrong-digit-on-my-sort-code")
        #expect(article.createdAt.millisecondsSinceEpoch == 1_575_776_913_901)
    }

    // MARK: Bluesky

    @Test func blueskySnapshotsYieldOnlyMentionsRepliesAndQuotes() throws {
        let path = "bluesky/atproto_bsky_notifications_snapshots.json"
        // The file collects many responses under "snapshots"; it is not itself one.
        #expect(AdapterOutput(BlueskyAdapter(), try SharedSamples.text(path)).problems.count == 1)
        #expect(FormatDetector.detect(prefix: String(try SharedSamples.text(path).prefix(FormatDetector.prefixLength))) == nil)
        let file = try #require(try SharedSamples.json(path) as? [String: Any])
        let snapshots = try #require(file["snapshots"] as? [String: Any])
        #expect(snapshots.count == 19)
        var total = AdapterOutput([])
        var notificationCount = 0
        for (name, snapshot) in snapshots.sorted(by: { $0.key < $1.key }) {
            // Some snapshots hold the whole response, others only its notifications array.
            let response = snapshot is [Any] ? ["notifications": snapshot] : snapshot
            let document = try SharedSamples.serialize(response)
            let output = AdapterOutput(BlueskyAdapter(), document)
            notificationCount += ((response as? [String: Any])?["notifications"] as? [Any])?.count ?? 0
            total.mentions += output.mentions
            total.problems += output.problems
            if (response as? [String: Any])?["notifications"].map({ ($0 as? [Any])?.isEmpty == false }) == true {
                #expect(FormatDetector.detect(prefix: document) == .bluesky, "\(name)")
            }
        }
        #expect(notificationCount == 66)
        #expect(total.mentions.count == 14)
        #expect(total.problems.isEmpty)
        #expect(kinds(total) == [.mention: 3, .reply: 9, .quote: 2])
        // Every time in the snapshots is zeroed to 1970-01-01T00:00:00.000Z.
        #expect(total.mentions.allSatisfy { $0.createdAt.millisecondsSinceEpoch == 0 })
        let handles = Set(total.mentions.map(\.authorHandle))
        #expect(handles == ["alice.test", "bob.test", "carol.test", "dan.test", "eve.test"])
        let replies = total.mentions.filter { $0.kind == .reply }
        #expect(replies.allSatisfy { $0.inReplyToExternalID != nil && $0.platformConversationID != nil })
        let quotes = total.mentions.filter { $0.kind == .quote }
        #expect(Set(quotes.compactMap(\.referencedExternalID)) == ["record(9)", "record(1)"])
    }
}
