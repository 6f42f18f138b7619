import EarshotTestSupport
import Foundation
import Testing

/// Hostile customer and platform text through the real binary's CLI output: on a terminal it
/// shows as SafeText shows it in the TUI (inert, visible), and CSV and JSON never carry a raw
/// control, whether or not they go to a terminal.
@Suite struct HostileOutputTests {
    /// A handle that retitles the terminal, a channel (the brand's account) that turns it red,
    /// clears it with an 8-bit CSI and flips what follows, text that flips direction and sends an 8-bit CSI. A history export, so
    /// the brand's answer gives the channel a stats row; the customer's follow-up keeps it open.
    static let handle = "\u{1B}]0;AUTHPWN\u{07}mallory"
    static let channel = "Acme\u{1B}[31m\u{9B}2J\u{202E}"
    static let text = "hi \u{202E}gpj.exe \u{1B}[2J\u{9B}31m done"

    let home: TemporaryDirectory
    let binary: String
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
         "XDG_RUNTIME_DIR": home.path, "TZ": "UTC", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
    }

    init() throws {
        home = try TemporaryDirectory("earshot-hostile-output")
        binary = try BuiltProducts.executable("earshot")
        try """
            tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
            1,\(Self.channel),False,Tue Oct 31 22:14:00 +0000 2017,@mallory On it ^JK,3,2
            2,\(Self.handle),True,Tue Oct 31 22:10:47 +0000 2017,where is my order?,1,
            3,\(Self.handle),True,Tue Oct 31 22:20:00 +0000 2017,\(Self.text),,1

            """.write(toFile: home.file("history.csv"), atomically: true, encoding: .utf8)
        let ingest = try runProcess(binary, ["ingest", home.file("history.csv")], environment: environment)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        #expect(try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME"], environment: environment).status == 0)
    }

    /// Runs the binary with a pseudo-terminal as its standard output and error, as a person does.
    func inTerminal(_ arguments: String..., status: Int32 = 0) throws -> String {
        let terminal = try PseudoTerminal()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = terminal.device
        process.standardError = terminal.device
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == status)
        return terminal.drain()
    }

    /// Nothing a terminal could act on: no C0 control but line ends, no C1, no bidi override.
    func expectInert(_ output: String, _ what: Comment, sourceLocation: SourceLocation = #_sourceLocation) {
        let acting = output.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
        }
        #expect(acting.isEmpty, "\(what) carries \(acting.map { String($0.value, radix: 16) }):\n\(output)", sourceLocation: sourceLocation)
    }

    @Test func queueOnATerminalShowsTheHandleAndTextInert() throws {
        let output = try inTerminal("queue", "--view", "open")
        expectInert(output, "earshot queue")
        #expect(output.contains("@␛]0;AUTHPWN␇mallory"), "\(output)")
        #expect(output.contains("<U+202E>gpj.exe ␛[2J<U+009B>31m"), "\(output)")
    }

    @Test func statsByChannelOnATerminalAndAsCSVShowTheChannelInert() throws {
        let table = try inTerminal("stats", "--by", "channel")
        expectInert(table, "the stats table")
        #expect(table.contains("Acme␛[31m<U+009B>2J<U+202E>"), "\(table)")
        let csvOnTerminal = try inTerminal("stats", "--by", "channel", "--format", "csv")
        expectInert(csvOnTerminal, "stats CSV on a terminal")
        // Piped, for a script: the same visible escapes (docs/rendering.md#the-cli).
        let csv = try runProcess(binary, ["stats", "--by", "channel", "--format", "csv"], environment: environment)
        expectInert(csv.stdout, "stats CSV")
        #expect(csv.stdout.split(separator: "\n").dropFirst().first?.hasPrefix("Acme␛[31m<U+009B>2J<U+202E>,1,193000,") == true, "\(csv.stdout)")
    }

    @Test func statsJSONEscapesControlsAndKeepsTheNameExact() throws {
        let json = try runProcess(binary, ["stats", "--by", "channel", "--format", "json"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        expectInert(json.stdout, "stats JSON")
        #expect(json.stdout.contains(#"Acme\u001b[31m\u009b2J\u202e"#), "\(json.stdout)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(root["rows"] as? [[String: Any]])
        #expect(rows.first?["key"] as? String == Self.channel, "a script reads the channel's real name back")
    }

    @Test func anErrorQuotingHostileTextIsInert() throws {
        let output = try inTerminal("assign", "1", "\u{1B}]0;ERRPWN\u{07}", status: 1)
        expectInert(output, "the error message")
        #expect(output.contains("␛]0;ERRPWN␇"), "\(output)")
    }
}
