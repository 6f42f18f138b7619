import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// Issue 13, item 1, through the real binary: an oversized label is refused, one stored before
/// the limit does not take `earshot queue` down, and `earshot watch` skips what it cannot read
/// and reconnects when the daemon goes away.
@Suite(.serialized) struct LimitCommandTests {
    let home: TemporaryDirectory
    let binary: String
    let me: String
    var socket: String { home.file("earshot.sock") }
    var environment: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite")] }

    init() throws {
        home = try TemporaryDirectory("earshot-limits")
        binary = try BuiltProducts.executable("earshot")
        me = try #require(ProcessInfo.processInfo.environment["USER"] ?? String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "available", "--capacity", "100"], environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
    }

    @Test func anOversizedLabelIsRefusedAndOneStoredBeforeTheLimitDoesNotTakeTheQueueDown() throws {
        try DaemonCommandTests.feed(0..<3).write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        let daemon = try CLITest.startDaemon(binary, ["--socket", socket, "--tick", "60"], environment: environment, socket: socket)
        defer { daemon.terminate(); daemon.waitUntilExit() }
        // 60,000 two-byte characters: as long as one command-line argument may be.
        let label = try runProcess(binary, ["label", "1", "+" + String(repeating: "é", count: 60_000), "--socket", socket], environment: environment)
        #expect(label.status != 0)
        #expect(label.stderr.contains("a label is 60000 characters; the limit is 64: shorten it"), "\(label.stderr)")

        // A 900,000-character label from before the limit, straight in the database.
        try CLITest.database(home.file("inbox.sqlite")).write { db in
            try db.execute(sql: "INSERT INTO conversation_label (conversation_id, label) VALUES (1, ?)", arguments: [String(repeating: "é", count: 900_000)])
        }
        let queue = try runProcess(binary, ["queue", "--view", "open", "--socket", socket], environment: environment)
        #expect(queue.status == 0, "\(queue.stderr)")
        #expect(queue.stdout.split(separator: "\n").filter { $0.hasPrefix("1\t") || $0.hasPrefix("2\t") || $0.hasPrefix("3\t") }.count == 3,
                "\(queue.stdout.prefix(2_000))")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for a stand-in daemon"))
    func watchSkipsWhatItCannotReadAndReconnectsWhenTheDaemonGoesAway() throws {
        // A stand-in daemon: the first connection gets an oversized line, a line that is not
        // JSON and an event, then is closed; the second gets another event and stays open.
        let standIn = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(4)
            def event(id, kind):
                return ('{"event":{"id":%d,"at":1796385600000,"kind":"%s","conversation":3,"actor":"responder:me","detail":{}}}\\n' % (id, kind)).encode()
            for round in range(2):
                c, _ = s.accept()
                c.makefile('rb').readline()
                c.sendall(b'{"hello":{"protocol":2,"login":"me","name":"Me","role":"agent"}}\\n')
                if round == 0:
                    c.sendall(b'x' * (1048576 + 100) + b'\\n' + b'not json\\n' + event(7, 'claimed'))
                    c.close()
                else:
                    c.sendall(event(8, 'released'))
                    c.recv(1)
            """
        let fake = try CLITest.startStandIn(standIn, socket: socket)
        // SIGKILL: the test process may hand its children SIGTERM blocked.
        defer { kill(fake.processIdentifier, SIGKILL); fake.waitUntilExit() }

        let output = TemporaryDirectoryFile(home.file("watch.out"))
        let errors = TemporaryDirectoryFile(home.file("watch.err"))
        let watcher = try CLITest.startWatcher(binary, socket: socket, environment: environment, output: output, errors: errors)
        defer {
            kill(watcher.processIdentifier, SIGKILL)
            watcher.waitUntilExit()
        }
        try CLITest.waitFor { output.text.contains("\treleased\t3\t") || !watcher.isRunning }
        #expect(watcher.isRunning, "watch exited: \(errors.text)")
        #expect(output.text.contains("7\t2026-12-04T12:00:00.000Z\tclaimed\t3\tresponder:me"))
        #expect(output.text.contains("8\t2026-12-04T12:00:00.000Z\treleased\t3\tresponder:me"))
        #expect(errors.text.contains("skipped a message from the daemon that could not be read (over the 1048576-byte message limit)"))
        #expect(errors.text.contains("skipped a message from the daemon that could not be read (not a message this client can read)"))
        #expect(errors.text.contains("reconnecting to \(socket)"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for a stand-in daemon"))
    func watchStopsWhenTheDaemonRefusesItAtTheHello() throws {
        let standIn = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(4)
            c, _ = s.accept()
            c.makefile('rb').readline()
            c.sendall(b'{"error":{"code":"not_a_responder","message":"me is not a responder; ask a supervisor"}}\\n')
            c.recv(1)
            """
        let fake = try CLITest.startStandIn(standIn, socket: socket)
        defer { kill(fake.processIdentifier, SIGKILL); fake.waitUntilExit() }
        // timeout: a watch that retried a refusal would never end on its own.
        let watch = try runProcess("/usr/bin/timeout", ["60", binary, "watch", "--socket", socket], environment: environment)
        #expect(watch.status != 0)
        #expect(watch.stderr.contains("me is not a responder; ask a supervisor"))
    }
}
