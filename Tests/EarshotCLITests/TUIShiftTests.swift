import EarshotCore
import EarshotService
import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// The real binary in a real terminal (tmux, 120x40): a responder works a shift from the
/// keyboard, and hostile customer text stays inert on screen.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "needs tmux (make deps installs it)"))
struct TUIShiftTests {
    let home: TemporaryDirectory
    let binary: String
    let me: String
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
         "EARSHOT_CONFIG": home.file("config.toml"), "XDG_RUNTIME_DIR": home.path,  // no daemon there: single-user mode
         "XDG_CONFIG_HOME": home.file("config"), "TZ": "UTC", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
    }

    init() throws {
        home = try TemporaryDirectory("earshot-tui")
        binary = try BuiltProducts.executable("earshot")
        me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        try """
            [delivery]
            command = ["\(binary)", "sample-deliver", "\(home.file("sent.jsonl"))"]
            undo_seconds = 1
            [assignment]
            routing = "manual"
            """.write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "available"], environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
    }

    func ingest(_ records: [(id: String, author: String, text: String)]) throws {
        let lines = try records.map { record -> String in
            let object: [String: Any] = ["platform": "x", "external_id": record.id, "channel": "AcmeSupport", "author": record.author,
                                         "text": record.text, "created_at": "2026-11-27T09:00:00Z"]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        let result = try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
    }

    func count(_ sql: String) throws -> Int { try CLITest.count(sql, in: home.file("inbox.sqlite")) }

    func expectScreen(_ tmux: TmuxSession, _ text: String, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let (matched, screen) = tmux.wait(for: text)
        #expect(matched, "\(comment?.rawValue ?? "") expected \"\(text)\" on screen:\n\(screen)", sourceLocation: sourceLocation)
    }

    @Test func aResponderWorksAShiftFromTheKeyboard() throws {
        try ingest([
            ("1", "kim", "Where is my order 1234? It was due Monday"),
            ("2", "lee", "Your app logs me out every hour"),
            ("3", "mori", "注文はいつ届きますか？ 🙏"),
        ])
        let tmux = try TmuxSession([binary], environment: environment, in: home.path)
        defer { tmux.kill() }
        expectScreen(tmux, "Queue: mine")
        expectScreen(tmux, "nothing assigned to you")
        // Switch views with v until the unassigned queue shows the three conversations.
        tmux.send("v")
        expectScreen(tmux, "Queue: unassigned")
        expectScreen(tmux, "@kim")
        expectScreen(tmux, "@mori")
        // Search narrows the queue in SQL; an empty search clears it.
        tmux.send("/")
        tmux.type("logs me out")
        tmux.send("Enter")
        var screen = tmux.wait { $0.contains("search \"logs me out\"") && !$0.contains("@kim") && !$0.contains("reading") }
        #expect(screen.matched, "\(screen.screen)")
        #expect(screen.screen.contains("@lee"))
        tmux.send("/")
        tmux.send("Enter")
        expectScreen(tmux, "@kim")

        // Open the first conversation, claim it, answer within 140.
        tmux.send("g")
        tmux.send("Enter")
        expectScreen(tmux, "Where is my order 1234?")
        tmux.send("c")
        expectScreen(tmux, "#1 claimed")
        tmux.send("r")
        expectScreen(tmux, "Reply to #1")
        expectScreen(tmux, "131 left", "@kim + space and the signature ^ME count")
        tmux.type("It ships today, tracking by DM")
        expectScreen(tmux, "101 left")
        tmux.send("C-s")
        expectScreen(tmux, "reply queued")
        // Delivered by the sample command after the 1 s undo window; the thread shows it.
        expectScreen(tmux, "[sent]")
        #expect(((try? String(contentsOfFile: home.file("sent.jsonl"), encoding: .utf8)) ?? "").contains("It ships today, tracking by DM ^ME"))

        // An internal note, set apart in the thread.
        tmux.send("n")
        expectScreen(tmux, "Internal note on #1")
        tmux.type("VIP, second delay this month")
        tmux.send("C-s")
        expectScreen(tmux, "note added to #1")
        expectScreen(tmux, "note by \(me)")

        // Priority, then snooze: it leaves the open views and waits in snoozed.
        tmux.send("p")
        tmux.type("high")
        tmux.send("Enter")
        expectScreen(tmux, "#1 priority high")
        tmux.send("s")
        tmux.type("2h")
        tmux.send("Enter")
        expectScreen(tmux, "#1 snoozed until")
        tmux.send(":")
        tmux.type("view snoozed")
        tmux.send("Enter")
        expectScreen(tmux, "Queue: snoozed")

        // Back to the queue; resolve another conversation from the unassigned view.
        tmux.send("q")
        tmux.send(":")
        tmux.type("view unassigned")
        tmux.send("Enter")
        screen = tmux.wait { $0.contains("Queue: unassigned") && $0.contains("@lee") }
        #expect(screen.matched, "\(screen.screen)")
        tmux.send("g")
        tmux.send("e")
        expectScreen(tmux, "resolved")
        #expect(try count("SELECT count(*) FROM conversation WHERE status = 'resolved'") == 1)
        #expect(try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 1)
        #expect(try count("SELECT count(*) FROM note") == 1)

        // ? shows the keys from the action table; q closes it, q quits.
        tmux.send("?")
        expectScreen(tmux, "Keys")
        tmux.send("q")
        tmux.send("q")
        tmux.send("q")
        let deadline = Date().addingTimeInterval(10)
        while tmux.isRunning && Date() < deadline { usleep(50_000) }
        #expect(!tmux.isRunning, "q at the top quits")
    }

    @Test func hostileCustomerTextIsShownInertAndChangesNothingElse() throws {
        let hostile = "Hi \u{1B}]0;pwned\u{07} there \u{1B}[2J \u{1B}P+q544e\u{1B}\\ \u{202E}gpj.exe done"
        try ingest([("1", "mallory", hostile), ("2", "kim", "an ordinary question")])
        let tmux = try TmuxSession([binary, "tui"], environment: environment, in: home.path)
        defer { tmux.kill() }
        let titleBefore = tmux.title()
        tmux.send("v")
        expectScreen(tmux, "@mallory")
        tmux.send("g")
        tmux.send("Enter")
        let (matched, screen) = tmux.wait { $0.contains("␛]0;pwned␇ there ␛[2J ␛P+q544e␛\\ <U+202E>gpj.exe done") }
        #expect(matched, "the hostile text shows as visible symbols:\n\(screen)")
        // Nothing else changed: the title is the same, the screen was not cleared (the queue,
        // the other conversation and the status bar are all still there).
        #expect(tmux.title() == titleBefore)
        #expect(!tmux.title().contains("pwned"))
        #expect(screen.contains("Queue: unassigned"))
        #expect(screen.contains("@kim"))
        #expect(screen.contains("unassigned 2"))
        #expect(!screen.contains("\u{1B}"))
    }

    @Test func throughTheDaemonOthersChangesShowLiveAndARestartIsRiddenOut() throws {
        try ingest([("1", "kim", "Where is my order?"), ("2", "lee", "App crashes on start")])
        var daemonEnvironment = environment
        daemonEnvironment["EARSHOT_SOCKET"] = home.file("earshot.sock")
        func startDaemon() throws -> Process {
            try CLITest.startDaemon(binary, ["--tick", "0.5"], environment: daemonEnvironment, socket: home.file("earshot.sock"))
        }
        var daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let tmux = try TmuxSession([binary], environment: daemonEnvironment, in: home.path)
        defer { tmux.kill() }
        expectScreen(tmux, "connected")
        tmux.send("v")
        expectScreen(tmux, "@lee")
        // Someone else (a CLI client of the same daemon) claims and notes: the screen follows.
        let claim = try runProcess(binary, ["claim", "2"], environment: daemonEnvironment)
        #expect(claim.status == 0, "\(claim.stderr)")
        let (gone, screen) = tmux.wait { !$0.contains("@lee") }
        #expect(gone, "a claimed conversation leaves the unassigned view within a second:\n\(screen)")
        // Reading kim's conversation: teammates see me there.
        tmux.send("g")
        tmux.send("Enter")
        expectScreen(tmux, "Where is my order?")
        let me = try #require(loginName(of: getuid()))
        func viewers(of conversation: Int) -> [String] {
            guard let client = try? DaemonConnection(path: home.file("earshot.sock")) else { return [] }
            defer { client.close() }
            let people = (try? client.call(Inbox.GetPresence(ConversationID(Int64(conversation)))).response) ?? []
            return people.map(\.login)
        }
        try CLITest.waitFor { viewers(of: 1).contains(me) }
        // The daemon goes away: the TUI says so, and carries on when it is back.
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        try? FileManager.default.removeItem(atPath: home.file("earshot.sock"))
        tmux.send("j")
        expectScreen(tmux, "RECONNECTING")
        daemon = try startDaemon()
        expectScreen(tmux, "reconnected")
        // The new daemon knew nobody's presence: the TUI told it again.
        try CLITest.waitFor { viewers(of: 1).contains(me) }
        tmux.send("q")
    }
}
