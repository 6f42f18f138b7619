import EarshotCore

/// Checking what follows a command name against what the command takes.
extension CommandArgument {
    /// A message that completes ":name ...", e.g. "takes one of low, normal, high, urgent".
    struct Problem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// The typed value (nil for nothing given), or why the text does not fit.
    func parse(_ text: String, command name: String) throws(Problem) -> CommandValue? {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        switch self {
        case .none:
            guard text.isEmpty else { throw Problem("takes nothing after it (got \"\(text)\")") }
            return nil
        case .optionalText:
            return text.isEmpty ? nil : .text(text)
        case .word(let placeholder):
            guard words.count == 1 else { throw Problem("takes one \(placeholder), like :\(name) \(Self.sample(placeholder))") }
            return .text(words[0])
        case .choice(let values):
            guard words.count == 1, values.contains(words[0].lowercased()) else {
                throw Problem("takes one of \(values.joined(separator: ", ")), like :\(name) \(values.last ?? "")")
            }
            return .choice(words[0].lowercased())
        case .snoozeTime:
            // "2026-12-01 09:00" is read as the ISO form with a T.
            let joined = words.count == 2 && words[0].contains("-") ? words.joined(separator: "T") : text
            guard !words.isEmpty, words.count <= 2, let time = SnoozeTime(joined) else {
                throw Problem("takes a duration (30m, 2h, 1d, 1w, 1h30m) or a local date and time (2026-12-01T09:00 or 2026-12-01)")
            }
            return .snooze(time)
        case .labelChange:
            guard words.count == 1 else { throw Problem("takes one label to add (refund) or remove (-refund)") }
            var label = Substring(words[0])
            let remove = label.first == "-"
            if label.first == "-" || label.first == "+" { label = label.dropFirst() }
            guard !label.isEmpty else { throw Problem("needs a label name after \(remove ? "-" : "+"), like -refund") }
            return .label(name: String(label), add: !remove)
        case .filterTerms:
            return words.isEmpty ? nil : .filter(try Self.filterTerms(words))
        case .waveCommand:
            return .wave(try Self.waveAction(words))
        }
    }

    private static func waveAction(_ words: [String]) throws(Problem) -> WaveAction {
        let rest = words.dropFirst().joined(separator: " ")
        switch words.first?.lowercased() {
        case "open":
            guard !rest.isEmpty else { throw Problem("open needs a name, like :wave open checkout fails") }
            return .open(name: rest)
        case "merge":
            guard words.count == 2, let id = Int64(words[1].drop { $0 == "#" }), id > 0 else {
                throw Problem("merge needs the wave to merge into, like :wave merge 3")
            }
            return .merge(into: id)
        case "out":
            guard words.count == 1 else { throw Problem("out takes nothing after it: it takes the selected conversation out of its wave") }
            return .out
        case "answer":
            guard !rest.isEmpty else { throw Problem("answer needs a canned reply's name or the text, like :wave answer outage-fixed") }
            return .answer(rest)
        default:
            throw Problem("takes \(waveVerbs.joined(separator: ", ")), like :wave open checkout fails")
        }
    }

    /// `key:value` words as filter terms; the keys and values are the ones Tab offers.
    private static func filterTerms(_ words: [String]) throws(Problem) -> FilterTerms {
        var terms = FilterTerms()
        for word in words {
            let parts = word.split(separator: ":", maxSplits: 1).map(String.init)
            let key = parts.first?.lowercased() ?? ""
            guard parts.count == 2, filterKeys.contains(key), !parts[1].isEmpty else {
                throw Problem("takes key:value terms with keys \(filterKeys.joined(separator: ", ")), like :filter label:refund class:complaint (nothing clears the filter); \"\(word)\" is not one")
            }
            let value = parts[1]
            if let allowed = filterValues[key], !allowed.contains(value.lowercased()) {
                throw Problem("\(parts[0]): takes one of \(allowed.joined(separator: ", ")); \"\(value)\" is not one")
            }
            switch key {
            case "label": terms.label = value.lowercased()
            case "channel": terms.channel = value.hasPrefix("@") ? String(value.dropFirst()) : value
            case "class": terms.triageClass = TriageClass(rawValue: value.lowercased())
            default: terms.priority = Priority(name: value.lowercased())
            }
        }
        return terms
    }

    /// Values of filter keys that come from the domain.
    static let filterValues: [String: [String]] = [
        "class": TriageClass.allCases.map(\.rawValue),
        "priority": Priority.allCases.map(\.name),
    ]

    /// What Tab can offer for the next word, given the words already typed after the name.
    func candidates(afterTyping words: [String]) -> [String] {
        switch self {
        case .choice(let values):
            return words.isEmpty ? values : []
        case .waveCommand:
            return words.isEmpty ? Self.waveVerbs : []
        case .filterTerms:
            return Self.filterKeys.flatMap { key in
                Self.filterValues[key].map { $0.map { "\(key):\($0)" } } ?? ["\(key):"]
            }
        default:
            return []
        }
    }

    private static func sample(_ placeholder: String) -> String {
        switch placeholder {
        case "responder": "dana"
        default: placeholder
        }
    }
}
