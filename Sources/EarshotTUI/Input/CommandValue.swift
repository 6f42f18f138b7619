import EarshotCore

/// A `:` argument (or a prompt's answer) parsed once, by its command's ``CommandArgument``,
/// into the value the app acts on: nothing downstream reads the text again, so what the parser
/// accepts and what the app understands cannot drift apart.
public enum CommandValue: Sendable, Equatable {
    /// Free text or one word, trimmed: a reply, a note, a search, a responder, a view.
    case text(String)
    /// One of a fixed list, lowercased: a priority, an availability.
    case choice(String)
    case snooze(SnoozeTime)
    /// A label to add or remove (`refund`, `+refund`, `-refund`).
    case label(name: String, add: Bool)
    /// Filter terms; empty clears the filter.
    case filter(FilterTerms)
    case wave(WaveAction)

    /// The text of `.text` and `.choice` values.
    var text: String? {
        switch self {
        case let .text(text), let .choice(text): text
        default: nil
        }
    }
}

/// What `:wave ...` asks for (docs/waves.md).
public enum WaveAction: Sendable, Equatable {
    /// Mark the selected wave open under a name, or start one from the selected conversation.
    case open(name: String)
    /// Merge the selected wave into wave `into`.
    case merge(into: Int64)
    /// Take the selected conversation out of its wave.
    case out
    /// Answer the selected wave: a canned reply's name (with its language variants) or the text.
    case answer(String)
}

/// What `:filter label:refund class:complaint channel:acme priority:high` asks for.
public struct FilterTerms: Sendable, Equatable, CustomStringConvertible {
    public var label: String?
    public var channel: String?
    public var triageClass: TriageClass?
    public var priority: Priority?

    public init(label: String? = nil, channel: String? = nil, triageClass: TriageClass? = nil, priority: Priority? = nil) {
        self.label = label
        self.channel = channel
        self.triageClass = triageClass
        self.priority = priority
    }

    public var isEmpty: Bool { self == FilterTerms() }

    /// The terms as they would be typed, in key order.
    public var description: String {
        var terms: [String] = []
        if let label { terms.append("label:\(label)") }
        if let triageClass { terms.append("class:\(triageClass.rawValue)") }
        if let channel { terms.append("channel:\(channel)") }
        if let priority { terms.append("priority:\(priority.name)") }
        return terms.joined(separator: " ")
    }
}
