import EarshotCore

/// Broadcasts: posts that pass a message along rather than say something to the brand.
extension TriageClassifier {
    /// Retweets, and retweets or quotes of the brand's own post: decided by the platform's
    /// metadata, before the text is even read.
    func sharedPostVerdict(_ input: TriageInput) -> TriageVerdict? {
        let channel = "@\(input.channelHandle)'s post"
        if input.referencesChannelPost {
            let reason = switch input.kind {
            case .retweet: "broadcast: retweet of \(channel)"
            case .quote: "broadcast: quote of \(channel)"
            case .mention, .reply: "broadcast: shares \(channel)"
            }
            return TriageVerdict(triageClass: .broadcast, reason: reason)
        }
        if input.kind == .retweet { return TriageVerdict(triageClass: .broadcast, reason: "broadcast: retweet") }
        return nil
    }

    /// "RT @someone" anywhere, or "via @someone" followed by nothing but links, mentions and
    /// hashtags (the share idiom; "I asked via @AcmeSupport and..." is not one).
    func retweetOrViaVerdict(_ input: TriageInput) -> TriageVerdict? {
        let tokens = scan.tokens
        guard tokens.count >= 2 else { return nil }
        for index in 0..<(tokens.count - 1) where tokens[index].kind == .word && tokens[index + 1].kind == .mention {
            let markers = markers(ofToken: index)
            let handle = original(input.text, tokens[index + 1].start, tokens[index + 1].end)
            if markers.contains(.retweet) {
                return TriageVerdict(triageClass: .broadcast, reason: "broadcast: \"RT @\(handle)\"")
            }
            if markers.contains(.via), onlyReferencesAfter(index + 2) {
                return TriageVerdict(triageClass: .broadcast, reason: "broadcast: \"via @\(handle)\"")
            }
        }
        return nil
    }

    private func onlyReferencesAfter(_ start: Int) -> Bool {
        let tokens = scan.tokens
        for index in start..<tokens.count {
            switch tokens[index].kind {
            case .link, .mention, .hashtag, .stop: continue
            case .word, .email: return false
            }
        }
        return true
    }

    /// A link addressed to nobody that said nothing the wording rules recognise: a share.
    func linkShareVerdict() -> TriageVerdict? {
        guard scan.linkCount > 0, !scan.startsWithMention else { return nil }
        for index in scan.tokens.indices where markers(ofToken: index).contains(.pronoun) { return nil }
        let links = scan.linkCount == 1 ? "1 link" : "\(scan.linkCount) links"
        return TriageVerdict(triageClass: .broadcast, reason: "broadcast: link share (\(links), addressed to nobody)")
    }
}
