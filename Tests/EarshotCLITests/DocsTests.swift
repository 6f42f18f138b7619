import EarshotTestSupport
import Foundation
import Testing

/// The docs can only name commands and flags the binary has: every `earshot SUBCOMMAND`
/// written in code (spans and blocks) of README.md and docs/*.md is checked with
/// `earshot help SUBCOMMAND`, and so are its subcommand and the `--flags` that follow it.
@Suite struct DocsTests {
    let listing: HelpListing

    init() throws {
        listing = try HelpListing()
    }

    /// README.md and every docs/*.md, by path relative to the repository.
    static func documents() throws -> [(name: String, text: String)] {
        let docs = HelpListing.root.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        return try (["README.md"] + names.map { "docs/" + $0 }).map { name in
            (name, try String(contentsOf: HelpListing.root.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// The code in a Markdown text, one entry per line of a fenced block (a line ending in `\`
    /// continues) and per inline code span, with its line number.
    static func codeLines(_ text: String) -> [(line: Int, code: String)] {
        var result: [(Int, String)] = []
        var fenced = false
        var pending = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                fenced.toggle()
                continue
            }
            if fenced {
                if trimmed.hasSuffix("\\") {
                    pending += trimmed.dropLast() + " "
                } else {
                    result.append((index + 1, pending + trimmed))
                    pending = ""
                }
                continue
            }
            let parts = line.split(separator: "`", omittingEmptySubsequences: false)
            for (position, part) in parts.enumerated() where position % 2 == 1 && position < parts.count - 1 {
                result.append((index + 1, String(part)))
            }
        }
        return result
    }

    /// A command written in code: the words after `earshot` (or `/path/to/earshot`) up to a
    /// shell separator or comment, with Markdown's `\|` read as `|` (alternatives, as in
    /// `add|list`) and brackets and quotes taken off. `<placeholders>` stay as they are, so
    /// they are never taken for commands.
    struct Mention: Hashable {
        let words: [String]
    }

    static func mentions(in code: String) -> [Mention] {
        var tokens = code.replacingOccurrences(of: "\\|", with: "|").split(separator: " ").map(String.init)
        // A shell comment ends the code (`#12`, a conversation id, does not start one).
        if let comment = tokens.firstIndex(where: { $0 == "#" || ($0.hasPrefix("#") && !$0.dropFirst().allSatisfy(\.isNumber)) }) {
            tokens.removeSubrange(comment...)
        }
        var mentions: [Mention] = []
        for (index, token) in tokens.enumerated() where isBinary(token) {
            // Only where a command starts: `upgrade earshot before...` in a quoted message is prose.
            if index > 0 && !startsCommand(after: tokens[index - 1]) { continue }
            let rest = tokens.dropFirst(index + 1)
            // `sudo -u earshot earshot db init`: the first is the service user.
            if let next = rest.first, isBinary(next) { continue }
            var words: [String] = []
            for token in rest {
                if ["|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1"].contains(token) { break }
                words.append(token.trimmingCharacters(in: CharacterSet(charactersIn: "[](),;:.\"'")))
            }
            mentions.append(Mention(words: words))
        }
        return mentions
    }

    /// `earshot`, or the installed or built binary by its path (`/usr/local/bin/earshot`,
    /// `ExecStart=/usr/local/bin/earshot`, `.build/release/earshot`), not a directory such as
    /// `/var/lib/earshot`.
    static func isBinary(_ token: String) -> Bool {
        token == "earshot" || token.hasSuffix("/bin/earshot") || (token.contains(".build/") && token.hasSuffix("/earshot"))
    }

    /// Whether a word can come right before a command: a shell separator, `sudo`, an
    /// environment assignment, or the user in `sudo -u earshot earshot ...`.
    static func startsCommand(after previous: String) -> Bool {
        ["|", "||", "&&", ";", "sudo", "exec", "then", "do", "$(", "earshot"].contains(previous)
            || previous.range(of: "^[A-Z_][A-Z0-9_]*=", options: .regularExpression) != nil
    }

    static func isCommandWord(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isLowercase || $0 == "-" || $0 == "|" } && word.first!.isLetter
    }

    /// Options every command accepts that its help does not list.
    static let globalOptions: Set<String> = ["--generate-completion-script", "--experimental-dump-help", "--help", "--version"]

    @Test func everyCommandTheDocsNameExists() throws {
        let topLevel = Set(try listing.subcommands(of: []) + ["help"])
        var problems: [String] = []
        var checked: [[String]: Bool] = [:]
        var options: [[String]: Set<String>] = [:]
        var children: [[String]: [String]] = [:]
        var defaults: [[String]: String?] = [:]
        var count = 0
        func exists(_ path: [String]) throws -> Bool {
            if let known = checked[path] { return known }
            let answer = try listing.isCommand(path)
            checked[path] = answer
            return answer
        }
        for (name, text) in try Self.documents() {
            for (line, code) in Self.codeLines(text) {
                for mention in Self.mentions(in: code) {
                    guard let first = mention.words.first else { continue }
                    if first.hasPrefix("--") {
                        if !Self.globalOptions.contains(first.split(separator: "=")[0].description) {
                            problems.append("\(name):\(line): earshot has no option \(first)")
                        }
                        continue
                    }
                    guard Self.isCommandWord(first) else { continue }
                    for command in first.split(separator: "|").map(String.init) {
                        count += 1
                        guard topLevel.contains(command), try command == "help" || exists([command]) else {
                            problems.append("\(name):\(line): `earshot \(command)` is not a command of the built binary")
                            continue
                        }
                        var path = [command]
                        // A second word names a subcommand when the command has them.
                        let subcommands = try children[path] ?? listing.subcommands(of: path)
                        children[path] = subcommands
                        if !subcommands.isEmpty, mention.words.count > 1, Self.isCommandWord(mention.words[1]) {
                            for sub in mention.words[1].split(separator: "|").map(String.init) {
                                if !(try exists(path + [sub])) {
                                    problems.append("\(name):\(line): `earshot \(command) \(sub)` is not a command of the built binary")
                                }
                            }
                            if !mention.words[1].contains("|") { path.append(mention.words[1]) }
                        }
                        guard first == command, command != "help", try exists(path) else { continue }
                        // `earshot outbox --all` is `earshot outbox list --all`.
                        let fallback = try defaults[path] ?? listing.defaultSubcommand(of: path)
                        defaults[path] = fallback
                        let optionPath = fallback.map { path + [$0] } ?? path
                        let known = try options[optionPath] ?? listing.longOptions(of: optionPath)
                        options[optionPath] = known
                        for word in mention.words where word.hasPrefix("--") && word.count > 2 {
                            let flag = String(word.split(separator: "=")[0])
                            if !known.contains(flag) && !Self.globalOptions.contains(flag) {
                                problems.append("\(name):\(line): `earshot \(path.joined(separator: " "))` has no option \(flag)")
                            }
                        }
                    }
                }
            }
        }
        #expect(count > 50, "found only \(count) commands in the docs; is the scan broken?")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theScanFindsCommandsWhereTheDocsWriteThem() {
        let text = """
            Run `earshot queue --view mine` or `sudo -u earshot earshot db init`, never `upgrade earshot before`.

            ```sh
            EARSHOT_DB=/tmp/x earshot responder add lee \\
              --name "Lee" --initials LN   # a comment with earshot words
            useradd --home /var/lib/earshot --shell /usr/sbin/nologin earshot
            ls | earshot ingest - && earshot stats --by day
            ExecStart=/usr/local/bin/earshot serve --socket /run/x.sock
            ```
            | `earshot stats [--by responder\\|channel]` | `earshot responder add\\|list` |
            """
        let mentions = Self.codeLines(text).flatMap { Self.mentions(in: $0.code) }.map(\.words)
        #expect(mentions == [
            ["queue", "--view", "mine"], ["db", "init"], ["responder", "add", "lee", "--name", "Lee", "--initials", "LN"],
            ["ingest", "-"], ["stats", "--by", "day"], ["serve", "--socket", "/run/x.sock"], ["stats", "--by", "responder|channel"],
            ["responder", "add|list"],
        ])
    }

    @Test func anUnknownCommandIsCaught() throws {
        #expect(try listing.isCommand(["queue"]))
        #expect(try listing.isCommand(["db", "check"]))
        #expect(try !listing.isCommand(["no-such-command"]))
        #expect(try !listing.isCommand(["db", "frob"]))
    }
}
