import EarshotService
import EarshotTestSupport
import Foundation
import Testing

/// Idle connections cannot take the daemon: under a small descriptor limit (prlimit, so the
/// test is quick), connections that never say hello are refused or dropped with a message, a
/// real command is answered or told why (never left hanging), and the log stays short.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "needs prlimit (util-linux)"))
struct ConnectionLimitCommandTests {
    let home: TemporaryDirectory
    let binary: String
    var socket: String { home.file("earshot.sock") }
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite")]
    }

    init() throws {
        home = try TemporaryDirectory("earshot-connlimits")
        binary = try BuiltProducts.executable("earshot")
        let me = try #require(String(validatingCString: getpwuid(geteuid()).pointee.pw_name))
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "available"], environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
        try DaemonCommandTests.feed(0..<2).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
    }

    /// The error code the daemon sent on `connection` before closing it, or nil (also when it
    /// is still open at `deadline`).
    static func finalError(_ connection: UnixSocket, by deadline: Date) throws -> String? {
        try connection.setTimeout(max(0.1, deadline.timeIntervalSinceNow))
        var received: [UInt8] = []
        while let bytes = try? connection.read(), !bytes.isEmpty { received += bytes }
        guard let last = received.split(separator: 0x0A).last,
              let message = try JSONSerialization.jsonObject(with: Data(last)) as? [String: Any] else { return nil }
        return (message["error"] as? [String: Any])?["code"] as? String
    }

    @Test func idleConnectionsAreRefusedOrDroppedAndARealCommandIsNeverLeftHanging() throws {
        let log = home.file("daemon.log")
        #expect(FileManager.default.createFile(atPath: log, contents: nil))
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        // Soft 64, hard 128: the daemon raises its own limit to 128 at start, which leaves room
        // for 64 connections (the defaults: 64 per user, a 5 s hello timeout).
        daemon.arguments = ["--nofile=64:128", binary, "serve", "--socket", socket, "--tick", "60"]
        daemon.environment = environment
        daemon.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try daemon.run()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        try CLITest.waitFor { FileManager.default.fileExists(atPath: socket) }
        let limits = try String(contentsOfFile: "/proc/\(daemon.processIdentifier)/limits", encoding: .utf8)
        #expect(limits.split(separator: "\n").contains { $0.hasPrefix("Max open files") && $0.split(separator: " ").dropFirst(3).prefix(2) == ["128", "128"] },
                "\(limits)")

        // More connections than that, none of which ever says hello.
        let idle = try (0..<150).map { _ in try UnixSocket.connect(to: socket, timeout: 30) }
        defer { for connection in idle { connection.close() } }
        // A real command meanwhile is answered or refused with a message, not left waiting.
        // (Under timeout(1), SIGKILL as the test leaves SIGTERM blocked: before the fix it hung in the backlog.)
        let during = try runProcess("/usr/bin/timeout", ["-s", "KILL", "60", binary, "queue", "--view", "open", "--socket", socket], environment: environment)
        #expect(during.status == 0 || during.stderr.contains("the earshot daemon has as many connections as it can hold"),
                "status \(during.status): \(during.stderr)")
        // Every idle connection is told why it ends: refused at once (full) or dropped after the hello timeout.
        let deadline = Date().addingTimeInterval(30)
        let codes = try idle.map { try Self.finalError($0, by: deadline) }
        #expect(codes.filter { $0 == "full" }.count >= 1)
        #expect(codes.filter { $0 == "hello_timeout" }.count >= 1)
        #expect(codes.allSatisfy { $0 == "full" || $0 == "hello_timeout" }, "\(codes)")
        // Room again: a real command is answered.
        let after = try runProcess("/usr/bin/timeout", ["-s", "KILL", "60", binary, "queue", "--view", "open", "--socket", socket], environment: environment)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.split(separator: "\n").contains { $0.hasPrefix("1\topen\t") })
        // The log says so in a few lines, not one per connection and never a spin.
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.contains { $0.contains("descriptor limit 128: up to 64 connections") })
        #expect(lines.contains { $0.contains("earshot serve: store /") && $0.hasSuffix(".sqlite") }, "the log names the inbox it serves")
        #expect(!lines.contains { $0.contains("accept failed") })
        #expect(lines.filter { $0.contains("refused a connection") }.count <= 2, "\(lines)")
        #expect(lines.filter { $0.contains("sent no hello") }.count <= 2, "\(lines)")
    }

    @Test(.enabled(if: UnixAccountTests.isRoot, "needs root to create a second Unix account (CI runs as root)"))
    func oneUserAtTheCapIsRefusedWhileAnotherIsServed() throws {
        let other = "escap\(getpid() % 100_000)"
        defer { _ = try? runProcess("/usr/sbin/userdel", [other]) }
        #expect(try runProcess("/usr/sbin/useradd", ["-M", "-N", "-s", "/bin/sh", other]).status == 0)
        // The binary where the other account can run it (copied by cp: see UnixAccountTests).
        chmod(home.path, 0o755)
        let copy = home.file("earshot")
        #expect(try runProcess("/bin/cp", [binary, copy]).status == 0)
        chmod(copy, 0o755)
        try "[daemon]\nconnections_per_user = 5\nhello_timeout_seconds = 60\n".write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
        var daemonEnvironment = environment
        daemonEnvironment["EARSHOT_CONFIG"] = home.file("config.toml")
        #expect(try runProcess(binary, ["responder", "add", other, "--name", "O", "--initials", "OT"], environment: environment).status == 0)
        let daemon = try CLITest.startDaemon(binary, ["--socket", socket, "--tick", "60"], environment: daemonEnvironment, socket: socket)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        chmod(socket, 0o666)  // reachable by the other account (a team uses the staff group instead)

        // This user holds five idle connections: a sixth is refused, with the reason.
        let idle = try (0..<5).map { _ in try UnixSocket.connect(to: socket, timeout: 30) }
        defer { for connection in idle { connection.close() } }
        let mine = try runProcess("/usr/bin/timeout", ["-s", "KILL", "60", binary, "queue", "--view", "open", "--socket", socket], environment: environment)
        #expect(mine.status == 1)
        #expect(mine.stderr.contains("already has 5 connections to the earshot daemon, the most one user may have"), "\(mine.stderr)")
        // Everyone else is served as usual.
        let theirs = try runProcess("/usr/sbin/runuser", ["-u", other, "--", "/usr/bin/env", "-i", "HOME=\(home.path)", "PATH=/usr/bin:/bin",
                                                          "/usr/bin/timeout", "-s", "KILL", "60", copy, "queue", "--view", "open", "--socket", socket])
        #expect(theirs.status == 0, "\(theirs.stderr)")
        #expect(theirs.stdout.split(separator: "\n").contains { $0.hasPrefix("1\topen\t") })
        // Closing one connection makes room again.
        idle[0].close()
        try CLITest.waitFor {
            try runProcess(binary, ["queue", "--view", "open", "--socket", socket], environment: environment).status == 0
        }
    }
}
