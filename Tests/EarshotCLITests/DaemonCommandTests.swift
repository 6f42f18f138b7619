import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot serve` as a process: CLI verbs through it, socket activation, and a SIGKILL in the
/// middle of ingesting its spool directory.
@Suite(.serialized) struct DaemonCommandTests {
    let home: TemporaryDirectory
    let binary: String
    var socket: String { home.file("earshot.sock") }
    var environment: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite")] }

    init() throws {
        home = try TemporaryDirectory("earshot-daemon")
        binary = try BuiltProducts.executable("earshot")
        let me = try #require(ProcessInfo.processInfo.environment["USER"] ?? String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "available", "--capacity", "100000"], environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
    }

    func startDaemon(_ extra: [String] = []) throws -> Process {
        try CLITest.startDaemon(binary, ["--socket", socket, "--tick", "0.2"] + extra, environment: environment, socket: socket)
    }

    func waitFor(_ condition: () throws -> Bool) throws { try CLITest.waitFor(condition) }

    func count(_ sql: String) throws -> Int { try CLITest.count(sql, in: home.file("inbox.sqlite")) }

    static func feed(_ range: Range<Int>) -> String {
        range.map { #"{"platform":"x","external_id":"\#($0)","channel":"Acme","author":"c\#($0 % 500)","text":"help \#($0)?","created_at":"2024-01-15T12:00:00Z"}"# }
            .joined(separator: "\n") + "\n"
    }

    @Test func verbsGoThroughARunningDaemonWhichIgnoresClaimedIdentities() throws {
        try Self.feed(0..<2).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        let daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        var env = environment
        env["EARSHOT_LOGIN"] = "somebody-else"
        let release = try runProcess(binary, ["release", "1", "--socket", socket], environment: env)
        #expect(release.status == 0, "\(release.stderr)")
        #expect(release.stdout == "conversation 1: open, unassigned\n")
        let events = try CLITest.database(home.file("inbox.sqlite")).read {
            try String.fetchAll($0, sql: "SELECT actor FROM event WHERE kind = 'released'")
        }
        #expect(events.count == 1 && !events[0].contains("somebody-else"))
        // Queue views come through the daemon too (responders cannot open its database).
        // (The daemon's tick routes what is released, so the "open" view is the stable one to read.)
        let queue = try runProcess(binary, ["queue", "--view", "open", "--socket", socket], environment: environment)
        #expect(queue.status == 0, "\(queue.stderr)")
        #expect(queue.stdout.split(separator: "\n").contains { $0.hasPrefix("1\topen\tnormal\t") })
        daemon.terminate()
        daemon.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: socket))
        let gone = try runProcess(binary, ["claim", "1", "--socket", socket], environment: environment)
        #expect(gone.stderr.contains("no earshot daemon answers at \(socket): start it with `earshot serve --socket \(socket)`"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 to pass a socket"))
    func socketActivationServesTheInheritedSocket() throws {
        // Stand in for systemd: bind and listen, then start the daemon with the socket as fd 3.
        let launcher = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(16)
            pid = os.fork()
            if pid == 0:
                if s.fileno() != 3:
                    os.dup2(s.fileno(), 3)
                os.set_inheritable(3, True)
                devnull = os.open(os.devnull, os.O_RDWR)
                os.dup2(devnull, 1); os.dup2(devnull, 2)  # not the pipe the test reads
                os.closerange(4, 4096)  # as systemd: only the passed socket beyond 0-2
                os.environ["LISTEN_FDS"] = "1"
                os.environ["LISTEN_PID"] = str(os.getpid())
                os.execv(sys.argv[2], [sys.argv[2], "serve", "--socket", sys.argv[1], "--tick", "60"])
            print(pid, flush=True)
            """
        let launch = try runProcess("/usr/bin/python3", ["-c", launcher, socket, binary], environment: environment)
        let pid = try #require(Int32(launch.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        var result = try runProcess(binary, ["route", "--socket", socket], environment: environment)
        let deadline = Date().addingTimeInterval(20)
        while result.status != 0 && Date() < deadline {
            usleep(50_000)
            result = try runProcess(binary, ["route", "--socket", socket], environment: environment)
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("assigned\n"))
    }

    @Test func aDaemonKilledWhileIngestingItsSpoolStoresEveryMentionOnceAfterRestart() throws {
        let total = 40_000
        let spool = home.file("spool")
        try FileManager.default.createDirectory(atPath: spool + "/new", withIntermediateDirectories: true)
        try Self.feed(0..<total).write(toFile: spool + "/new/big.jsonl", atomically: true, encoding: .utf8)
        let first = try startDaemon(["--spool", spool])
        try waitFor { (try? count("SELECT count(*) FROM mention")) ?? 0 >= 2_000 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let afterKill = try count("SELECT count(*) FROM mention")
        #expect(afterKill < total, "the file was done before the kill; the test proved nothing")
        #expect(FileManager.default.fileExists(atPath: spool + "/new/big.jsonl"))

        let second = try startDaemon(["--spool", spool])
        defer { second.terminate(); second.waitUntilExit() }
        try waitFor { FileManager.default.fileExists(atPath: spool + "/done/big.jsonl") }
        #expect(try count("SELECT count(*) FROM mention") == total)
        #expect(try count("SELECT count(DISTINCT external_id) FROM mention") == total)
        #expect(try count("SELECT count(*) FROM event WHERE kind IN ('opened', 'ingested')") == total)
    }
}

extension DaemonCommandTests {
    @Test func aWatcherReconnectsOnItsOwnAfterTheDaemonRestarts() throws {
        try Self.feed(0..<3).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        var daemon = try startDaemon()
        let output = TemporaryDirectoryFile(home.file("watch.out"))
        let errors = TemporaryDirectoryFile(home.file("watch.err"))
        let watcher = try CLITest.startWatcher(binary, socket: socket, environment: environment, output: output, errors: errors)
        defer {
            kill(watcher.processIdentifier, SIGKILL)
            watcher.waitUntilExit()
        }
        usleep(300_000)
        #expect(try runProcess(binary, ["release", "1", "--socket", socket], environment: environment).status == 0)
        try waitFor { output.text.contains("\treleased\t1\t") }

        // The daemon dies hard; the watcher says so and waits.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        try waitFor { errors.text.contains("reconnecting to \(socket)") }
        unlink(socket)  // the dead daemon's socket file, so startDaemon waits for the new one
        daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try waitFor { errors.text.contains("connected to \(socket)") }
        #expect(try runProcess(binary, ["release", "2", "--socket", socket], environment: environment).status == 0)
        try waitFor { output.text.contains("\treleased\t2\t") }
        #expect(watcher.isRunning)
    }
}

/// A file the test writes a child's output to and reads as it grows.
struct TemporaryDirectoryFile {
    let path: String
    init(_ path: String) { self.path = path }
    func handle() throws -> FileHandle {
        FileManager.default.createFile(atPath: path, contents: nil)
        return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    }
    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
}

extension DaemonCommandTests {
    @Test func aDraftSurvivesADroppedClientAndADaemonRestart() throws {
        try Self.feed(0..<1).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        var daemon = try startDaemon()
        #expect(try runProcess(binary, ["draft", "1", "@c0 checking your order now", "--socket", socket], environment: environment)
            .stdout == "draft saved for conversation 1\n")
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        unlink(socket)
        daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let restored = try runProcess(binary, ["draft", "1", "--socket", socket], environment: environment)
        #expect(restored.stdout == "@c0 checking your order now\n")
    }
}
