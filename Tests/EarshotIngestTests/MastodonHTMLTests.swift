import EarshotIngest
import Testing

@Suite struct MastodonHTMLTests {
    @Test func aMentionLinkReadsAsAtHandle() {
        let html = #"<p><span class="h-card" translate="no"><a href="https://mastodon.social/@trwnh" class="u-url mention">@<span>trwnh</span></a></span> sup!</p>"#
        #expect(MastodonHTML.plainText(html) == "@trwnh sup!")
    }

    @Test func paragraphsAreSeparatedByABlankLineAndBreaksByANewline() {
        #expect(MastodonHTML.plainText("<p>one</p><p>two<br>three<br/>four<br />five</p>") == "one\n\ntwo\nthree\nfour\nfive")
    }

    @Test func aLinkReadsAsItsWholeURLThoughMastodonHidesPartsOfIt() {
        let html = #"<p>&quot;I lost my inheritance&quot;</p><p><a href="https://www.theguardian.com/money/2019/dec/07/x" rel="nofollow noopener noreferrer" target="_blank"><span class="invisible">https://www.</span><span class="ellipsis">theguardian.com/money/2019/dec</span><span class="invisible">/07/x</span></a></p>"#
        #expect(MastodonHTML.plainText(html) == "\"I lost my inheritance\"\n\nhttps://www.theguardian.com/money/2019/dec/07/x")
    }

    @Test func entitiesAreDecodedOnceAndOnlyInText() {
        #expect(MastodonHTML.plainText("<p>fish &amp; chips &lt;3 it&#39;s &amp;lt; 🐟</p>") == "fish & chips <3 it's &lt; 🐟")
        // An escaped tag is text, never markup.
        #expect(MastodonHTML.plainText("<p>&lt;br&gt; is a tag</p>") == "<br> is a tag")
        #expect(MastodonHTML.plainText(#"<a title="a &amp; b">x</a>"#) == "x")
    }

    @Test func formattingBetweenBlocksAddsNothing() {
        #expect(MastodonHTML.plainText("<p>a</p>\n<p>b</p>\n") == "a\n\nb")
        #expect(MastodonHTML.plainText("<p>a<br></p><p>b</p>") == "a\n\nb")
        #expect(MastodonHTML.plainText("<p></p><p>only</p><p></p>") == "only")
    }

    @Test func spacesInsideTextAreKeptAsWritten() {
        // Mastodon renders content with white-space: pre-wrap.
        #expect(MastodonHTML.plainText("<p>two  spaces <b>bold</b> <i>it</i></p>") == "two  spaces bold it")
    }

    @Test func listsAndQuotesFromOtherServersKeepTheirLines() {
        let html = "<p>Steps:</p><ol><li>unplug</li><li>wait 10 s</li></ol><blockquote><p>quoted</p></blockquote>"
        #expect(MastodonHTML.plainText(html) == "Steps:\n\nunplug\nwait 10 s\n\nquoted")
    }

    @Test func aLiteralLessThanAndCommentsAreHandled() {
        #expect(MastodonHTML.plainText("a < b <!-- a > b --> c") == "a < b  c")
        #expect(MastodonHTML.plainText("1 <2 and <") == "1 <2 and <")
        #expect(MastodonHTML.plainText(#"<a href="x>y">link</a> after"#) == "link after")
    }

    @Test func plainTextWithoutMarkupIsUnchanged() {
        #expect(MastodonHTML.plainText("just text, ümlaut 👋") == "just text, ümlaut 👋")
        #expect(MastodonHTML.plainText("") == "")
    }
}
