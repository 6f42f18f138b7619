import EarshotTestSupport
import Foundation

/// What the built binary says about its own commands: `earshot help PATH...` read as text,
/// so tests compare docs, the man page and completions against the real parser.
struct HelpListing {
    let binary: String

    init() throws {
        binary = try BuiltProducts.executable("earshot")
    }

    /// The repository's root, found from this file (docs live there, not in the build).
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `earshot help PATH...`: its exit status and text. No database or socket is touched.
    func help(_ path: [String]) throws -> ProcessResult {
        try runProcess(binary, ["help"] + path, environment: ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()])
    }

    /// Whether `earshot help PATH...` describes exactly that command. An unknown name still
    /// exits 0 with its parent's help, so the USAGE line must name the whole path.
    func isCommand(_ path: [String]) throws -> Bool {
        let result = try help(path)
        guard result.status == 0 else { return false }
        let usage = result.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE: ") } ?? ""
        let words = usage.dropFirst("USAGE: ".count).split(separator: " ").map(String.init)
        return Array(words.prefix(path.count + 1)) == ["earshot"] + path
    }

    /// The names under SUBCOMMANDS in `earshot help PATH...` (` (default)` dropped); empty
    /// for a command without subcommands.
    func subcommands(of path: [String]) throws -> [String] {
        Self.subcommands(inHelp: try help(path).stdout)
    }

    /// The subcommand PATH runs when given none (`outbox` lists), if it has one.
    func defaultSubcommand(of path: [String]) throws -> String? {
        let text = try help(path).stdout
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("  ") && $0.contains(" (default)") }) else { return nil }
        return line.split(separator: " ").first.map(String.init)
    }

    static func subcommands(inHelp text: String) -> [String] {
        var names: [String] = []
        var inSection = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" {
                inSection = true
                continue
            }
            guard inSection else { continue }
            if line.isEmpty { break }
            // A name is indented two spaces; wrapped abstracts are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.dropFirst(2).split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    /// Every long option (`--name`) the help of PATH lists, `--help` and `--version` included.
    func longOptions(of path: [String]) throws -> Set<String> {
        let text = try help(path).stdout
        let pattern = try NSRegularExpression(pattern: "--[a-z][a-z0-9-]*")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    /// Every command path below the root, depth first: `["db"]`, `["db", "init"]`, ...
    func allCommandPaths() throws -> [[String]] {
        var paths: [[String]] = []
        func walk(_ path: [String]) throws {
            for name in try subcommands(of: path) {
                paths.append(path + [name])
                try walk(path + [name])
            }
        }
        try walk([])
        return paths
    }
}
