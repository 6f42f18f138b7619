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
        if copies >= duplicateThreshold {
            let accounts = copies >= duplicates.authorLimit ? "\(copies)+" : "\(copies)"
            return spam("same text from \(accounts) accounts in the last \(windowLabel)")
        }
        return nil
    }

    /// A recovery or crypto topic plus "contact @someone" (not the brand) or an e-mail
    /// address: the "Hacked? Contact @RecoveryPro" pattern. "Contact me at ..." is a customer.
    private func handOffVerdict(_ input: TriageInput) -> String? {
        let topicToken = firstToken(with: .recoveryTopic)
        guard topicToken != nil || tally.spamTopic.first >= 0 else { return nil }
        let tokens = scan.tokens
        for index in tokens.indices where markers(ofToken: index).contains(.contactVerb) {
            var next = index + 1
            var words = 0
            while next < tokens.count, words < 3 {
                let token = tokens[next]
                if token.kind == .mention || token.kind == .email {
                    if token.kind == .mention, isChannel(token, input) { break }
                    let topic = topicToken.map { "\"\(original(input.text, $0.start, $0.end))\"" }
                        ?? lexicon.quote(tally.spamTopic.first)
                    let start = tokens[index].start
                    return "\(topic) and \"\(original(input.text, start, token.end))\""
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
