import EarshotCore
import EarshotIngest
import Testing

@Suite struct TriageCopyPasteTests {
    /// A flood with a link: the copy-paste rule needs a spam signal besides sameness.
    let petition = "@AcmeSupport please sign our petition to bring back the classic menu https://chng.it/x"

    func send(
        _ classifier: inout TriageClassifier, _ text: String, from author: String, at time: Timestamp = triageTestTime
    ) -> TriageVerdict {
        classifier.classify(TriageInput(text: text, authorHandle: author, channelHandle: "AcmeSupport"), at: time)
    }

    @Test func twoAccountsAreNotSpamThreeAre() {
        var classifier = TriageClassifier()
        #expect(send(&classifier, petition, from: "ann").triageClass != .spam)
        #expect(send(&classifier, petition, from: "bob").triageClass != .spam)
        #expect(send(&classifier, petition, from: "cat")
            == TriageVerdict(triageClass: .spam, reason: "spam: same text from 3 accounts in the last 24h, with a link"))
        #expect(send(&classifier, petition, from: "dan").reason == "spam: same text from 4 accounts in the last 24h, with a link")
    }

    @Test func mentionsLinksDigitsCaseAndSpacesDoNotMakeTextsDifferent() {
        var classifier = TriageClassifier()
        _ = send(&classifier, "@AcmeSupport please sign our petition to bring back the classic menu 1", from: "ann")
        _ = send(&classifier, "@acmehelp PLEASE sign our petition   to bring back the classic menu 22 https://t.co/x", from: "bob")
        #expect(send(&classifier, "please sign our petition to bring back the classic menu 333 @Other https://x.co", from: "cat").triageClass == .spam)
        // A different word is a different text.
        #expect(send(&classifier, "please sign our petition to bring back the classic menus https://x.co", from: "dan").triageClass != .spam)
    }

    @Test func handlesDifferingOnlyInCaseAreOneAccount() {
        var classifier = TriageClassifier()
        _ = send(&classifier, petition, from: "ann")
        _ = send(&classifier, petition, from: "Ann")
        #expect(send(&classifier, petition, from: "ANN").triageClass == .other)
    }

    @Test func aFloodCountsUpTo64Accounts() {
        var classifier = TriageClassifier()
        var last: TriageVerdict?
        for index in 0..<70 { last = send(&classifier, petition, from: "bot\(index)") }
        #expect(last?.reason == "spam: same text from 64+ accounts in the last 24h, with a link")
    }

    @Test func oneAuthorRepeatingIsNotSpam() {
        var classifier = TriageClassifier()
        for _ in 0..<5 { #expect(send(&classifier, petition, from: "ann").triageClass != .spam) }
    }

    @Test func copiesOutsideTheWindowDoNotCount() {
        var classifier = TriageClassifier()
        _ = send(&classifier, petition, from: "ann", at: triageTestTime)
        _ = send(&classifier, petition, from: "bob", at: triageTestTime.adding(seconds: 2 * 3600))
        // 25 hours after ann: only bob and cat are within 24 hours.
        #expect(send(&classifier, petition, from: "cat", at: triageTestTime.adding(seconds: 25 * 3600)).triageClass != .spam)
        #expect(send(&classifier, petition, from: "dan", at: triageTestTime.adding(seconds: 25 * 3600)).triageClass == .spam)
    }

    @Test func thresholdAndWindowAreConfigurable() {
        var classifier = TriageClassifier(duplicateThreshold: 2, windowMilliseconds: 30 * 60_000)
        _ = send(&classifier, petition, from: "ann")
        #expect(send(&classifier, petition, from: "bob")
            == TriageVerdict(triageClass: .spam, reason: "spam: same text from 2 accounts in the last 30min, with a link"))
    }

    @Test func shortTextsDoNotTakePart() {
        var classifier = TriageClassifier()
        for author in ["ann", "bob", "cat", "dan"] {
            #expect(send(&classifier, "@AcmeSupport thanks a lot!", from: author).triageClass == .praise)
        }
    }

    @Test func broadcastsAreNotRemembered() {
        var classifier = TriageClassifier()
        for author in ["ann", "bob", "cat"] {
            let input = TriageInput(text: petition, kind: .retweet, authorHandle: author, channelHandle: "AcmeSupport")
            #expect(classifier.classify(input, at: triageTestTime).triageClass == .broadcast)
        }
        #expect(send(&classifier, petition, from: "dan").triageClass != .spam)
    }

    @Test func memoryForgetsTheLeastRecentlySeenText() {
        let other1 = "@AcmeSupport an entirely different message number one"
        let other2 = "@AcmeSupport yet another different message, the second"

        // Room for three texts: the petition survives two others.
        var roomy = TriageClassifier(memory: 3)
        _ = send(&roomy, petition, from: "ann")
        _ = send(&roomy, petition, from: "bob")
        _ = send(&roomy, other1, from: "x")
        _ = send(&roomy, other2, from: "y")
        #expect(send(&roomy, petition, from: "cat").triageClass == .spam)

        // Room for two: the petition, seen least recently, is forgotten.
        var tight = TriageClassifier(memory: 2)
        _ = send(&tight, petition, from: "ann")
        _ = send(&tight, petition, from: "bob")
        _ = send(&tight, other1, from: "x")
        _ = send(&tight, other2, from: "y")
        #expect(send(&tight, petition, from: "cat").triageClass != .spam)

        // Seeing a text again makes it recent: other1 is forgotten instead.
        var refreshed = TriageClassifier(memory: 2)
        _ = send(&refreshed, petition, from: "ann")
        _ = send(&refreshed, other1, from: "x")
        _ = send(&refreshed, petition, from: "bob")
        _ = send(&refreshed, other2, from: "y")
        #expect(send(&refreshed, petition, from: "cat").triageClass == .spam)
    }

    /// During an outage real customers write the same sentence: twenty of them asking where
    /// their order is (the numbers differ, and digits are not part of the comparison) all
    /// stay in the queue.
    @Test func sameQuestionFromManyCustomersWithoutASpamSignalStays() {
        var classifier = TriageClassifier()
        for index in 1...20 {
            let verdict = send(&classifier, "@acme my order \(1000 + index) never arrived, where is it?", from: "customer\(index)")
            #expect(verdict.triageClass == .question, "customer \(index): \(verdict.reason)")
        }
    }

    /// Each spam signal turns the same flood into spam, and says which.
    @Test func eachSpamSignalMakesAFloodSpam() {
        let floods = [
            ("@acme my parcel never arrived, track it here https://bit.ly/x", "a link"),
            ("@acme my parcel never arrived, call 555 123 4567 now", "a phone number"),
            ("@acme my parcel never arrived, contact @parcelhelp today", "\"contact @parcelhelp\""),
        ]
        for (text, signal) in floods {
            var classifier = TriageClassifier()
            _ = send(&classifier, text, from: "ann")
            _ = send(&classifier, text, from: "bob")
            let verdict = send(&classifier, text, from: "cat")
            #expect(verdict.triageClass == .spam, "\(text): \(verdict.reason)")
            #expect(verdict.reason.hasSuffix("with \(signal)"), "\(text): \(verdict.reason)")
        }
    }
}
