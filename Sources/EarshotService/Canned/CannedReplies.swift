import EarshotCore
import Foundation

/// Canned replies: snippets kept as files, one per reply, named by the file name without its
/// extension (`shipping-delay.txt` is `::shipping-delay`). The team's directory sits beside
/// the system config (`/etc/earshot/canned/`); a responder's own
/// (`$XDG_CONFIG_HOME/earshot/canned/`) wins on a name clash.
public struct CannedReplies: Sendable, Equatable {
    public struct Snippet: Sendable, Equatable {
        public var name: String
        public var text: String
        /// The file it came from, for messages.
        public var file: String

        public init(name: String, text: String, file: String) {
            self.name = name
            self.text = text
            self.file = file
        }
    }

    /// By name, sorted.
    public private(set) var snippets: [Snippet]

    public init(snippets: [Snippet] = []) {
        self.snippets = snippets.sorted { $0.name < $1.name }
    }

    /// The team's, then the user's directory, as `load(directories:)` reads them.
    public static func directories(environment: [String: String], home: String = NSHomeDirectory()) -> [String] {
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
        let team = environment["EARSHOT_CANNED_TEAM"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/earshot/canned"
        return [team, configHome + "/earshot/canned"]
    }

    /// Reads every regular file in each directory (missing directories are skipped); a later
    /// directory's snippet replaces an earlier one of the same name.
    public static func load(directories: [String]) -> CannedReplies {
        var byName: [String: Snippet] = [:]
        for directory in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in names.sorted() where !file.hasPrefix(".") {
                let path = directory + "/" + file
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
                let name = (file as NSString).deletingPathExtension
                let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !name.isEmpty, !body.isEmpty else { continue }
                byName[name] = Snippet(name: name, text: body, file: path)
            }
        }
        return CannedReplies(snippets: Array(byName.values))
    }

    public func snippet(named name: String) -> Snippet? { snippets.first { $0.name == name } }

    /// A snippet as a wave's answer (docs/waves.md): `NAME` is the English text, `NAME.es` and
    /// `NAME.ja` (files `NAME.es.txt`, `NAME.ja.txt`) the Spanish and Japanese; language code →
    /// text, or nil when there is no `NAME`.
    public func variants(of name: String) -> [String: String]? {
        guard let english = snippet(named: name) else { return nil }
        var variants = [MessageLanguage.english.rawValue: english.text]
        for language in MessageLanguage.allCases where language != .english {
            if let variant = snippet(named: "\(name).\(language.rawValue)") { variants[language.rawValue] = variant.text }
        }
        return variants
    }

    /// Names starting with `prefix`.
    public func names(startingWith prefix: String) -> [String] {
        snippets.map(\.name).filter { $0.hasPrefix(prefix) }
    }

    /// How long a snippet is in a typical reply: `@` + a 15-character handle + a space before
    /// it, a 4-character signature (` ^AB`) after; twitter-text v1 counting.
    public static func typicalLength(of text: String, handleLength: Int = 15, signature: String = " ^AB") -> Int {
        ReplyLength.measure("@" + String(repeating: "x", count: handleLength) + " " + text + signature).weightedLength
    }
}
