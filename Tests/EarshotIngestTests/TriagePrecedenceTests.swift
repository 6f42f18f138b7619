import EarshotCore
import EarshotIngest
import Testing

@Suite struct TriagePrecedenceTests {
    @Test func aPlainQuestionAboutAProblemIsAQuestion() {
        #expect(classifyOnce("@AcmeSupport Why is my order late?")
            == TriageVerdict(triageClass: .question, reason: "question: \"?\" and \"why is\" (en)"))
    }

    @Test func exasperationMakesItAComplaint() {
        #expect(classifyOnce("@AcmeSupport Why is my order late?!")
            == TriageVerdict(triageClass: .complaint, reason: "complaint: \"late\" (en) and \"?!\""))
        #expect(classifyOnce("@AcmeSupport where is my refund??").triageClass == .complaint)
    }

    @Test func strongWordsOutweighAQuestion() {
        #expect(classifyOnce("@AcmeSupport why is your service so terrible?")
            == TriageVerdict(triageClass: .complaint, reason: "complaint: \"terrible\" (en), outweighs question \"?\""))
        #expect(classifyOnce("@AcmeSupport still waiting, any update").triageClass == .complaint)
    }

    @Test func thanksAndAQuestionIsAQuestion() {
        #expect(classifyOnce("@AcmeSupport thanks! how do I export my data?").triageClass == .question)
        #expect(classifyOnce("@AcmeSupport muchas gracias, ¿tienen tienda en Lima?").triageClass == .question)
        #expect(classifyOnce("@AcmeSupport can you check my order? thanks in advance").triageClass == .question)
    }

    @Test func praiseAgainstProblemWords() {
        #expect(classifyOnce("@AcmeSupport thanks for nothing").triageClass == .complaint)
        #expect(classifyOnce("@AcmeSupport thanks, no problem at all")
            == TriageVerdict(triageClass: .praise, reason: "praise: \"thanks\" (en)"))
        #expect(classifyOnce("@AcmeSupport love the app but it keeps crashing")
            == TriageVerdict(triageClass: .complaint, reason: "complaint: \"keeps crashing\" (en), outweighs praise \"love\" (en)"))
        #expect(classifyOnce("@AcmeSupport had a problem earlier but you fixed it, thank you")
            == TriageVerdict(triageClass: .praise, reason: "praise: \"fixed it\" (en), outweighs complaint \"problem\" (en)"))
        // A tie is a complaint: sarcasm usually looks like this.
        #expect(classifyOnce("@AcmeSupport great, my flight got cancelled").triageClass == .complaint)
        #expect(classifyOnce("@AcmeSupport tolles Produkt, aber die Lieferung ist verspätet").triageClass == .complaint)
    }

    @Test func broadcastBeatsSpamAndSpamBeatsWording() {
        #expect(classifyOnce("free followers for everyone", kind: .retweet).triageClass == .broadcast)
        #expect(classifyOnce("@AcmeSupport want free followers? https://t.co/x").triageClass == .spam)
    }
}

@Suite struct TriageWordBoundaryTests {
    @Test func wordsMatchWholeWordsOnly() {
        #expect(classifyOnce("@AcmeSupport the show was great").triageClass == .praise)
        #expect(classifyOnce("@AcmeSupport showtime tonight").triageClass == .other)  // not "how"
        #expect(classifyOnce("@AcmeSupport whatever").triageClass == .other)  // not "what"
        #expect(classifyOnce("@AcmeSupport the lateral panel").triageClass == .other)  // not "late"
        #expect(classifyOnce("@AcmeSupport thanksgiving order").triageClass == .other)  // not "thanks"
        #expect(classifyOnce("@AcmeSupport Ekstase pur").triageClass == .other)  // not "ist"/"was"
    }

    @Test func linksAndHandlesAreNotWords() {
        #expect(classifyOnce("@AcmeSupport https://example.com/how-do-i-get-a-refund").triageClass == .other)
        #expect(classifyOnce("@HowDoIHelp @AcmeSupport order 55").triageClass == .other)
    }

    @Test func hashtagsApostrophesAndCaseAreNormalised() {
        #expect(classifyOnce("@AcmeSupport #EpicFail").triageClass == .complaint)
        #expect(classifyOnce("@AcmeSupport I CAN’T LOG IN")
            == TriageVerdict(triageClass: .complaint, reason: "complaint: \"can't log in\" (en)"))
        #expect(classifyOnce("@AcmeSupport ÜBERHAUPT KEIN INTERNET").triageClass == .complaint)
    }

    @Test func longestPhraseWins() {
        // "can't wait" hides "can't"; "no problem" hides "problem".
        #expect(classifyOnce("@AcmeSupport can't wait for the launch").triageClass == .praise)
        #expect(classifyOnce("@AcmeSupport no problem").triageClass == .praise)
    }

    @Test func japaneseMatchesSubstrings() {
        #expect(classifyOnce("@AcmeSupport いつ届きますか") == TriageVerdict(triageClass: .question, reason: "question: \"ますか\" (ja)"))
        #expect(classifyOnce("@AcmeSupport 本当に最悪").triageClass == .complaint)
    }
}
