import EarshotCore

/// Spam and fraud. A customer's message wrongly set aside waits unanswered, so every rule
/// here wants evidence a customer would rarely produce.
extension TriageClassifier {
    /// Remembers the message for the copy-paste rule; returns how many distinct accounts
    /// sent it within the window (0 for texts too short to take part).
    mutating func recordCopy(_ input: TriageInput, at time: Timestamp) -> Int {
        guard scan.normalizedLength >= Self.minimumCopyLength else { return 0 }
        var text = Hasher()
        scan.normalized.withUnsafeBytes { text.combine(bytes: $0) }
        var author = Hasher()
        for byte in input.authorHandle.utf8 { author.combine(byte &- 0x41 < 26 ? byte | 0x20 : byte) }
        return duplicates.record(text: text.finalize(), author: author.finalize(), at: time.millisecondsSinceEpoch)
    }

    func spamVerdict(_ input: TriageInput, copies: Int) -> TriageVerdict? {
        func spam(_ reason: String) -> TriageVerdict { TriageVerdict(triageClass: .spam, reason: "spam: " + reason) }

        if tally.spamStrong.first >= 0 { return spam(lexicon.quote(tally.spamStrong.first)) }
        if scan.hasWalletAddress { return spam("wallet address") }
        if scan.longestDigitRun >= 8, let messenger = firstToken(with: .messenger) {
            return spam("\"\(original(input.text, messenger.start, messenger.end))\" and a phone number")
        }
        if let handOff = handOffVerdict(input) { return spam(handOff) }
        let topic = tally.spamTopic
        if topic.first >= 0 {
            if scan.linkCount > 0 { return spam("\(lexicon.quote(topic.first)) and a link") }
            if topic.second >= 0 { return spam("\(lexicon.quote(topic.first)) and \(lexicon.quote(topic.second))") }
        }
        if scan.linkCount >= 3, wordCount < 4 * scan.linkCount { return spam("\(scan.linkCount) links") }
        if copies >= duplicateThreshold, let signal = copySignal(input) {
            let accounts = copies >= duplicates.authorLimit ? "\(copies)+" : "\(copies)"
            return spam("same text from \(accounts) accounts in the last \(windowLabel), with \(signal)")
        }
        return nil
    }

    /// Sameness alone never hides a customer: during an outage real customers write the same
    /// sentence. A flood is spam only when its message also carries what a spammer needs: a
    /// link, a phone number, a hand-off to another account, or a crypto or giveaway word.
    private func copySignal(_ input: TriageInput) -> String? {
        if scan.linkCount > 0 { return "a link" }
        // 10 to 15 digits (E.164's longest): a phone number; shorter runs are order numbers.
        if (10...15).contains(scan.longestDigitRun) { return "a phone number" }
        if let handOff = contactHandOff(input) { return "\"\(handOff)\"" }
        if tally.spamTopic.first >= 0 { return lexicon.quote(tally.spamTopic.first) }
        if let topic = firstToken(with: .recoveryTopic) { return "\"\(original(input.text, topic.start, topic.end))\"" }
        return nil
    }

    /// A recovery or crypto topic plus "contact @someone" (not the brand) or an e-mail
    /// address: the "Hacked? Contact @RecoveryPro" pattern. "Contact me at ..." is a customer.
    private func handOffVerdict(_ input: TriageInput) -> String? {
        let topicToken = firstToken(with: .recoveryTopic)
        guard topicToken != nil || tally.spamTopic.first >= 0 else { return nil }
        guard let handOff = contactHandOff(input) else { return nil }
        let topic = topicToken.map { "\"\(original(input.text, $0.start, $0.end))\"" } ?? lexicon.quote(tally.spamTopic.first)
        return "\(topic) and \"\(handOff)\""
    }

    /// "Contact @someone" (not the brand) or an e-mail address within three words of a
    /// contact verb, as written; nil when the message sends nobody elsewhere.
    private func contactHandOff(_ input: TriageInput) -> String? {
        let tokens = scan.tokens
        for index in tokens.indices where markers(ofToken: index).contains(.contactVerb) {
            var next = index + 1
            var words = 0
            while next < tokens.count, words < 3 {
                let token = tokens[next]
                if token.kind == .mention || token.kind == .email {
                    if token.kind == .mention, isChannel(token, input) { break }
                    return original(input.text, tokens[index].start, token.end)
                }
                if token.kind == .link { break }
                if token.kind == .word || token.kind == .hashtag {
                    if markers(ofToken: next).contains(.pronoun) { break }
                    words += 1
                }
                next += 1
            }
        }
        return nil
    }

    /// Words besides links: a link farm is mostly links; a pasted traceroute is not.
    private var wordCount: Int {
        scan.tokens.reduce(0) { $0 + ($1.kind == .word ? 1 : 0) }
    }

    private func isChannel(_ token: TriageToken, _ input: TriageInput) -> Bool {
        let handle = scan.lowered[Int(token.start)..<Int(token.end)]
        let channel = input.channelHandle.utf8
        guard handle.count == channel.count else { return false }
        return zip(handle, channel).allSatisfy { $0 == ($1 &- 0x41 < 26 ? $1 | 0x20 : $1) }
    }

    private func firstToken(with marker: TriageMarker) -> TriageToken? {
        for index in scan.tokens.indices where markers(ofToken: index).contains(marker) { return scan.tokens[index] }
        return nil
    }
}
