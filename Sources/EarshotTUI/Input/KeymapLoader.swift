import EarshotService
import Foundation
import TOMLKit

/// Reads the user's keys.toml (docs/keys.md) into a ``Keymap``:
///
/// ```toml
/// [queue]
/// claim = "C"            # or several keys: ["C", "F5"]
/// [generic]
/// quit = "C-q"
/// ```
///
/// Sections are ``KeyContext`` names, keys are action names (``ActionID`` raw values), and a
/// binding replaces that action's default keys in that section. Mistakes do not stop the app:
/// each one becomes a ``KeymapProblem`` and the defaults stay for what failed.
public enum KeymapLoader {
    /// `$XDG_CONFIG_HOME/earshot/keys.toml`, by default `~/.config/earshot/keys.toml`: beside
    /// config.toml, by the same rules (``EarshotPaths``). Only the user's file is read; there is
    /// no system-wide keys file, since keys are a personal habit.
    public static func path(environment: [String: String]) -> String {
        let config = EarshotPaths(databaseFlag: nil, environment: environment).configFile
        return (config as NSString).deletingLastPathComponent + "/keys.toml"
    }

    /// The keymap for this user: the defaults, then their keys.toml if it exists.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment, table: ActionTable = .standard) -> (keymap: Keymap, problems: [KeymapProblem]) {
        load(file: path(environment: environment), table: table)
    }

    /// The defaults, then `file` if it exists (a missing file is no problem).
    public static func load(file: String, table: ActionTable = .standard) -> (keymap: Keymap, problems: [KeymapProblem]) {
        guard FileManager.default.fileExists(atPath: file) else { return (Keymap(table: table), []) }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            let problem = KeymapProblem(file: file, line: nil, message: "cannot be read as UTF-8 text; using the default keys")
            return (Keymap(table: table), [problem])
        }
        return parse(text, file: file, table: table)
    }

    /// The defaults with the bindings in `text` applied; `file` names the text in problems.
    public static func parse(_ text: String, file: String, table: ActionTable = .standard) -> (keymap: Keymap, problems: [KeymapProblem]) {
        var reader = KeysFileReader(file: file, text: text, table: table)
        let requests = reader.read()
        var resolver = KeymapResolver(file: file, table: table)
        let keymap = resolver.resolve(requests)
        let problems = (reader.problems + resolver.problems).enumerated()
            .sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }
            .map(\.element)
        return (keymap, problems)
    }
}

/// A binding asked for in keys.toml: `action` gets exactly `keys` in `context`.
struct BindingRequest: Equatable {
    let context: KeyContext
    let action: ActionID
    let keys: [Key]
    let line: Int?
}

/// Turns the TOML text into binding requests, reporting what cannot be one.
struct KeysFileReader {
    let file: String
    let text: String
    let table: ActionTable
    private(set) var problems: [KeymapProblem] = []

    init(file: String, text: String, table: ActionTable) {
        self.file = file
        self.text = text
        self.table = table
    }

    mutating func read() -> [BindingRequest] {
        let document: TOMLTable
        do {
            document = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            report(error.source.begin.line, "not valid TOML: \(error.description); using the default keys")
            return []
        } catch {
            report(nil, "not valid TOML (\(error)); using the default keys")
            return []
        }
        let lines = TOMLLineIndex(text)
        var requests: [BindingRequest] = []
        for section in document.keys {
            guard let bindings = document[section]?.table else {
                report(lines.line(ofKey: section, in: nil), "\(section) is outside a section; put it under the section it is for: \(sectionList)")
                continue
            }
            guard let context = KeyContext(rawValue: section) else {
                report(lines.line(ofSection: section), "unknown section [\(section)]\(Self.didYouMean(section, among: KeyContext.allCases.map(\.rawValue))); sections are \(sectionList)")
                continue
            }
            for name in bindings.keys {
                let line = lines.line(ofKey: name, in: section)
                if let request = request(name, bindings[name]!, context: context, line: line) { requests.append(request) }
            }
        }
        return requests
    }

    private mutating func request(_ name: String, _ value: TOMLValueConvertible, context: KeyContext, line: Int?) -> BindingRequest? {
        guard let action = ActionID(rawValue: name), table.entries.contains(where: { $0.action == action }) else {
            // Offer the command names, and map Swift case names (moveDown) to them (down).
            let aliases = ActionID.allCases.first { String(describing: $0).lowercased() == name.lowercased() }.map { " (the action is called \($0.rawValue))" }
            report(line, "unknown action \(name) in [\(context.rawValue)]\(aliases ?? Self.didYouMean(name, among: table.entries.map(\.name))); the actions are listed in docs/keys.md and by ? in earshot")
            return nil
        }
        let names: [String]
        if let single = value.string {
            names = [single]
        } else if let array = value.array, let strings = Optional(array.compactMap(\.string)), strings.count == array.count {
            names = strings
        } else {
            report(line, "\(name) in [\(context.rawValue)] must be a key name or a list of them, like \(name) = \"F5\" or \(name) = [\"F5\", \"C-x\"]; \(keepsDefaults(action, context))")
            return nil
        }
        var keys: [Key] = []
        for keyName in names {
            guard let key = Self.key(named: keyName) else {
                report(line, "\"\(keyName)\" is not a key name (for \(name) in [\(context.rawValue)]); write a character (c, G, ?), C-x for Ctrl-X, F1 to F24, or one of \(Key.namedKeys.map(\.name).joined(separator: ", ")); \(keepsDefaults(action, context))")
                return nil
            }
            if !keys.contains(key) { keys.append(key) }
        }
        return BindingRequest(context: context, action: action, keys: keys, line: line)
    }

    /// A key name as keys.toml writes it; a lone control character or a tab is not a key the
    /// terminal can send as a character, so it does not count.
    static func key(named name: String) -> Key? {
        guard let key = Key(name: name) else { return nil }
        if case .character(let character) = key, character != " ", character.isWhitespace || character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return nil
        }
        return key
    }

    private var sectionList: String { KeyContext.allCases.map { "[\($0.rawValue)]" }.joined(separator: ", ") }

    private func keepsDefaults(_ action: ActionID, _ context: KeyContext) -> String {
        KeymapResolver.keepsDefaults(action, context, table: table)
    }

    static func didYouMean(_ word: String, among names: [String]) -> String {
        let close = EditDistance.suggestions(for: word, among: names)
        return close.isEmpty ? "" : " (did you mean \(close.joined(separator: " or "))?)"
    }

    private mutating func report(_ line: Int?, _ message: String) {
        problems.append(KeymapProblem(file: file, line: line, message: message))
    }
}
