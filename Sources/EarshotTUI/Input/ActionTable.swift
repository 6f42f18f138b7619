/// The one action table (tig's request table): for every ``ActionID`` its command name, the help
/// line a responder reads in the `?` overlay, what it takes on the `:` command line, and its
/// default keys per context. Key bindings, the command line, the help overlay and docs/keys.md
/// all come from here, so they cannot disagree.
public struct ActionTable: Sendable, Equatable {
    /// One row of the table.
    public struct Entry: Sendable, Hashable {
        public let action: ActionID
        /// The help line: what the action does, in a responder's words.
        public let summary: String
        /// What the `:` command accepts after the name.
        public let argument: CommandArgument
        /// Whether the action changes the inbox for others, discards work or ends the session.
        /// Such actions are never bound to a navigation key (see ``Key/isNavigation``), so
        /// a stray arrow or Enter cannot resolve, release or send anything.
        public let changesState: Bool
        /// Default keys per context; a context missing here has no default key for the action.
        public let defaults: [KeyContext: [Key]]

        /// The command name, as typed after `:` and written in keys.toml.
        public var name: String { action.rawValue }

        public init(_ action: ActionID, _ summary: String, argument: CommandArgument = .none, changesState: Bool = false, defaults: [KeyContext: [Key]]) {
            self.action = action
            self.summary = summary
            self.argument = argument
            self.changesState = changesState
            self.defaults = defaults
        }
    }

    /// The rows, in the order help and docs list them.
    public let entries: [Entry]

    /// A table with the given rows; ``standard`` is the one the app uses.
    public init(entries: [Entry]) { self.entries = entries }

    /// The row for `action`.
    public func entry(for action: ActionID) -> Entry {
        // Every ActionID has a row in `standard` (tested); a custom table may lack one.
        entries.first { $0.action == action } ?? Entry(action, action.rawValue, defaults: [:])
    }

    /// The row whose command name is `name`.
    public func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}
