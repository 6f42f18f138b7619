import EarshotIngest
import Testing

@Suite struct FormatDetectorTests {
    /// The first `count` bytes of a fixture, as a reader's prefix would be (may end mid-string).
    private func prefix(of fixture: String, bytes count: Int) throws -> String {
        String(decoding: Array(try AdapterFixture.text(fixture).utf8.prefix(count)), as: UTF8.self)
    }

    @Test(arguments: [
        ("x_v2_mentions_page", IngestFormat.xV2),
        ("twitter_v1_mentions_timeline", .twitterV1),
        ("mastodon_notifications", .mastodon),
        ("bluesky_notifications", .bluesky),
    ])
    func detectsEachPlatformFixture(fixture: String, format: IngestFormat) throws {
        #expect(FormatDetector.detect(prefix: try AdapterFixture.text(fixture)) == format)
    }

    @Test(arguments: [
        // Each cut falls inside the first item, inside a string value.
        ("x_v2_mentions_page", 43, IngestFormat.xV2),
        ("twitter_v1_mentions_timeline", 860, .twitterV1),
        ("mastodon_notifications", 163, .mastodon),
        ("bluesky_notifications", 51, .bluesky),
    ])
    func detectsAPrefixThatCutsTheDocument(fixture: String, bytes: Int, format: IngestFormat) throws {
        let cut = try prefix(of: fixture, bytes: bytes)
        #expect(FormatDetector.detect(prefix: cut) == format)
    }

    @Test func aPrefixTooShortToShowTheKeysIsNotGuessed() throws {
        // The v1.1 status shows created_at, id and id_str here, but not yet its user.
        #expect(FormatDetector.detect(prefix: try prefix(of: "twitter_v1_mentions_timeline", bytes: 100)) == nil)
        #expect(FormatDetector.detect(prefix: try prefix(of: "x_v2_mentions_page", bytes: 12)) == nil)
    }

    @Test func detectsTheTWCSHeaderPlainOrQuoted() {
        let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
        let row = "\n119237,105834,True,Wed Oct 11 06:55:44 +0000 2017,\"@AppleSupport hi\",119236,"
        #expect(FormatDetector.detect(prefix: header + row) == .twcs)
        let quoted = #""tweet_id","author_id","inbound","created_at","text","response_tweet_id","in_response_to_tweet_id""#
        #expect(FormatDetector.detect(prefix: "\u{FEFF}" + quoted + "\r\n1,2,True,x,y,,") == .twcs)
        #expect(FormatDetector.detect(prefix: header) == .twcs)
        #expect(FormatDetector.detect(prefix: "tweet_id,author_id,inbound,created_at,text\n1,2,True,x,y") == nil)
    }

    @Test func detectsEarshotJSONLFromTheFirstNonEmptyLine() {
        let lines = """

            {"platform":"x","external_id":"1765001000000000001","author":"janedoe","text":"hi","created_at":"2024-03-05T09:15:30Z"}
            {"platform":"x","external_id":"1765001000000000002","author":"janedoe","text":"again","created_at":"2024-03-05T09:16:00Z"}
            """
        #expect(FormatDetector.detect(prefix: lines) == .jsonl)
        // external_id nested in another object is not ours.
        #expect(FormatDetector.detect(prefix: #"{"meta":{"external_id":"1"}}"# + "\n") == nil)
        // A pretty-printed object is not JSON Lines, whatever its keys.
        #expect(FormatDetector.detect(prefix: "{\n  \"external_id\": \"1\",\n  \"text\": \"hi\"\n}\n") == nil)
    }

    @Test func detectsXPagesOnePerLineAndSingleLookups() {
        let stream = #"{"data":[{"id":"1","text":"a","author_id":"9"}],"meta":{"result_count":1}}"# + "\n"
            + #"{"data":[{"id":"2","text":"b","author_id":"9"}],"meta":{"result_count":1}}"#
        #expect(FormatDetector.detect(prefix: stream) == .xV2)
        #expect(FormatDetector.detect(prefix: #"{"data":{"id":"1234567891","text":"@user Great point!"}}"#) == .xV2)
        #expect(FormatDetector.detect(prefix: #"{"data":[],"includes":{"users":[]}}"#) == .xV2)
    }

    @Test func detectsSingleObjectsOfTheArrayFormats() {
        #expect(FormatDetector.detect(prefix: #"{"id_str":"1","text":"a","user":{"screen_name":"a"}}"#) == .twitterV1)
        #expect(FormatDetector.detect(prefix: #"{"id":"7","type":"mention","account":{"acct":"a"}}"#) == .mastodon)
        #expect(FormatDetector.detect(prefix: #"[{"uri":"at://x","reason":"mention","author":{"handle":"a"}}]"#) == .bluesky)
    }

    @Test func keysInsideNestedObjectsDoNotCount() {
        // "user" and "type" appear only inside a nested object here.
        #expect(FormatDetector.detect(prefix: #"[{"id_str":"1","entities":{"user":1}}]"#) == nil)
        #expect(FormatDetector.detect(prefix: #"[{"id":"1","status":{"type":"mention"}}]"#) == nil)
        // A key-like string value is not a key.
        #expect(FormatDetector.detect(prefix: #"{"kind":"notifications","items":["data"]}"#) == nil)
    }

    @Test(arguments: [
        "",
        "   \n\n",
        "hello, world",
        "[]",
        "{}",
        "42",
        "[1, 2, 3]",
        #"{"foo":1,"bar":[{"baz":2}]}"#,
        #"{"data":[{"foo":1}]}"#,
        #"{"errors":[{"title":"Not Found Error"}]}"#,
        #"[{"id":"1","content":"<p>hi</p>"}]"#,
        "id,name\n1,x",
    ])
    func returnsNilWhenUnsure(prefix: String) {
        #expect(FormatDetector.detect(prefix: prefix) == nil)
    }
}
