extension TriageWordLists {
    /// Single words with a structural role (see `TriageMarker`).
    static let markers: [(TriageMarker, [String])] = [
        (.retweet, ["rt"]),
        (.via, ["via"]),
        (.contactVerb, [
            "contact", "dm", "message", "msg", "text", "reach", "write", "inbox", "email", "mail",
            "call", "whatsapp", "telegram", "contacta", "contacte", "contactez", "écrivez",
            "kontaktiere", "kontaktieren", "schreib", "schreibt",
        ]),
        (.pivot, [
            "but", "however", "although", "though", "except", "pero", "aunque", "mais", "cependant",
            "pourtant", "toutefois", "aber", "jedoch", "allerdings", "trotzdem",
        ]),
        (.pronoun, [
            "i", "me", "my", "mine", "myself", "we", "us", "our", "you", "your", "yours", "u", "ur",
            "im", "ive", "yo", "mi", "mis", "nos", "nuestro", "nuestra", "tu", "tus", "usted",
            "ustedes", "je", "j", "moi", "mon", "ma", "mes", "nous", "notre", "vous", "votre", "vos",
            "ton", "ta", "tes", "ich", "mich", "mir", "mein", "meine", "meinen", "meinem", "meiner",
            "wir", "uns", "unser", "unsere", "du", "dich", "dir", "dein", "deine", "ihr", "euch",
            "euer",
        ]),
        (.messenger, ["whatsapp", "watsapp", "whatapp", "whatsap", "telegram"]),
        (.recoveryTopic, [
            "hacked", "hack", "hacker", "hackers", "recover", "recovery", "restore", "unlock",
            "hackeado", "hackeada", "hackearon", "recuperar", "piraté", "piratée", "récupérer",
            "gehackt", "wiederherstellen",
        ]),
    ]
}
