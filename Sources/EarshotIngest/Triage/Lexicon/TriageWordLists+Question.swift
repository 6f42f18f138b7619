extension TriageWordLists {
    /// Phrases that make a question (or a request for help) even without a question mark.
    static let questionStrong: Lists = [
        (.en, englishQuestionOpeners + [
            "how do I", "how can I", "how do we", "how can we", "how long", "how much", "how many",
            "how come", "how to", "what to", "where to", "when to", "which one", "who do I", "who can",
            "what time", "what happened", "what's", "where's", "when's", "how's",
            "can you", "could you", "would you", "will you", "can u", "could u", "can i", "could i",
            "may i", "can we", "could we", "can someone", "can somebody", "can anyone", "could someone",
            "is there", "are there", "is it possible", "is it", "is this", "are you", "are they",
            "do you", "do u", "does anyone", "does anybody", "does it", "does this", "do i", "do we",
            "did you", "did anyone", "anyone know", "anybody know",
            "anyone else", "any idea", "any ideas", "any update", "any updates", "any news",
            "any word", "any eta", "any chance", "i wonder", "i was wondering", "wondering if",
            "wondering whether", "would love to know", "please advise", "let me know", "need help",
            "please help", "help me", "help please", "someone help", "i need to know",
            "please contact me", "please call me", "please dm me", "please pm me", "dm me", "pm me",
            "please get back to me", "please look into", "please check", "please assist",
            "kindly help", "kindly check", "kindly look into", "kindly assist", "would it",
            "could it", "should i", "should we", "just curious", "curious when", "curious if",
            "curious whether", "curious why", "curious how", "curious about", "pls help", "plz help",
            "pls check", "plz check", "pls advise", "pls dm", "check dm", "check dms", "check your dm",
            "check my dm", "please dm",
        ]),
        (.es, [
            "cómo puedo", "cómo hago", "cómo se", "cómo hacer", "como puedo", "como hago",
            "por qué no", "por qué mi", "me pueden", "me podrían", "me puede", "me podrías",
            "pueden ayudarme", "podrían ayudarme", "puede ayudarme", "hay alguna forma",
            "hay forma de", "hay manera de", "alguien sabe", "sabe alguien", "saben si", "sabes si",
            "necesito ayuda", "necesito saber", "quisiera saber", "me gustaría saber",
            "dónde puedo", "dónde está", "dónde están", "cuándo llega", "cuándo van",
            "cuándo vuelve", "qué pasa con", "qué pasó con", "qué debo", "qué tengo que", "cuál es",
            "es posible",
        ]),
        (.fr, [
            "est-ce que", "est-ce qu'", "pouvez-vous", "pourriez-vous", "pouvez vous",
            "peux-tu", "pourrais-tu", "comment faire", "comment puis-je", "comment je", "comment on",
            "comment fait-on", "comment ça se fait", "comment se fait-il", "comment obtenir",
            "comment annuler", "comment changer", "comment contacter", "comment récupérer",
            "pourquoi est-ce", "pourquoi je", "pourquoi mon", "pourquoi ma", "pourquoi mes",
            "pourquoi vous", "pourquoi ne", "quand est-ce", "quand allez-vous", "quand sera",
            "quand vais-je", "où est", "où sont", "où puis-je", "où trouver", "y a-t-il",
            "il y a moyen", "savez-vous", "sauriez-vous", "j'aimerais savoir", "je voudrais savoir",
            "besoin d'aide", "aidez-moi", "à quelle heure", "combien de temps", "c'est normal",
        ]),
        (.de, [
            "können sie", "könnten sie", "kann man", "kannst du", "könnt ihr", "gibt es",
            "wie kann ich", "wie kann man", "wie lange", "wie bekomme ich", "wie komme ich",
            "warum ist", "warum sind", "warum wird", "warum funktioniert", "warum geht", "warum kann",
            "warum kommt", "wieso ist", "wieso funktioniert", "wann kommt", "wann wird", "wann ist",
            "wann kann", "wo ist", "wo sind", "wo finde ich", "wo kann ich", "weiß jemand",
            "weiss jemand", "ist es möglich", "habt ihr", "haben sie", "hat jemand", "brauche hilfe",
            "bitte um hilfe", "was ist mit", "was kann ich", "was muss ich", "was soll ich",
            "was ist los",
        ]),
        (.ja, [
            "ですか", "ますか", "でしょうか", "ませんか", "でしたか", "ましたか", "のですか", "んですか",
            "か。", "か?", "教えてください", "教えて下さい", "教えていただけ", "知りたい", "どうすれば",
            "どうしたら", "どうやって", "どうして", "なぜ", "何故", "なんで", "いつ頃", "いつまで",
            "どこで", "どこに", "どこから",
        ]),
    ]

    /// English auxiliaries (and a few phrases) that ask when they open a sentence ("Does the
    /// app support...", "Have you changed..."; not "next week will have you falling...").
    /// Left out: negative forms, "have", "has", "was" (tweets drop the subject: "Didn't get
    /// my order", "Have been waiting an hour"), "would", "could" ("Would have been nice"),
    /// and "is", "are", "can", "will" (after a leading @mention the mention is often the
    /// subject: "@sprintcare is the worst", "Can do"); their question phrases ("is there",
    /// "can you") are in `questionStrong`.
    static let questionOpeners: Lists = [
        (.en, ["does", "do", "did", "have you", "have any", "has anyone", "has anybody"]),
    ]

    /// Question words: with a question mark they name the language in the reason; alone they
    /// are not enough ("why I left", "wie immer", "no sé por qué").
    static let questionWeak: Lists = [
        (.en, ["how", "what", "why", "when", "where", "who", "which", "whats", "anyone", "anybody"]),
        (.es, [
            "cómo", "qué", "por qué", "porqué", "cuándo", "dónde", "cuál", "cuánto", "cuánta",
            "cuántos", "quién", "puedo", "pueden", "podrían", "cuando", "donde", "cuanto",
        ]),
        // Bare "comment" is left out: it is also an English word. Its phrases are above.
        (.fr, ["pourquoi", "quand", "où", "quel", "quelle", "quels", "quelles", "combien", "quoi"]),
        // German "was" is left out: it is also an English word. Its phrases are above.
        (.de, ["wie", "warum", "wieso", "weshalb", "wann", "wo", "welche", "welcher", "welches", "wer", "woher", "wohin"]),
        (.ja, ["何", "なに", "どう", "いつ", "どこ", "誰", "だれ", "どれ", "どの"]),
    ]

    /// "how is", "why can't", "where did"...: a question word followed by an auxiliary verb
    /// is a question in English word order. "who" and "which" are left out ("which is why").
    private static let englishQuestionOpeners: [String] = {
        let words = ["how", "what", "why", "when", "where"]
        let auxiliaries = [
            "is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would",
            "should", "has", "have", "am", "isn't", "aren't", "wasn't", "doesn't", "don't", "didn't",
            "can't", "cant", "won't", "wont", "hasn't", "haven't", "shouldn't", "wouldn't",
        ]
        return words.flatMap { word in auxiliaries.map { "\(word) \($0)" } }
    }()
}
