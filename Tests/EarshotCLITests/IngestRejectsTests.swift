import EarshotTestSupport
import Foundation
import Testing

/// Where `earshot ingest` keeps rejected records (issue 13, item 6): never over an earlier
/// rejects file, somewhere writable when the wanted folder is not, and the summary says where.
@Suite struct IngestRejectsTests {
    let home: TemporaryDirectory
    let binary: String
    var database: String { home.file("inbox.sqlite") }

    init() throws {
        home = try TemporaryDirectory("earshot-ingest-rejects")
        binary = try BuiltProducts.executable("earshot")
    }

    var environment: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database] }

    /// Two good lines around one bad one, with ids from `first`.
    func feed(_ first: Int, bad: String) -> String {
        IngestCommandTests.jsonl(first..<(first + 1)) + bad + "\n" + IngestCommandTests.jsonl((first + 1)..<(first + 2))
    }

    func mkdir(_ name: String) throws -> String {
        let path = home.file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func twoInputsOfTheSameNameUnderRejectsDirKeepBothFiles() throws {
        let (a, b, rejects) = (try mkdir("a"), try mkdir("b"), home.file("rejects"))
        try feed(0, bad: "{first bad").write(toFile: a + "/feed.jsonl", atomically: true, encoding: .utf8)
        try feed(10, bad: "{second bad").write(toFile: b + "/feed.jsonl", atomically: true, encoding: .utf8)
        let result = try runProcess(
            binary, ["ingest", "--rejects-dir", rejects, a + "/feed.jsonl", b + "/feed.jsonl"], environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("1 rejected (kept in \(rejects)/feed.jsonl.rejects)"))
        #expect(result.stdout.contains("1 rejected (kept in \(rejects)/feed.jsonl.1.rejects)"))
        #expect(try String(contentsOfFile: rejects + "/feed.jsonl.rejects", encoding: .utf8) == "{first bad\n")
        #expect(try String(contentsOfFile: rejects + "/feed.jsonl.1.rejects", encoding: .utf8) == "{second bad\n")

        // Running it again keeps the earlier files too.
        let again = try runProcess(binary, ["ingest", "--rejects-dir", rejects, a + "/feed.jsonl"], environment: environment)
        #expect(again.stdout.contains("(kept in \(rejects)/feed.jsonl.2.rejects)"))
        #expect(try String(contentsOfFile: rejects + "/feed.jsonl.rejects", encoding: .utf8) == "{first bad\n")
    }

    @Test func aStdinIngestDoesNotOverwriteAnotherFromTheSameSecond() throws {
        // The names an ingest in the next minute would have used, already taken by other runs.
        let rejects = try mkdir("rejects")
        let now = Int(Date().timeIntervalSince1970)
        for second in now..<(now + 60) {
            try "earlier run\n".write(toFile: rejects + "/stdin-\(second).rejects", atomically: true, encoding: .utf8)
        }
        let result = try runProcess(
            binary, ["ingest", "--rejects-dir", rejects, "-"], environment: environment, stdin: feed(0, bad: "{bad"))
        #expect(result.status == 1, "\(result.stderr)")
        let kept = try #require(result.stdout.firstMatch(of: /kept in ([^)]+)\)/)).1
        #expect(kept.hasSuffix(".1.rejects"))
        #expect(try String(contentsOfFile: String(kept), encoding: .utf8) == "{bad\n")
        for second in now..<(now + 60) {
            #expect(try String(contentsOfFile: rejects + "/stdin-\(second).rejects", encoding: .utf8) == "earlier run\n")
        }
    }

    @Test func anUnwritableRejectsFolderDoesNotStopTheIngest() throws {
        // A folder below a regular file cannot be created, even by root.
        let blocker = home.file("not-a-folder")
        try "".write(toFile: blocker, atomically: true, encoding: .utf8)
        let file = home.file("feed.jsonl")
        try feed(0, bad: "{bad").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(binary, ["ingest", "--rejects-dir", blocker + "/rejects", file], environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try CLITest.count("SELECT count(*) FROM mention", in: database) == 2)
        let fallback = home.path + "/.local/state/earshot/rejects/feed.jsonl.rejects"
        #expect(result.stdout.contains("1 rejected (kept in \(fallback); cannot write \(blocker)/rejects/feed.jsonl.rejects"))
        #expect(try String(contentsOfFile: fallback, encoding: .utf8) == "{bad\n")

        // With nowhere to write, the records still go in and the message names the real option.
        var nowhere = environment
        nowhere["XDG_STATE_HOME"] = blocker + "/state"
        try feed(20, bad: "{bad").write(toFile: file, atomically: true, encoding: .utf8)
        let stuck = try runProcess(binary, ["ingest", "--rejects-dir", blocker + "/rejects", file], environment: nowhere)
        #expect(stuck.status == 1, "\(stuck.stderr)")
        #expect(try CLITest.count("SELECT count(*) FROM mention", in: database) == 4)
        #expect(stuck.stdout.contains("1 rejected (not kept: cannot write "))
        #expect(stuck.stdout.contains("pass --rejects-dir DIR somewhere writable"))
        #expect(!(stuck.stdout + stuck.stderr).contains("--rejects PATH"))
    }

    @Test(.enabled(if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")))
    func aReadOnlyInputFolderSendsRejectsToTheStateFolderAndSaysSo() throws {
        // Root writes anywhere, so as root the ingest runs as nobody, like a responder would.
        chmod(home.path, 0o777)
        let input = try mkdir("readonly")
        let file = input + "/feed.jsonl"
        try feed(0, bad: "{bad").write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        chmod(input, 0o555)
        let state = home.file("state")
        // The binary where nobody can run it (the build folder may be private); cp, so no
        // write descriptor of this process leaks into other tests' children.
        let binary = home.file("earshot")
        #expect(try runProcess("/bin/cp", [self.binary, binary]).status == 0)
        chmod(binary, 0o755)
        let arguments = ["ingest", "--db", database, file]
        let result = getuid() == 0
            ? try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/env", "HOME=\(home.path)",
                                                   "XDG_STATE_HOME=\(state)", "PATH=/usr/bin:/bin", binary] + arguments)
            : try runProcess(binary, arguments, environment: environment.merging(["XDG_STATE_HOME": state]) { $1 })
        #expect(result.status == 1, "\(result.stderr)")
        #expect(try CLITest.count("SELECT count(*) FROM mention", in: database) == 2)
        #expect(result.stdout.contains(
            "1 rejected (kept in \(state)/earshot/rejects/feed.jsonl.rejects; cannot write \(file).rejects: Permission denied)"))
        #expect(!FileManager.default.fileExists(atPath: file + ".rejects"))
    }

    @Test func theSpoolNumbersARejectsNameAlreadyTaken() throws {
        let spool = home.file("spool")
        for round in 0..<2 {
            try FileManager.default.createDirectory(atPath: spool + "/new", withIntermediateDirectories: true)
            try feed(round * 10, bad: "{bad \(round)").write(toFile: spool + "/new/feed.jsonl", atomically: true, encoding: .utf8)
            let result = try runProcess(binary, ["ingest", "--spool", spool, "--once"], environment: environment)
            #expect(result.stdout.contains("(kept in \(spool)/rejected/feed.jsonl\(round == 0 ? "" : ".1").rejects)"))
        }
        let rejected = spool + "/rejected/"
        #expect(try String(contentsOfFile: rejected + "feed.jsonl.rejects", encoding: .utf8) == "{bad 0\n")
        #expect(try String(contentsOfFile: rejected + "feed.jsonl.1.rejects", encoding: .utf8) == "{bad 1\n")
        #expect(try String(contentsOfFile: rejected + "feed.jsonl.1.reason", encoding: .utf8).contains(":2: not valid JSON"))
    }
}
