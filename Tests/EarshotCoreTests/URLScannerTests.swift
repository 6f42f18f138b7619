import EarshotCore
import Testing

/// What twitter-text's rules take for a URL (and so count as 23), and what they leave as text.
@Suite struct URLScannerTests {
    private func urls(_ text: String) -> [String] { URLScanner.urls(in: text).map(\.text) }

    @Test func withAndWithoutScheme() {
        #expect(urls("see http://example.com and https://example.org/a") == ["http://example.com", "https://example.org/a"])
        #expect(urls("HTTPS://WWW.EXAMPLE.COM/Index.html") == ["HTTPS://WWW.EXAMPLE.COM/Index.html"])
        #expect(urls("see example.com, example.org") == ["example.com", "example.org"])
        #expect(urls("http://example.com:8080/login") == ["http://example.com:8080/login"])
        // Other schemes are not URLs, and a domain straight after `/` is not a bare domain either.
        #expect(urls("ftp://example.com") == [])
        #expect(urls("no scheme, no dot") == [])
    }

    @Test func bareDomainsNeedAKnownTopLevelDomain() {
        #expect(urls("foo.com foo.net foo.org foo.edu foo.gov") == ["foo.com", "foo.net", "foo.org", "foo.edu", "foo.gov"])
        #expect(urls("shop.foo band.photography") == ["shop.foo", "band.photography"])  // newer generic TLDs
        #expect(urls("foo.jp foo.co.uk t.co MLB.tv") == ["foo.jp", "foo.co.uk", "t.co", "MLB.tv"])  // country codes
        #expect(urls("foo.baz foo.comm foo.somecom www.xxxxxxx.baz") == [])  // not TLDs
        #expect(urls("long.test.tar.bz2 notes.txt readme.md") == ["readme.md"])  // md is Moldova's
        #expect(urls("example.com's page") == ["example.com"])
        #expect(urls("example.com-not") == [])  // a TLD must not run on into a letter, digit, -, + or @
    }

    @Test func trailingPunctuationAndParentheses() {
        #expect(urls("Go to example.com.") == ["example.com"])
        #expect(urls("(see http://example.com)") == ["http://example.com"])
        #expect(urls("(see example.com/path)") == ["example.com/path"])
        #expect(urls("http://example.com/path!!! really?") == ["http://example.com/path"])
        #expect(urls("http://example.com/a,b,c, then") == ["http://example.com/a,b,c"])
        #expect(urls("http://en.wikipedia.org/wiki/Primer_(film)") == ["http://en.wikipedia.org/wiki/Primer_(film)"])
        #expect(urls("http://example.com/track/We_Up_(Album_Version_(Edited))/") == [
            "http://example.com/track/We_Up_(Album_Version_(Edited))/",
        ])
        // A group joins the path only when it follows an ending character (or another group) directly.
        #expect(urls("http://example.com/a(b)c http://example.com/a(b)") == ["http://example.com/a(b)c", "http://example.com/a(b)"])
        #expect(urls("http://example.com/a$(b) http://example.com/a.(b)") == ["http://example.com/a", "http://example.com/a"])
        #expect(urls("http://example.com/view?q=1&r=2. Thanks") == ["http://example.com/view?q=1&r=2"])
        #expect(urls("http://example.com/slug-?foo=bar") == ["http://example.com/slug-?foo=bar"])
        // Without a path, a bare domain's port or query is not part of what is reported.
        #expect(urls("example.com?x=1") == ["example.com"])
    }

    @Test func notInsideMentionsHashtagsCashtagsOrEmails() {
        #expect(urls("#test.com @test.com $test.com #http://test.com @http://test.com") == [])
        #expect(urls("name@example.com john.doe.gov@mail.com") == [])
        #expect(urls("file_name.com sub-domain.com") == ["sub-domain.com"])  // not after - _ . or /
        #expect(urls("text http://domain-dash_2314352345_dfasd.foo-cow_4352.com") == [])  // no _ in the domain name
        #expect(urls("http://sub_domain-dash.twitter.com") == ["http://sub_domain-dash.twitter.com"])  // in a subdomain, yes
    }

    @Test func tcoLinks() {
        #expect(urls("I like http://t.co/pbY2NfTZ's site") == ["http://t.co/pbY2NfTZ"])
        #expect(urls("https://t.co/UqIyJAJTfo?amp=1") == ["https://t.co/UqIyJAJTfo?amp=1"])
        #expect(urls("http://t.co/" + String(repeating: "a", count: 40)).count == 1)
        #expect(urls("http://t.co/" + String(repeating: "a", count: 41)) == [])  // slug over 40: not a t.co link
        #expect(urls("t.co/abcde bit.ly/abcde") == ["t.co/abcde", "bit.ly/abcde"])
    }

    @Test func internationalDomains() {
        // With a scheme any letters may form the domain; without one only an ASCII domain is taken.
        #expect(urls("http://ああ.com http://foobar.みんな/") == ["http://ああ.com", "http://foobar.みんな/"])
        #expect(urls("これは日本語です。example.com中国語") == ["example.com"])
        #expect(urls("ああ.com") == [])
        #expect(urls("twitter.みんな") == ["twitter.みんな"])
        #expect(urls("test http://xn--ls8h.XN--ls8h.la/") == ["http://xn--ls8h.XN--ls8h.la/"])  // punycode
        #expect(urls("Hello http://xn--はじめよう.com/index.html") == [])  // a punycode prefix on non-ASCII
        #expect(urls("ELPAÍS.com") == ["ELPAÍS.com"])
    }

    /// A label must be 1 to 63 characters once encoded as punycode (`xn--` and the encoding when not ASCII).
    @Test func domainLabelsOver63AreNotURLs() {
        #expect(urls("http://" + String(repeating: "a", count: 63) + ".com").count == 1)
        #expect(urls("http://" + String(repeating: "a", count: 64) + ".com") == [])
        #expect(urls("http://" + String(repeating: "あ", count: 57) + ".com").count == 1)  // xn-- + 59
        #expect(urls("http://" + String(repeating: "あ", count: 58) + ".com") == [])  // xn-- + 60
        // Rejected, such a URL is counted character by character.
        #expect(ReplyLength.measure("http://" + String(repeating: "a", count: 64) + ".com").weightedLength == 75)
    }

    @Test func rangesAndTextAreWhereTheURLIs() {
        let found = URLScanner.urls(in: "twitter.comこれは日本語です。example.com中国語t.co/abcde")
        #expect(found == [
            DetectedURL(text: "twitter.com", range: 0..<11),
            DetectedURL(text: "example.com", range: 20..<31),
            DetectedURL(text: "t.co/abcde", range: 34..<44),
        ])
    }
}
