extension TriageWordLists {
    /// Praise and thanks. Sarcasm ("great, down again") is caught only because a problem word
    /// in the same message ties or outweighs it.
    static let praise: Lists = [
        (.en, [
            "thank you", "thanks", "thank", "thx", "thnx", "thanx", "ty", "tysm", "tyvm", "thank u",
            "thanks again", "thank you again", "cheers", "appreciate", "appreciated", "appreciate it",
            "much appreciated", "grateful", "love", "loving", "loved", "lovely", "love you", "great",
            "awesome", "amazing", "excellent", "fantastic", "wonderful", "brilliant", "perfect",
            "superb", "outstanding", "terrific", "fabulous", "incredible", "best", "the best",
            "good", "good job", "great job", "nice", "nice job", "well done", "kudos", "props",
            "shoutout", "shout out", "helpful", "impressed", "impressive", "happy", "glad",
            "pleased", "delighted", "satisfied", "thrilled", "yay", "woohoo", "hooray",
            "quick response", "fast response", "quick reply", "fast reply", "prompt response",
            "fast delivery", "quick delivery", "quick service", "fast service", "so fast",
            "so quick", "super fast", "you rock", "you guys rock", "rocks", "legend", "legends",
            "hero", "heroes", "lifesaver", "life saver", "saved my day", "saved the day",
            "you saved", "sorted", "all sorted", "resolved", "solved", "fixed it", "is fixed",
            "works now", "working now", "working again", "works again", "back online", "no problem",
            "no problems", "no worries", "not bad", "can't wait", "cant wait",
            "can't thank you enough", "can't complain", "top notch", "first class", "five stars",
            "5 stars", "highly recommend", "recommend", "congrats", "congratulations",
            "keep it up", "keep up the good work", "god bless", "well played", "neat", "friendly",
            "friendliest", "cool", "couldn't be happier", "could not be happier",
        ]),
        (.es, [
            "gracias", "muchas gracias", "mil gracias", "excelente", "genial", "increíble",
            "buenísimo", "maravilloso", "perfecto", "me encanta", "encanta", "felicidades",
            "felicitaciones", "buen servicio", "buena atención", "muy amables", "amable",
            "agradecido", "agradecida", "agradezco", "la mejor", "el mejor", "los mejores",
            "fantástico", "espectacular", "bravo", "contento", "contenta", "feliz", "solucionado",
            "resuelto", "sin problema", "no hay problema", "muy bien", "buenísima",
        ]),
        (.fr, [
            "merci", "merci beaucoup", "mille mercis", "super", "génial", "excellente", "parfait",
            "parfaite", "félicitations", "formidable", "magnifique", "j'adore", "adore",
            "au top", "très bien", "contente", "ravi", "ravie", "satisfait", "satisfaite",
            "efficace", "réactif", "réactifs", "résolu", "réglé", "le meilleur", "la meilleure",
            "chapeau",
        ]),
        (.de, [
            "danke", "danke schön", "dankeschön", "vielen dank", "herzlichen dank", "besten dank",
            "echt toll", "sehr toll", "klasse", "spitze", "großartig", "grossartig", "hervorragend", "ausgezeichnet",
            "perfekt", "wunderbar", "prima", "zufrieden", "begeistert", "hilfreich", "freundlich",
            "schnelle hilfe", "gelöst", "behoben", "funktioniert wieder", "geht wieder",
            "der beste", "die beste", "ich liebe", "liebe", "gut", "sehr gut", "alles gut",
        ]),
        (.ja, [
            "ありがとう", "ありがとうございます", "ありがとうございました", "感謝", "助かりました",
            "助かります", "最高", "素晴らしい", "すばらしい", "素敵", "すてき", "大好き", "好き",
            "嬉しい", "うれしい", "良かった", "よかった", "丁寧", "迅速", "神対応", "解決しました",
            "直りました",
        ]),
        (.emoji, ["❤", "💕", "💖", "💙", "😍", "🥰", "👍", "🙌", "👏", "🙏", "😊", "🎉"]),
    ]

    /// Stock phrases matched only so that their words count as nothing: "thanks in advance"
    /// is not praise, "best regards" not an opinion, "quick question" not a complaint.
    static let neutral: Lists = [
        (.en, [
            "best regards", "kind regards", "warm regards", "regards", "thanks in advance",
            "thank you in advance", "thx in advance", "tia", "good morning", "good afternoon",
            "good evening", "good night", "good day", "quick question", "hate to bother",
            "hate to ask", "not sure", "at best", "if possible", "best buy",
        ]),
        (.es, [
            "buenos días", "buenas tardes", "buenas noches", "saludos", "de antemano gracias",
            "gracias de antemano", "gracias por adelantado",
        ]),
        (.fr, ["bonjour", "bonsoir", "cordialement", "merci d'avance", "merci par avance", "d'avance merci"]),
        (.de, [
            "guten morgen", "guten tag", "guten abend", "grüße", "viele grüße",
            "mit freundlichen grüßen", "danke im voraus", "vielen dank im voraus", "vorab danke",
            "vorab vielen dank",
        ]),
        (.ja, ["よろしくお願いします", "よろしくお願いいたします"]),
    ]
}
