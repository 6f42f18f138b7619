import EarshotCore

/// Complaint, question or praise, from the words the lists found.
extension TriageClassifier {
    func wordingVerdict() -> TriageVerdict? {
        let asks = scan.questionMark != nil || tally.questionStrong.first >= 0
        let strong = tally.complaintStrong
        let weak = tally.complaintWeak
        let praise = tally.praise

        if strong.first >= 0 {
            var reason = "complaint: " + lexicon.quote(strong.first)
            if asks { reason += ", outweighs question " + questionEvidence(short: true) }
            return TriageVerdict(triageClass: .complaint, reason: reason)
        }
        if weak.first >= 0, let exasperation = scan.exasperation {
            return TriageVerdict(
                triageClass: .complaint,
                reason: "complaint: \(lexicon.quote(weak.first)) and \"\(exasperation)\"")
        }
        if asks {
            return TriageVerdict(triageClass: .question, reason: "question: " + questionEvidence(short: false))
        }
        if weak.first >= 0, weak.weight >= praise.weight {
            var reason = "complaint: " + lexicon.quote(weak.first)
            if praise.first >= 0 { reason += ", outweighs praise " + lexicon.quote(praise.first) }
            return TriageVerdict(triageClass: .complaint, reason: reason)
        }
        if praise.first >= 0 {
            var reason = "praise: " + lexicon.quote(praise.first)
            if weak.first >= 0 { reason += ", outweighs complaint " + lexicon.quote(weak.first) }
            return TriageVerdict(triageClass: .praise, reason: reason)
        }
        return nil
    }

    /// `"?" and "how do I" (en)`, `"?"`, or `"est-ce que" (fr)`; `short` keeps only the first.
    private func questionEvidence(short: Bool) -> String {
        let phrase = tally.questionStrong.first >= 0 ? tally.questionStrong.first : tally.questionWeak.first
        guard let mark = scan.questionMark else { return lexicon.quote(phrase) }
        if phrase < 0 || short { return "\"\(mark)\"" }
        return "\"\(mark)\" and \(lexicon.quote(phrase))"
    }
}
