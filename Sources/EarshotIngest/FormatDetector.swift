/// Guesses an input's format from its first bytes, so that `earshot ingest FILE` needs no
/// `--format` for the formats Earshot reads.
///
/// Only a prefix is examined (`prefixLength`), which may cut the document anywhere, so JSON
/// is recognised by the keys it shows where they sit (`JSONKeySniffer`), not by parsing.
public enum FormatDetector: Sendable {
    /// How much of an input callers should pass.
    public static let prefixLength = 64 * 1024

    private static let twcsHeader = [
        "tweet_id", "author_id", "inbound", "created_at", "text", "response_tweet_id", "in_response_to_tweet_id",
    ]
    /// Fields only a tweet object has, beside the generic `id` and `text`.
    private static let tweetFields: Set<String> = [
        "text", "author_id", "conversation_id", "referenced_tweets", "edit_history_tweet_ids", "note_tweet",
    ]

    /// The format of the input starting with `prefix`, or nil when it is none of them or the
    /// prefix does not show enough to tell; the caller then asks for `--format`.
    public static func detect(prefix: String) -> IngestFormat? {
        var text = Substring(prefix)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        if isTWCSHeader(text.prefix { $0 != "\n" && $0 != "\r\n" }) { return .twcs }

        let start = text.drop { $0.isWhitespace }
        guard start.first == "{" || start.first == "[" else { return nil }
        let sniffer = JSONKeySniffer(String(start))
        switch sniffer.root {
        case .object:
            return objectFormat(sniffer)
        case .array:
            return arrayFormat(sniffer.keys(at: "$[]"))
        case nil:
            return nil
        }
    }

    private static func objectFormat(_ sniffer: JSONKeySniffer) -> IngestFormat? {
        let top = sniffer.keys(at: "$")
        if sniffer.containers["$.notifications"] == .array { return .bluesky }
        if top.contains("data"), sniffer.containers["$.data"] != nil {
            let itemKeys = sniffer.keys(at: "$.data").union(sniffer.keys(at: "$.data[]"))
            if top.contains("includes") || !itemKeys.isDisjoint(with: tweetFields) { return .xV2 }
            return nil
        }
        // A JSON Lines record is one object on one line.
        if top.contains("external_id") {
            return sniffer.firstValueEnded && !sniffer.sawLineBreak ? .jsonl : nil
        }
        if top.contains("id_str"), top.contains("user") { return .twitterV1 }
        if isMastodonNotification(top) { return .mastodon }
        return nil
    }

    private static func arrayFormat(_ elementKeys: Set<String>) -> IngestFormat? {
        if elementKeys.contains("id_str"), elementKeys.contains("user") { return .twitterV1 }
        if isMastodonNotification(elementKeys) { return .mastodon }
        if elementKeys.contains("reason"), elementKeys.contains("uri"), elementKeys.contains("author") { return .bluesky }
        return nil
    }

    private static func isMastodonNotification(_ keys: Set<String>) -> Bool {
        keys.contains("type") && (keys.contains("status") || keys.contains("account"))
    }

    private static func isTWCSHeader(_ line: Substring) -> Bool {
        let names = line.split(separator: ",", omittingEmptySubsequences: false).map { field in
            var name = field.drop { $0.isWhitespace }
            while name.last?.isWhitespace == true { name = name.dropLast() }
            if name.count >= 2, name.first == "\"", name.last == "\"" { name = name.dropFirst().dropLast() }
            return String(name)
        }
        return names == twcsHeader
    }
}
