import ArgumentParser
import Foundation

/// The sample delivery command for the demo and the tests, and a model for a real one:
/// reads the reply as JSON on stdin, appends it to a file as one line, prints an id.
struct SampleDeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-deliver",
        abstract: "A delivery command that appends each reply to a file instead of posting it (demo and tests).",
        discussion: """
            Configure it as [delivery] command = ["earshot", "sample-deliver", "/path/to/sent.jsonl"]. \
            It reads the reply JSON on stdin, appends it as one line, and prints sample-<reply id> as the \
            platform id. --fail-attempts and --delay imitate a platform that errors or hangs.
            """)
    @Argument(help: "The file to append replies to.") var file: String
    @Option(help: "Fail attempts up to this number (exit 1), then succeed.") var failAttempts = 0
    @Option(help: "Seconds to wait after appending, before answering.") var delay: Double = 0

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard let request = try? JSONSerialization.jsonObject(with: input) as? [String: Any],
              let replyID = request["reply_id"] as? Int, let text = request["text"] as? String, !text.isEmpty else {
            throw CommandFailure("stdin is not a reply as earshot sends it (JSON with reply_id and text; docs/admin.md)")
        }
        let attempt = request["attempt"] as? Int ?? 1
        if attempt <= failAttempts {
            throw CommandFailure("sample delivery failing on purpose (attempt \(attempt) of the first \(failAttempts))")
        }
        let descriptor = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw CommandFailure("cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let line = input.filter { $0 != UInt8(ascii: "\n") } + Data("\n".utf8)
        // One write of the whole line with O_APPEND: lines from concurrent runs never interleave.
        guard line.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == line.count else {
            throw CommandFailure("cannot append to \(file): \(String(cString: strerror(errno)))")
        }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        print("sample-\(replyID)")
    }
}
