extension TriageWordLists {
    /// Scam and spam phrases that are enough on their own. Written from the scammer's side
    /// ("recover your account"): a customer says "recover my account".
    static let spamStrong: Lists = [
        (.en, [
            "free followers", "buy followers", "get followers", "followers for free",
            "recover your account", "recover your hacked", "recover your lost",
            "get your account back", "restore your account", "dm me to recover",
            "dm us to recover", "dm me for recovery", "dm for recovery", "account recovery expert",
            "account recovery experts", "account recovery service", "account recovery services",
            "account recovery specialist", "recovery expert", "recovery specialist",
            "recovery hacker", "recover hacked accounts", "double your bitcoin", "double your btc",
            "double your crypto", "double your money", "crypto giveaway", "bitcoin giveaway",
            "btc giveaway", "eth giveaway", "airdrop is live", "claim your airdrop",
            "claim your free", "claim your prize", "claim your reward", "free crypto",
            "free bitcoin", "free btc", "free eth", "free nft", "earn money from home",
            "work from home and earn", "binary options", "forex signals", "investment platform",
            "guaranteed profit", "guaranteed returns", "daily profit", "send eth", "send btc",
            "eth wallet", "btc wallet", "connect your wallet", "validate your wallet",
            "sync your wallet",
        ]),
        (.es, [
            "seguidores gratis", "recuperar tu cuenta", "recuperar su cuenta", "recupera tu cuenta",
            "recuperación de cuentas", "sorteo de bitcoin", "criptomonedas gratis", "bitcoin gratis",
            "gana dinero desde casa", "ganancias garantizadas",
        ]),
        (.fr, [
            "abonnés gratuits", "followers gratuits", "récupérer votre compte", "récupérer ton compte",
            "récupération de compte", "bitcoin gratuit", "crypto gratuite", "gagner de l'argent",
            "profit garanti",
        ]),
        (.de, [
            "kostenlose follower", "gratis follower", "konto wiederherstellen",
            "account wiederherstellen", "kostenlose bitcoin", "gratis bitcoin", "garantierter gewinn",
            "geld verdienen von zu hause",
        ]),
        (.ja, [
            "無料フォロワー", "フォロワー増加", "フォロワー購入", "アカウント復旧", "アカウントを復旧",
            "乗っ取り解除", "仮想通貨プレゼント", "ビットコインプレゼント", "現金プレゼント", "お金配り",
            "副業", "稼げる", "簡単に稼",
        ]),
    ]

    /// Spam topics: spam with a link, with a second topic, or with a hand-off to someone
    /// else's handle. Alone they may be a customer's real question about a giveaway or a
    /// payment.
    static let spamTopic: Lists = [
        (.en, [
            "giveaway", "airdrop", "crypto", "cryptocurrency", "bitcoin", "btc", "ethereum",
            "eth", "usdt", "nft", "forex", "investment", "invest", "profit", "profits",
        ]),
        (.es, ["sorteo", "criptomonedas", "criptomoneda", "inversión"]),
        (.fr, ["concours", "cryptomonnaie", "investissement"]),
        (.de, ["gewinnspiel", "verlosung", "kryptowährung", "investition"]),
        (.ja, ["プレゼント企画", "仮想通貨", "暗号資産", "ビットコイン", "投資"]),
    ]
}
