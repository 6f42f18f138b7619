import EarshotCore
import EarshotIngest
import Testing

let triageTestTime = Timestamp(secondsSinceEpoch: 1_700_000_000)

/// Classifies one message with a fresh classifier (no copy-paste memory).
func classifyOnce(
    _ text: String, kind: MentionKind = .mention, author: String = "customer",
    channel: String = "AcmeSupport", sharesOurPost: Bool = false
) -> TriageVerdict {
    var classifier = TriageClassifier()
    let input = TriageInput(
        text: text, kind: kind, authorHandle: author, channelHandle: channel,
        referencesChannelPost: sharesOurPost)
    return classifier.classify(input, at: triageTestTime)
}

@Suite struct TriageClassifierQuestionTests {
    @Test(arguments: [
        "@AcmeSupport how do I reset my password?",
        "@AcmeSupport is there a way to change my delivery address",
        "@AcmeSupport can you tell me when the store opens",
        "@AcmeSupport where is my order? It says shipped 3 days ago",
        "@AcmeSupport does the app support dark mode",
        "@AcmeSupport Any update on my ticket",
    ])
    func english(text: String) {
        #expect(classifyOnce(text).triageClass == .question, "\(text)")
    }

    @Test(arguments: [
        "@AcmeSupport ¿Cómo puedo cambiar mi contraseña?",
        "@AcmeSupport hola, ¿dónde está mi pedido?",
        "@AcmeSupport me pueden ayudar con mi factura",
        "@AcmeSupport necesito ayuda con mi cuenta",
        "@AcmeSupport cuándo llega el envío a Madrid",
    ])
    func spanish(text: String) {
        #expect(classifyOnce(text).triageClass == .question, "\(text)")
    }

    @Test(arguments: [
        "@AcmeSupport Bonjour, est-ce que vous livrez en Belgique",
        "@AcmeSupport pouvez-vous m'aider avec ma commande",
        "@AcmeSupport pourquoi ma commande n'est pas encore arrivée ?",
        "@AcmeSupport comment puis-je changer mon adresse",
        "@AcmeSupport où est mon colis",
    ])
    func french(text: String) {
        #expect(classifyOnce(text).triageClass == .question, "\(text)")
    }

    @Test(arguments: [
        "@AcmeSupport Können Sie mir bei meiner Bestellung helfen",
        "@AcmeSupport gibt es die App auch für Android",
        "@AcmeSupport Wann kommt mein Paket?",
        "@AcmeSupport wie kann ich mein Passwort ändern",
        "@AcmeSupport Warum ist die Lieferung noch nicht da",
    ])
    func german(text: String) {
        #expect(classifyOnce(text).triageClass == .question, "\(text)")
    }

    @Test(arguments: [
        "@AcmeSupport 注文した商品はいつ届きますか",
        "@AcmeSupport 返品はできますか？",
        "@AcmeSupport パスワードの変更方法を教えてください",
        "@AcmeSupport アプリが使えないのはなぜでしょうか",
        "@AcmeSupport 店舗の営業時間は何時までか。",
    ])
    func japanese(text: String) {
        #expect(classifyOnce(text).triageClass == .question, "\(text)")
    }

    @Test func aQuestionMarkAloneIsAQuestion() {
        #expect(classifyOnce("@AcmeSupport the blue one or the red one?") == TriageVerdict(triageClass: .question, reason: "question: \"?\""))
    }

    @Test func aQuestionWordAloneIsNot() {
        // "why" and "wie" without a question mark are as often statements.
        #expect(classifyOnce("@AcmeSupport that is why I came back").triageClass == .other)
        #expect(classifyOnce("@AcmeSupport wie immer alles gut").triageClass == .praise)
    }
}

@Suite struct TriageClassifierComplaintAndPraiseTests {
    @Test(arguments: [
        "@AcmeSupport worst customer service ever",
        "@AcmeSupport my package is late again and nobody answers the phone",
        "@AcmeSupport the app keeps crashing since the update",
        "@AcmeSupport I've been on hold for 2 hours. Unacceptable.",
        "@AcmeSupport servicio pésimo, llevo una semana sin internet",
        "@AcmeSupport c'est honteux, toujours pas de remboursement",
        "@AcmeSupport Frechheit! Mein Paket ist immer noch nicht angekommen",
        "@AcmeSupport 最悪の対応でした",
        "@AcmeSupport still no refund 😡",
    ])
    func complaints(text: String) {
        #expect(classifyOnce(text).triageClass == .complaint, "\(text)")
    }

    @Test(arguments: [
        "@AcmeSupport thank you so much, you guys are awesome",
        "@AcmeSupport Love the new update",
        "@AcmeSupport muchas gracias por la ayuda",
        "@AcmeSupport merci beaucoup, problème résolu",
        "@AcmeSupport Vielen Dank für die schnelle Hilfe!",
        "@AcmeSupport 迅速な対応ありがとうございました",
        "@AcmeSupport ❤️❤️❤️",
    ])
    func praise(text: String) {
        #expect(classifyOnce(text).triageClass == .praise, "\(text)")
    }

    @Test func degenerateInputs() {
        #expect(classifyOnce("").triageClass == .other)
        #expect(classifyOnce(" \n\r\t ").triageClass == .other)
        #expect(classifyOnce("?").triageClass == .question)
        #expect(classifyOnce("@").triageClass == .other)
        #expect(classifyOnce("#").triageClass == .other)
        #expect(classifyOnce("🎉").triageClass == .praise)
        let long = String(repeating: "my order is late and nobody answers ", count: 20_000)
        #expect(classifyOnce(long).triageClass == .complaint)
    }

    @Test func otherWhenNothingMatches() {
        #expect(classifyOnce("@AcmeSupport order 12345") == TriageVerdict(triageClass: .other, reason: "other: no rule matched"))
    }
}

@Suite struct TriageClassifierBroadcastAndSpamTests {
    @Test func retweetsAndSharesOfOurPost() {
        #expect(classifyOnce("RT @AcmeSupport: summer sale", kind: .retweet)
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: retweet"))
        #expect(classifyOnce("nice", kind: .retweet, sharesOurPost: true)
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: retweet of @AcmeSupport's post"))
        #expect(classifyOnce("look at this", kind: .quote, sharesOurPost: true)
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: quote of @AcmeSupport's post"))
        // A quote of someone else's post is read like any message.
        #expect(classifyOnce("@AcmeSupport is this true?", kind: .quote).triageClass == .question)
    }

    @Test func manualRetweetsViaAndLinkShares() {
        #expect(classifyOnce("RT @DealsDaily: 20% off at @AcmeSupport today")
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: \"RT @DealsDaily\""))
        #expect(classifyOnce("Great read on customer care https://t.co/abc via @AcmeSupport")
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: \"via @AcmeSupport\""))
        #expect(classifyOnce("New phones from @AcmeSupport are out https://t.co/xyz")
            == TriageVerdict(triageClass: .broadcast, reason: "broadcast: link share (1 link, addressed to nobody)"))
        // "via" in the middle of a sentence is not the share idiom.
        #expect(classifyOnce("@AcmeSupport I asked via @AcmeHelp and got no answer").triageClass == .complaint)
        // A link sent to the brand is a customer showing something.
        #expect(classifyOnce("@AcmeSupport https://t.co/xyz").triageClass == .other)
        #expect(classifyOnce("my screen after the update https://t.co/xyz @AcmeSupport").triageClass == .other)
    }

    @Test(arguments: [
        ("@AcmeSupport Get free followers now https://t.co/x", "spam: \"free followers\" (en)"),
        ("@AcmeSupport DM me to recover your account", "spam: \"dm me to recover\" (en)"),
        ("@AcmeSupport Hacked? Contact @RecoverPro for help", "spam: \"Hacked\" and \"Contact @RecoverPro\""),
        ("@AcmeSupport contact us on WhatsApp +1 555 123 4567", "spam: \"WhatsApp\" and a phone number"),
        ("@AcmeSupport huge giveaway today https://t.co/x", "spam: \"giveaway\" (en) and a link"),
        ("@AcmeSupport bitcoin investment, 30% a week", "spam: \"bitcoin\" (en) and \"investment\" (en)"),
        ("@AcmeSupport https://a.co/1 https://a.co/2 https://a.co/3", "spam: 3 links"),
        ("@AcmeSupport send to 0x52908400098527886E0F7030069857D2E4169EE7", "spam: wallet address"),
        ("@AcmeSupport te ayudo a recuperar tu cuenta", "spam: \"recuperar tu cuenta\" (es)"),
        ("@AcmeSupport je peux récupérer votre compte", "spam: \"récupérer votre compte\" (fr)"),
        ("@AcmeSupport Kostenlose Follower hier", "spam: \"kostenlose follower\" (de)"),
        ("@AcmeSupport 無料フォロワーはこちら", "spam: \"無料フォロワー\" (ja)"),
    ])
    func spam(text: String, reason: String) {
        #expect(classifyOnce(text) == TriageVerdict(triageClass: .spam, reason: reason))
    }

    @Test func customersTalkingAboutTheSameTopicsAreNotSpam() {
        #expect(classifyOnce("@AcmeSupport when does the giveaway end?").triageClass == .question)
        #expect(classifyOnce("@AcmeSupport my account was hacked, how do I recover my account?").triageClass == .question)
        // "contact me": the customer gives their own address (a request, so a question).
        #expect(classifyOnce("@AcmeSupport I was hacked, please contact me at jo@example.com").triageClass == .question)
        // Contacting the brand itself is no hand-off.
        #expect(classifyOnce("@AcmeSupport got hacked, I tried to contact @AcmeSupport twice").triageClass == .complaint)
    }
}
