import EarshotIngest
import Testing

@Suite struct HTMLEntitiesTests {
    @Test func decodesTheEntitiesTwitterEscapes() {
        #expect(HTMLEntities.decode("Fish &amp; chips &lt;3 &gt;:(") == "Fish & chips <3 >:(")
    }

    @Test func decodesNumericReferences() {
        #expect(HTMLEntities.decode("it&#39;s &#x1F600; &#X41;") == "it's 😀 A")
    }

    @Test func decodesOnlyOnce() {
        // "&amp;lt;" is the escaped form of the literal text "&lt;".
        #expect(HTMLEntities.decode("&amp;lt;") == "&lt;")
    }

    @Test func keepsWhatIsNotAReference() {
        #expect(HTMLEntities.decode("AT&T & co; &bogus; &#xZZ; &#0; &") == "AT&T & co; &bogus; &#xZZ; &#0; &")
        #expect(HTMLEntities.decode("no entities") == "no entities")
    }
}
