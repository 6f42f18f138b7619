/// What a simulated customer means to say. The ingest's classifier decides the stored class on
/// its own; `DemoGeneratorTests` checks it agrees with these on most generated mentions.
public enum DemoIntent: String, CaseIterable, Sendable, Codable {
    case question, complaint, praise, broadcast, spam
}

public enum DemoLanguage: String, CaseIterable, Sendable, Codable {
    case english = "en", spanish = "es", japanese = "ja"
}

/// What a message is about, so that a teammate's answer fits it.
public enum DemoTopic: String, CaseIterable, Sendable, Codable {
    case order, refund, login, app, store, outage, thanks, other
}

/// The demo's texts: customer messages per intent and language, teammates' answers per topic
/// and language. `{name}` slots are filled by `DemoPhrasebook.fill`; every customer template
/// has at least one slot or varies with the emoji added to it, so three customers rarely send
/// the very same text (which the classifier's copy-paste rule would call spam).
enum DemoPhrasebook {
    struct Phrase: Sendable {
        let intent: DemoIntent
        let language: DemoLanguage
        let topic: DemoTopic
        /// What exactly it asks or reports, which picks the answer (`answers`).
        let subject: String
        let text: String

        init(intent: DemoIntent, language: DemoLanguage, topic: DemoTopic, subject: String? = nil, text: String) {
            self.intent = intent
            self.language = language
            self.topic = topic
            self.subject = subject ?? topic.rawValue
            self.text = text
        }
    }

    static let customer: [Phrase] = english + spanish + japanese

    private static let english: [Phrase] = [
        .init(intent: .question, language: .english, topic: .order, subject: "whereIsOrder", text: "where is my order {order}? tracking hasn't moved since {weekday}"),
        .init(intent: .question, language: .english, topic: .order, subject: "whereIsOrder", text: "any update on order {order}? the site said {days} days"),
        .init(intent: .question, language: .english, topic: .order, subject: "address", text: "how do I change the delivery address on {order}?"),
        .init(intent: .question, language: .english, topic: .order, subject: "shipTo", text: "do you ship to {city}? can't find it in the list"),
        .init(intent: .question, language: .english, topic: .refund, subject: "refundTime", text: "how long does a refund take to show up on my card? returned the {item} on {weekday}"),
        .init(intent: .question, language: .english, topic: .refund, subject: "returnNoBox", text: "can I return the {item} without the original box?"),
        .init(intent: .question, language: .english, topic: .login, subject: "resetMail", text: "can you help me reset my password? the email never comes"),
        .init(intent: .question, language: .english, topic: .login, subject: "twoFactor", text: "how do I turn on two-factor for my account?"),
        .init(intent: .question, language: .english, topic: .app, subject: "darkMode", text: "is there a dark mode in the app or is that just me wishing"),
        .init(intent: .question, language: .english, topic: .store, subject: "stock", text: "is the {item} back in stock anytime soon?"),
        .init(intent: .question, language: .english, topic: .store, subject: "hours", text: "what time does the {city} store open on Sunday?"),
        .init(intent: .question, language: .english, topic: .store, subject: "warranty", text: "quick question: does the {item} come with a warranty?"),
        .init(intent: .question, language: .english, topic: .store, subject: "priceMatch", text: "do you price match? saw the {item} cheaper in {city}"),
        .init(intent: .complaint, language: .english, topic: .order, subject: "lateOrder", text: "still waiting on order {order}, it's been {days} days"),
        .init(intent: .complaint, language: .english, topic: .order, subject: "damaged", text: "the {item} arrived damaged, box totally crushed"),
        .init(intent: .complaint, language: .english, topic: .order, subject: "cancelledDelivery", text: "third time my delivery got cancelled this month. do better"),
        .init(intent: .complaint, language: .english, topic: .refund, subject: "doubleCharge", text: "charged twice for order {order}. not happy"),
        .init(intent: .complaint, language: .english, topic: .refund, subject: "missingRefund", text: "returned the {item} {days} weeks ago and still no refund"),
        .init(intent: .complaint, language: .english, topic: .login, subject: "lockedOut", text: "locked out of my account since {weekday}, the reset link is broken"),
        .init(intent: .complaint, language: .english, topic: .app, subject: "appCrash", text: "your app keeps crashing when I open my cart"),
        .init(intent: .complaint, language: .english, topic: .app, subject: "appLogin", text: "can't log in since the update, it just says error {code}"),
        .init(intent: .complaint, language: .english, topic: .store, subject: "onHold", text: "on hold for {minutes} minutes and then the call dropped. unbelievable"),
        .init(intent: .complaint, language: .english, topic: .store, subject: "brokenItem", text: "my {item} stopped working after {days} days"),
        .init(intent: .praise, language: .english, topic: .thanks, text: "thanks so much, the {item} arrived a day early"),
        .init(intent: .praise, language: .english, topic: .thanks, text: "love the new {item}, great quality"),
        .init(intent: .praise, language: .english, topic: .thanks, text: "quick response from your team on {weekday}, really appreciate it"),
        .init(intent: .praise, language: .english, topic: .thanks, text: "shoutout to the {city} store staff, super helpful"),
        .init(intent: .praise, language: .english, topic: .thanks, text: "order {order} sorted in five minutes. you rock"),
        .init(intent: .spam, language: .english, topic: .other, text: "Hacked account? Contact @{scammer} they got mine back in 1 hour"),
        .init(intent: .spam, language: .english, topic: .other, text: "Bitcoin giveaway for {brand} fans! claim now {scamlink}"),
        .init(intent: .spam, language: .english, topic: .other, text: "Need your refund fast? WhatsApp our agent +1 555 01{nn} {nnnn}"),
        .init(intent: .spam, language: .english, topic: .other, text: "earn money from home {nn}00 USD a week, ask me how {scamlink}"),
        .init(intent: .spam, language: .english, topic: .other, text: "send ETH to {wallet} and get double back, only today"),
    ]

    private static let spanish: [Phrase] = [
        .init(intent: .question, language: .spanish, topic: .order, subject: "whereIsOrder", text: "¿dónde está mi pedido {order}? no se mueve desde el {weekday}"),
        .init(intent: .question, language: .spanish, topic: .order, subject: "shipTo", text: "¿hacen envíos a {city}?"),
        .init(intent: .question, language: .spanish, topic: .order, subject: "address", text: "¿cómo puedo cambiar la dirección de entrega del pedido {order}?"),
        .init(intent: .question, language: .spanish, topic: .refund, subject: "returnHow", text: "¿me pueden ayudar con la devolución de {item}?"),
        .init(intent: .question, language: .spanish, topic: .store, subject: "stock", text: "¿cuándo llega {item} a la tienda de {city}?"),
        .init(intent: .complaint, language: .spanish, topic: .order, subject: "lateOrder", text: "mi pedido {order} todavía no ha llegado y ya van {days} días"),
        .init(intent: .complaint, language: .spanish, topic: .app, subject: "appCrash", text: "la app no funciona desde el {weekday}, sale el error {code}"),
        .init(intent: .complaint, language: .spanish, topic: .refund, subject: "doubleCharge", text: "me cobraron dos veces el pedido {order}, qué desastre"),
        .init(intent: .praise, language: .spanish, topic: .thanks, text: "¡muchas gracias! {item} llegó perfecto"),
        .init(intent: .praise, language: .spanish, topic: .thanks, text: "excelente atención en la tienda de {city}"),
        .init(intent: .spam, language: .spanish, topic: .other, text: "¿Cuenta bloqueada? podemos recuperar tu cuenta hoy, escribe a @{scammer}"),
    ]

    private static let japanese: [Phrase] = [
        .init(intent: .question, language: .japanese, topic: .order, subject: "whereIsOrder", text: "注文{order}はいつ届きますか？"),
        .init(intent: .question, language: .japanese, topic: .store, subject: "hours", text: "{cityJa}の店舗は日曜日も営業していますか？"),
        .init(intent: .question, language: .japanese, topic: .login, subject: "resetMail", text: "パスワードの再設定はどうすればいいですか？"),
        .init(intent: .question, language: .japanese, topic: .store, subject: "stock", text: "{itemJa}の在庫はありますか？"),
        .init(intent: .complaint, language: .japanese, topic: .order, subject: "lateOrder", text: "注文した{itemJa}がまだ届きません。もう{days}日です"),
        .init(intent: .complaint, language: .japanese, topic: .app, subject: "appLogin", text: "アップデートしてからログインできない。エラー{code}"),
        .init(intent: .complaint, language: .japanese, topic: .refund, subject: "doubleCharge", text: "注文{order}で二重に請求されています。返金してください"),
        .init(intent: .praise, language: .japanese, topic: .thanks, text: "{itemJa}届きました！ありがとうございます"),
        .init(intent: .praise, language: .japanese, topic: .thanks, text: "{cityJa}店のスタッフの方、丁寧な対応に感謝します"),
        .init(intent: .spam, language: .japanese, topic: .other, text: "フォロワー限定ビットコインプレゼント！受け取りはこちら {scamlink}"),
    ]

    /// What a burst is about: many customers at once about the same trouble. Slots keep the
    /// texts apart, as real people's are (three identical texts would read as a spam flood).
    static let outage: [Phrase] = [
        .init(intent: .question, language: .english, topic: .outage, text: "is the app down? it won't load at all, error {code} here in {city}"),
        .init(intent: .question, language: .english, topic: .outage, text: "site down again? error {code} trying to pay for {order} for {minutes} minutes now"),
        .init(intent: .question, language: .english, topic: .outage, text: "is anyone else getting error {code} right now?"),
        .init(intent: .question, language: .english, topic: .outage, text: "can't log in, is there an outage? error {code} in {city}"),
        .init(intent: .complaint, language: .english, topic: .outage, text: "checkout keeps failing with error {code}, tried {n} times"),
        .init(intent: .complaint, language: .english, topic: .outage, text: "the app is down for me too in {city}, error {code}"),
        .init(intent: .complaint, language: .english, topic: .outage, text: "payment failed {n} times with error {code}. fix it please"),
        .init(intent: .complaint, language: .english, topic: .outage, text: "your site is down again, error {code} for {minutes} minutes and counting"),
        .init(intent: .question, language: .spanish, topic: .outage, text: "¿la app está caída? sale error {code} aquí en {city}"),
        .init(intent: .complaint, language: .spanish, topic: .outage, text: "no funciona el pago desde hace {minutes} minutos, error {code}"),
        .init(intent: .question, language: .japanese, topic: .outage, text: "{cityJa}ですがアプリが繋がりません。エラー{code}です。障害ですか？"),
        .init(intent: .complaint, language: .japanese, topic: .outage, text: "{minutes}分前から決済でエラー{code}が出ます"),
    ]

    /// Openers and closers around a customer's message: people never type a template twice the
    /// same way, and the classifier's copy-paste rule (same text, digits aside, from three
    /// accounts in a day) would set identical complaints aside as spam.
    static let openers: [DemoLanguage: [String]] = [
        .english: ["", "", "", "hi, ", "hey ", "hello, ", "ok so ", "morning! ", "um, ", "so ", "hey there, ", "hiya, "],
        .spanish: ["", "", "hola, ", "buenas, ", "oye, ", "hola de nuevo, ", "buenos días, "],
        .japanese: ["", "", "すみません、", "こんにちは。", "あの、", "お世話になっております。"],
    ]

    static let closers: [DemoIntent: [DemoLanguage: [String]]] = [
        .question: [
            .english: ["", "", "", " thanks", " thx", " thanks in advance", " cheers", " pls", " (asking for my mum)", " :)", " x"],
            .spanish: ["", "", " gracias", " porfa", " un saludo", " :)"],
            .japanese: ["", "", "よろしくお願いします。", "教えてください。"],
        ],
        .complaint: [
            .english: ["", "", "", " ugh", " come on", " seriously", " smh", " what now", " really annoyed", " sort it out", " not ok"],
            .spanish: ["", "", " en serio", " vaya", " qué mal", " de verdad"],
            .japanese: ["", "", "困っています。", "早く対応してください。", "どうにかしてください。"],
        ],
        .praise: [
            .english: ["", "", "", " made my day", " cheers!", " you're the best", " 10/10", " keep it up", " amazing", " brilliant"],
            .spanish: ["", "", " ¡genial!", " mil gracias", " sois los mejores"],
            .japanese: ["", "", "また利用します！", "最高です！"],
        ],
    ]

    /// The brand's own posts that customers repost (broadcasts).
    static let brandPosts = [
        "Our spring sale starts today: 20% off everything until Sunday",
        "New in the app: dark mode, finally. Update and tell us what you think",
        "We're hiring support heroes in Lisbon and Osaka",
        "Holiday store hours are up on our site",
        "The {item} is back in stock in every store",
    ]

    static let broadcastComments: [DemoLanguage: [String]] = [
        .english: ["this 👇", "finally!", "🔥🔥", "about time", "look @{friend}"],
        .spanish: ["¡por fin!", "mira esto @{friend}"],
        .japanese: ["やった！", "これ気になる👀"],
    ]

    /// A customer writing again in the same thread.
    static let followUps: [DemoFollowUp: [DemoLanguage: [String]]] = [
        .thanks: [
            .english: ["thanks, that worked!", "perfect, thank you {agent}", "got it, thanks for the quick help",
                       "all sorted now, appreciate it", "great, thanks! have a nice {weekday}"],
            .spanish: ["¡gracias, ya funciona!", "perfecto, muchas gracias"],
            .japanese: ["解決しました、ありがとうございます！", "助かりました、ありがとう"],
        ],
        .stillBroken: [
            .english: ["still not working after that, sorry", "did that, still stuck on the same screen",
                       "tracking still says {weekday}, nothing new", "the link you sent gives error {code}"],
            .spanish: ["sigue sin funcionar, lo siento", "todavía no ha llegado nada"],
            .japanese: ["まだ届きません…", "試しましたがまだエラーが出ます"],
        ],
        .nudge: [
            .english: ["hello?? anyone there", "still waiting for an answer here", "bumping this, order {order}",
                       "any news? it's been a while"],
            .spanish: ["¿hola? sigo esperando", "¿alguna novedad?"],
            .japanese: ["まだ返信ありませんか？", "どうなっていますか？"],
        ],
    ]

    static let emoji: [DemoIntent: [String]] = [
        .question: ["🤔", "🙏", "📦", "👀"],
        .complaint: ["😤", "😞", "👎", "🙄", "😩"],
        .praise: ["😊", "🎉", "🙌", "❤️", "💙", "👏"],
        .spam: ["💰", "🚀", "💯"],
        .broadcast: ["🔥"],
    ]

    // MARK: - Teammates' answers

    /// Answers per subject and language (a subject without its own answers in the customer's
    /// language gets the language's `other`); `{order}`, `{item}`, `{city}` and `{code}` are the
    /// customer's own. Short enough that `@handle` + answer + ` ^XX` fits 140 for any demo
    /// handle (checked in DemoGeneratorTests).
    static let answers: [String: [DemoLanguage: [String]]] = [
        "whereIsOrder": [
            .english: ["sorry for the wait! {order} left our warehouse today; tracking updates by tonight.",
                       "I've checked {order}: it's out for delivery tomorrow morning. Sorry for the delay!"],
            .spanish: ["¡perdona la espera! El pedido {order} sale hoy; el seguimiento se actualiza hoy."],
            .japanese: ["お待たせして申し訳ありません。ご注文{order}は本日発送いたしました。"],
        ],
        "lateOrder": [
            .english: ["so sorry! I've chased the courier on {order}; a new date comes by email within 24h.",
                       "that's far too long, sorry. A replacement for {order} goes out by express today."],
            .spanish: ["¡lo siento! Ya reclamé al transportista; te llega la nueva fecha por email en 24h."],
            .japanese: ["大変申し訳ありません。配送業者に確認し、明日お届けの予定です。"],
        ],
        "address": [
            .english: ["you can change it until it ships: Orders > Delivery address. Or DM us the new one!"],
            .spanish: ["puedes cambiarla hasta que salga, en Pedidos > Dirección. ¡O mándanosla por DM!"],
        ],
        "shipTo": [
            .english: ["we do ship to {city}! Pick it at checkout under 'International'.",
                       "yes, {city} is in! Delivery takes 3-5 days from there."],
            .spanish: ["¡sí, enviamos a {city}! Elige 'Internacional' al pagar."],
        ],
        "refundTime": [
            .english: ["3-5 business days once the return is scanned. Yours arrived, so it's on its way!"],
        ],
        "missingRefund": [
            .english: ["sorry, that's too long! Refund pushed through today; it shows in 3-5 business days."],
        ],
        "returnNoBox": [
            .english: ["yes, no box needed. Print the label from Orders > Return and drop it at any store."],
        ],
        "returnHow": [
            .english: ["happy to help: print the label from Orders > Return and drop it at any store."],
            .spanish: ["¡claro! Imprime la etiqueta en Pedidos > Devolución y déjalo en cualquier tienda."],
        ],
        "doubleCharge": [
            .english: ["so sorry about the double charge! The second one is reversed now; 3-5 days to show."],
            .spanish: ["¡perdón por el doble cobro! Ya anulamos el segundo; lo verás en 3-5 días."],
            .japanese: ["二重請求を取り消しました。ご迷惑をおかけし申し訳ありません。"],
        ],
        "resetMail": [
            .english: ["the reset mail can land in spam; I've sent a fresh one just now.",
                       "sent you a new reset link just now. It's valid for an hour!"],
            .japanese: ["再設定メールを再送しました。迷惑メールフォルダもご確認ください。"],
        ],
        "twoFactor": [
            .english: ["it's under Settings > Security > Two-step. Takes a minute!"],
        ],
        "lockedOut": [
            .english: ["sorry about that! I've cleared the block; try 'Forgot password' again now."],
        ],
        "appLogin": [
            .english: ["sorry! Error {code} is fixed in today's update: update the app and log in again."],
            .japanese: ["ご迷惑をおかけしています。本日の更新でエラー{code}は修正済みです。"],
        ],
        "appCrash": [
            .english: ["thanks for flagging! A fix is rolling out today; updating the app sorts it.",
                       "sorry! Could you DM us your phone model? Our app team is on it."],
            .spanish: ["¡gracias por avisar! Hoy sale una corrección; actualiza la app."],
        ],
        "darkMode": [
            .english: ["not yet, but dark mode is on our list for the next release!"],
        ],
        "stock": [
            .english: ["it's back next week! Tap 'Notify me' on the product page and we'll ping you."],
            .spanish: ["¡llega la semana que viene! Pulsa 'Avísame' y te escribimos."],
            .japanese: ["来週入荷予定です。入荷通知をご利用ください。"],
        ],
        "hours": [
            .english: ["opens at 10:00 on Sundays, closes at 18:00. See you there!"],
            .japanese: ["日曜日は10時から18時まで営業しております。"],
        ],
        "warranty": [
            .english: ["yes, two years on every item. Keep the receipt email and you're set."],
        ],
        "priceMatch": [
            .english: ["we do match! Bring the link to any store or DM it to us."],
        ],
        "damaged": [
            .english: ["oh no, sorry! A replacement ships today; no need to send the {item} back."],
        ],
        "cancelledDelivery": [
            .english: ["that's not ok, sorry. I've flagged it with the courier and booked you a new slot."],
        ],
        "onHold": [
            .english: ["sorry about the wait on the phone. I'm here now: what can I help with?"],
        ],
        "brokenItem": [
            .english: ["sorry to hear! That's under warranty: DM us your order number and we'll swap it."],
        ],
        "outage": [
            .english: ["we're on it! Checkout had a hiccup; it's recovering now. Thanks for your patience.",
                       "yes, a short outage on our side. Fixed now; please try again!"],
            .spanish: ["¡estamos en ello! Ya se está recuperando, gracias por la paciencia."],
            .japanese: ["障害が発生しておりましたが、現在は復旧しています。"],
        ],
        "thanks": [
            .english: ["thank you, that made our day!", "so glad to hear it, enjoy!", "thanks for the kind words, we'll pass them on!"],
            .spanish: ["¡gracias a ti! 😊", "¡qué alegría leerlo!"],
            .japanese: ["ありがとうございます！😊", "嬉しいお言葉、ありがとうございます！"],
        ],
        "other": [
            .english: ["thanks for reaching out! Could you DM us your order number so we can take a look?"],
            .spanish: ["¡gracias por escribir! ¿Nos mandas tu número de pedido por DM?"],
            .japanese: ["ご連絡ありがとうございます。DMで注文番号をお送りください。"],
        ],
    ]

    /// Answers to a customer who wrote again that it still does not work.
    static let secondAnswers: [DemoLanguage: [String]] = [
        .english: ["sorry it's still not right. I've escalated it and will follow up by DM today.",
                   "thanks for trying! Let's take this to DM so I can check your account."],
        .spanish: ["perdona, lo he escalado y te escribo por DM hoy."],
        .japanese: ["申し訳ありません。担当部署に確認し、DMでご連絡します。"],
    ]

    static let notes = [
        "Second time this customer writes about it; keep an eye on it.",
        "Courier ticket opened, ref {nnnn}.",
        "Refund approved by billing.",
        "Possible duplicate of a ticket from last week.",
        "Asked the app team; known bug, fix in today's release.",
    ]

    // MARK: - Fillers

    static let items = ["blue kettle", "running shoes", "wireless earbuds", "desk lamp", "backpack", "rain jacket",
                        "coffee grinder", "yoga mat", "phone case", "smart watch"]
    static let itemsSpanish = ["la tetera azul", "las zapatillas", "los auriculares", "la lámpara", "la mochila"]
    static let itemsJapanese = ["ワイヤレスイヤホン", "ランニングシューズ", "電気ケトル", "リュック", "スマートウォッチ"]
    static let cities = ["Lisbon", "Leeds", "Austin", "Toronto", "Dublin", "Madrid", "Lyon", "Denver", "Porto", "Osaka"]
    static let citiesJapanese = ["渋谷", "梅田", "札幌", "横浜", "福岡"]
    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let weekdaysSpanish = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
    /// The app's own error codes, quoted in everyday complaints; an outage's are server errors (`DemoBurst.codes`).
    static let codes = ["E-1042", "401", "PAY-22", "E-7", "E-88", "PAY-19"]
    static let scammers = ["RecoveryPro_22", "AcctFixer", "hack_helpdesk", "Refund_Desk_Official", "CyberRestore"]
    static let scamSites = ["bit.ly/3xGift", "claim-bonus.top/acme", "free-crypto.win/claim", "tinyurl.com/acmegift"]

    /// Fills `{slot}`s from `values`, else with a random filler for the language.
    static func fill(_ template: String, language: DemoLanguage, values: [String: String] = [:],
                     random: inout DemoRandom) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let slot = String(rest[rest.index(after: open)..<close])
            result += values[slot] ?? filler(slot, language: language, random: &random)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func filler(_ slot: String, language: DemoLanguage, random: inout DemoRandom) -> String {
        switch slot {
        case "order": return "#A\(random.int(10_000...99_999))"
        case "item": return language == .spanish ? random.pick(itemsSpanish) : random.pick(items)
        case "itemJa": return random.pick(itemsJapanese)
        case "city": return random.pick(cities)
        case "cityJa": return random.pick(citiesJapanese)
        case "weekday": return language == .spanish ? random.pick(weekdaysSpanish) : random.pick(weekdays)
        case "days": return String(random.int(3...12))
        case "minutes": return String(random.int(25...90))
        case "code": return random.pick(codes)
        case "n": return String(random.int(2...6))
        case "nn": return String(random.int(10...99))
        case "nnnn": return String(random.int(1000...9999))
        case "scammer": return random.pick(scammers) + String(random.int(1...99))
        case "scamlink": return "https://" + random.pick(scamSites) + String(random.int(1...999))
        case "wallet": return "0x" + (0..<40).map { _ in String(random.int(0...15), radix: 16) }.joined()
        case "brand": return "Acme"
        case "friend": return random.pick(["jo_marsh", "tomk", "aya_t", "sofi.r", "benji"])
        case "agent": return random.pick(["Dana", "Kenji", "Lucía", "Sam", "team"])
        default: return slot
        }
    }
}

/// Why a customer writes again in the same thread.
public enum DemoFollowUp: String, CaseIterable, Sendable {
    /// After an answer: it worked.
    case thanks
    /// After an answer: it did not.
    case stillBroken
    /// Nobody answered yet.
    case nudge
}
