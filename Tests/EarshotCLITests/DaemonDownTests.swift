import EarshotService
import EarshotTestSupport
import Foundation
import Testing

/// A team socket that nobody answers on is an error, never a quiet switch to the user's own
/// database: the reply would be queued there, to another customer, and never reach the team.
@Suite(.serialized) struct DaemonDownTests {
    let home: TemporaryDirectory
    let binary: String
    var team: String { home.file("team.sqlite") }
    var mine: String { home.file("mine.sqlite") }
    var socket: String { home.file("earshot.sock") }
    /// A client's environment: its own database is `mine`, as a personal default would be.
    var client: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": mine] }

    init() throws {
        home = try TemporaryDirectory("earshot-down")
        binary = try BuiltProducts.executable("earshot")
        let me = try #require(String(validatingCString: getpwuid(geteuid()).pointee.pw_name))
        try DaemonCommandTests.feed(0..<2).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        // Both databases hold a conversation 1 (different customers, in real life).
        for database in [team, mine] {
            let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database]
            let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                              "--availability", "available"], environment: environment)
            #expect(add.status == 0, "\(add.stderr)")
            #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        }
    }

    /// Starts the team's daemon on `team` and kills it with SIGKILL, which leaves its socket file behind.
    func killedDaemon(_ arguments: [String], environment extra: [String: String] = [:], socket: String) throws {
        var environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": team]
        environment.merge(extra) { $1 }
        let daemon = try CLITest.startDaemon(binary, arguments + ["--tick", "60"], environment: environment, socket: socket)
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(FileManager.default.fileExists(atPath: socket))
    }

    func replies(in database: String) throws -> Int { try CLITest.count("SELECT count(*) FROM reply", in: database) }

    @Test func aStaleConfiguredSocketIsAnErrorAndNothingIsWritten() throws {
        try killedDaemon(["--socket", socket], socket: socket)
        var environment = client
        environment["EARSHOT_SOCKET"] = socket
        let reply = try runProcess(binary, ["reply", "1", "we", "are", "on", "it"], environment: environment)
        #expect(reply.status == 1)
        #expect(reply.stderr.contains("no earshot daemon answers at \(socket)"), "\(reply.stderr)")
        #expect(reply.stderr.contains("The daemon is down (its socket file is there but nothing listens"))
        #expect(reply.stderr.contains("`systemctl status earshot`"))
        #expect(reply.stderr.contains("nothing was done"))
        #expect(try replies(in: mine) == 0)
        #expect(try replies(in: team) == 0)
        // Gone altogether (a daemon stopped cleanly removes it): still configured, still an error.
        try FileManager.default.removeItem(atPath: socket)
        let again = try runProcess(binary, ["reply", "1", "we", "are", "on", "it"], environment: environment)
        #expect(again.status == 1)
        #expect(again.stderr.contains("The daemon is down (there is no socket there; the socket is set by EARSHOT_SOCKET)"), "\(again.stderr)")
        #expect(try replies(in: mine) == 0)
    }

    @Test func aStalePersonalSocketIsAnErrorUntilItIsRemoved() throws {
        let runtime = home.file("run")
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let personal = runtime + "/earshot.sock"
        try killedDaemon([], environment: ["XDG_RUNTIME_DIR": runtime], socket: personal)
        var environment = client
        environment["XDG_RUNTIME_DIR"] = runtime
        let reply = try runProcess(binary, ["reply", "1", "we", "are", "on", "it"], environment: environment)
        #expect(reply.status == 1)
        #expect(reply.stderr.contains("no earshot daemon answers at \(personal), your own daemon's socket: the daemon is down"), "\(reply.stderr)")
        #expect(reply.stderr.contains("remove \(personal) to work on your own database"))
        #expect(try replies(in: mine) == 0)
        // With nothing there, single-user mode on your own database, as before.
        try FileManager.default.removeItem(atPath: personal)
        let single = try runProcess(binary, ["reply", "1", "we", "are", "on", "it"], environment: environment)
        #expect(single.status == 0, "\(single.stderr)")
        #expect(try replies(in: mine) == 1)
        #expect(try replies(in: team) == 0)
    }

    @Test func aSocketThatNeverAnswersTimesOutWithTheSameError() throws {
        // Listening, so connecting works, but nobody ever accepts or answers the hello.
        let listener = try UnixSocket.listen(at: socket, mode: 0o600)
        defer { listener.close() }
        var environment = client
        environment["EARSHOT_SOCKET"] = socket
        // Under timeout(1): before the fix the client waited for the hello forever.
        let queue = try runProcess("/usr/bin/timeout", ["-s", "KILL", "60", binary, "queue"], environment: environment)
        #expect(queue.status == 1)
        #expect(queue.stderr.contains("The daemon is down (it did not answer within 10 seconds"), "\(queue.stderr)")
    }
}
