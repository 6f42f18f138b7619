/// A `:` command that parsed: the action to run and its argument, parsed once into a typed
/// value by what the action takes (``CommandArgument``): `:priority HIGH` gives `.choice("high")`.
public struct ParsedCommand: Sendable, Equatable {
    public let action: ActionID
    /// nil when the command was given nothing (`:reply` opens an empty composer, `:filter`
    /// clears the filter).
    public let argument: CommandValue?

    public init(action: ActionID, argument: CommandValue? = nil) {
        self.action = action
        self.argument = argument
    }
}

/// Why a `:` line cannot run, said so the responder can fix it: the command and what it takes.
public struct CommandLineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// The `:` command line: every action in the table is also a command (`:claim`,
/// `:assign dana`, `:snooze 2h`), so what a key does can also be typed, with an argument.
public struct CommandLineParser: Sendable {
    public let table: ActionTable

    /// Short forms people type from habit.
    static let aliases: [String: ActionID] = ["q": .quit]

    public init(table: ActionTable = .standard) { self.table = table }

    /// Parses what a prompt asked for an action (`snooze #12 for: 2h`) with the same grammar
    /// as the `:` line; nil when nothing was typed.
    public func parseArgument(_ text: String, for action: ActionID) throws(CommandLineError) -> CommandValue? {
        let entry = table.entry(for: action)
        do {
            return try entry.argument.parse(text.trimmingCharacters(in: .whitespaces), command: entry.name)
        } catch {
            throw CommandLineError("\(entry.name) \(error.message)")
        }
    }

    /// Parses a line such as `:snooze 2h` (the leading `:` is optional).
    public func parse(_ line: String) throws(CommandLineError) -> ParsedCommand {
        let (name, rest) = Self.split(line)
        guard !name.isEmpty else { throw CommandLineError("type a command, like :claim or :snooze 2h (Tab completes the name)") }
        guard let entry = table.entry(named: name.lowercased()) ?? Self.aliases[name.lowercased()].map(table.entry(for:)) else {
            let close = EditDistance.suggestions(for: name, among: table.entries.map(\.name))
            let hint = close.isEmpty ? "Tab completes command names, ? lists them" : "did you mean \(close.map { ":" + $0 }.joined(separator: " or "))?"
            throw CommandLineError("unknown command :\(name); \(hint)")
        }
        do {
            return ParsedCommand(action: entry.action, argument: try entry.argument.parse(rest, command: entry.name))
        } catch {
            throw CommandLineError(":\(entry.name) \(error.message)")
        }
    }

    /// Whole-line completions for what has been typed (without the `:`): command names while
    /// the name is being typed (`re` gives `release`, `reopen`, `reply`, `resolve`,
    /// `retry-send`), then the values of a command that takes a fixed choice
    /// (`priority h` gives `priority high`) or filter keys and values.
    public func completions(for prefix: String) -> [String] {
        let (name, rest) = Self.split(prefix)
        let typedSpace = prefix.last?.isWhitespace == true
        if rest.isEmpty && !typedSpace {
            return table.entries.map(\.name).filter { $0.hasPrefix(name.lowercased()) }.sorted()
        }
        guard let entry = table.entry(named: name.lowercased()) else { return [] }
        let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        let done = typedSpace ? words : Array(words.dropLast())
        let partial = typedSpace ? "" : (words.last ?? "")
        let lead = ([entry.name] + done).joined(separator: " ") + " "
        return entry.argument.candidates(afterTyping: done).filter { $0.hasPrefix(partial.lowercased()) }.map { lead + $0 }
    }

    /// The command name and the rest of the line, trimmed; a leading `:` is dropped.
    static func split(_ line: String) -> (name: String, rest: String) {
        var text = Substring(line).drop(while: \.isWhitespace)
        if text.first == ":" { text = text.dropFirst().drop(while: \.isWhitespace) }
        let name = text.prefix { !$0.isWhitespace }
        let rest = text.dropFirst(name.count).drop(while: \.isWhitespace)
        let trimmed = rest.reversed().drop(while: \.isWhitespace).reversed()
        return (String(name), String(trimmed))
    }
}
