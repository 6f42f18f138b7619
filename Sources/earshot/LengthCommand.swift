import ArgumentParser
import EarshotCore
import Foundation

struct LengthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "length",
        abstract: "Count a reply the way the 140-character limit does.",
        discussion: """
            Counts TEXT, or each line of standard input when there is no TEXT, the way twitter-text's \
            version-1 configuration does: after NFC normalization every Unicode code point counts 1 and \
            every URL (with or without http://, by twitter-text's rules and TLD list) counts 23. Words given \
            as separate arguments are joined with one space; text starting with - goes after --. See \
            docs/length.md.

            Output, one line per input:  LENGTH<TAB>REMAINING<TAB>STATUS
              LENGTH     the weighted length
              REMAINING  140 - LENGTH, negative when too long
              STATUS     valid, too-long, empty, or invalid-character
                         (the text holds U+FFFE, U+FEFF or U+FFFF)
            With --json: one JSON object per input (JSON Lines), with the URLs found.

            Exit status: 0 when every input is valid, 1 when any is too long, empty or has an invalid \
            character, 64 on a usage error, 65 when standard input is not UTF-8.
            """)

    @Argument(help: "The reply; without it, each line of standard input is counted.") var text: [String] = []
    @Flag(help: "Count all of standard input as one reply, newlines included (a final newline is dropped).")
    var whole = false
    @Flag(help: "Print one JSON object per input: length, remaining, status, urls.") var json = false

    func validate() throws {
        if whole && !text.isEmpty { throw ValidationError("--whole reads standard input; give TEXT or --whole, not both") }
    }

    func run() throws {
        var allValid = true
        for reply in try inputs() {
            let result = ReplyLength.measure(reply)
            allValid = allValid && result.isValid
            print(json ? try Self.json(result) : Self.line(result))
        }
        if !allValid { throw ExitCode.failure }
    }

    private func inputs() throws -> [String] {
        if !text.isEmpty { return [text.joined(separator: " ")] }
        guard let input = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8) else {
            FileHandle.standardError.write(Data("earshot length: standard input is not UTF-8\n".utf8))
            throw ExitCode(65)
        }
        var lines = input.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init)
        // A final newline ends the last line; it does not start an empty one.
        if lines.last == "" { lines.removeLast() }
        return whole ? [lines.joined(separator: "\n")] : lines
    }

    static func status(_ result: ReplyLength.Result) -> String { result.reason?.rawValue ?? "valid" }

    static func line(_ result: ReplyLength.Result) -> String {
        "\(result.weightedLength)\t\(result.remaining)\t\(status(result))"
    }

    static func json(_ result: ReplyLength.Result) throws -> String {
        let object: [String: Any] = [
            "length": result.weightedLength, "remaining": result.remaining, "status": status(result),
            "urls": result.urls.map { ["url": $0.text, "start": $0.range.lowerBound, "end": $0.range.upperBound] },
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return SafeOutput.json(String(decoding: data, as: UTF8.self))
    }
}
