import EarshotCore
import EarshotService

/// What a `:` command takes after its name. The parser checks it; the app interprets it.
public enum CommandArgument: Sendable, Hashable {
    /// Nothing: `:claim`.
    case none
    /// Free text, possibly empty: `:reply thanks!` (empty: just open the composer).
    case optionalText(placeholder: String)
    /// One word: `:assign dana`.
    case word(placeholder: String)
    /// One of a fixed list: `:priority high`.
    case choice([String])
    /// A duration (`90m`, `2h`, `1d`, `1h30m`) or a local date and time (`2026-12-01T09:00`).
    case snoozeTime
    /// A label to add (`refund`, `+refund`) or remove (`-refund`).
    case labelChange
    /// Filter terms `key:value` (keys ``filterKeys``); nothing clears the filter.
    case filterTerms
    /// What to do with a wave: `open NAME`, `merge ID`, `out`, `answer CANNED|TEXT`.
    case waveCommand

    /// The words `:wave` starts with.
    public static let waveVerbs = ["open", "merge", "out", "answer"]

    /// The keys `:filter` understands (a conversation's status is what views are for: `:view`).
    public static let filterKeys = ["label", "class", "channel", "priority"]

    /// How the argument is written, for help and error messages: `<responder>`, `low|normal|high`.
    public var syntax: String {
        switch self {
        case .none: ""
        case .optionalText(let placeholder): "[\(placeholder)]"
        case .word(let placeholder): "<\(placeholder)>"
        case .choice(let values): values.joined(separator: "|")
        case .snoozeTime: "<duration|YYYY-MM-DDTHH:MM>"
        case .labelChange: "[-]<label>"
        case .filterTerms: "[key:value ...]"
        case .waveCommand: "open <name>|merge <wave>|out|answer <canned|text>"
        }
    }

    /// Values `:priority` accepts, from the domain so they cannot drift.
    static var priorities: CommandArgument { .choice(Priority.allCases.map(\.name)) }
    /// Values `:class` accepts.
    static var triageClasses: CommandArgument { .choice(TriageClass.allCases.map(\.rawValue)) }
    /// Views `:view` switches to.
    static var queueViews: CommandArgument { .choice(QueueViewName.allCases.map(\.rawValue)) }
    /// Values `:availability` accepts.
    static var availabilities: CommandArgument { .choice(Availability.allCases.map(\.rawValue)) }
}
