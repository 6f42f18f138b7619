import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot demo`: headless for scripts, a replayed export, its refusals, and the real thing
/// in a terminal (tmux) with conversations arriving and teammates answering.
@Suite(.serialized) struct DemoCommandTests {
    let home: TemporaryDirectory
    let binary: String
    /// Nothing of the person's own setup may be used: these point at files that must stay absent.
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "TMPDIR": home.file("tmp"), "XDG_CONFIG_HOME": home.file("config"),
         "XDG_DATA_HOME": home.file("data"), "EARSHOT_DB": home.file("own.sqlite"), "EARSHOT_CONFIG": home.file("own.toml"),
         "TZ": "UTC", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
    }

    init() throws {
        home = try TemporaryDirectory("earshot-demo")
        binary = try BuiltProducts.executable("earshot")
        try FileManager.default.createDirectory(atPath: home.file("tmp"), withIntermediateDirectories: true)
    }

    /// The number after `label` in the summary, e.g. `arrivals: 83 customer messages`.
    func number(after label: String, in text: String) -> Int? {
        guard let range = text.range(of: label) else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    func count(_ sql: String, in database: String) throws -> Int { try CLITest.count(sql, in: database) }

    /// What the demo left in TMPDIR (its workspace is removed when it ends).
    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: home.file("tmp")).filter { $0.hasPrefix("earshot-demo-") }
    }

    @Test func headlessRunsTheSimulatedDayAndPrintsWhatHappened() throws {
        let database = home.file("demo.sqlite")
        let result = try runProcess(
            binary, ["demo", "--headless", "--duration", "5", "--speed", "600", "--seed", "11", "--db", database],
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let arrivals = try #require(number(after: "arrivals: ", in: result.stdout), "\(result.stdout)")
        let replies = try #require(number(after: "replies: ", in: result.stdout), "\(result.stdout)")
        let resolved = try #require(number(after: "resolved: ", in: result.stdout), "\(result.stdout)")
        #expect(arrivals > 40, "20 waiting at the start, then 50 demo minutes from 09:00: \(result.stdout)")
        #expect(replies > 10, "\(result.stdout)")
        #expect(resolved > 5, "\(result.stdout)")
        #expect(result.stdout.contains("seed 11"))
        #expect(result.stdout.contains("database: \(database) (kept)"))
        #expect(result.stderr.isEmpty, "no problems logged: \(result.stderr)")

        // Mastodon customers wrote on the demo's own instance, read back by the real connector.
        let mastodonPosts = try #require(number(after: "mastodon: ", in: result.stdout), "\(result.stdout)")
        let mastodonReplies = try #require(number(after: "demo's instance, ", in: result.stdout), "\(result.stdout)")
        #expect(mastodonPosts > 0, "\(result.stdout)")
        #expect(try count("SELECT count(*) FROM mention WHERE platform = 'mastodon'", in: database) == mastodonPosts)
        #expect(try count("""
            SELECT count(*) FROM reply JOIN conversation ON conversation.id = reply.conversation_id
            JOIN channel ON channel.id = conversation.channel_id
            WHERE channel.platform = 'mastodon' AND reply.state = 'sent' AND reply.platform_url IS NOT NULL
            """, in: database) == mastodonReplies, "each reply on Mastodon was posted to the stub, with its address")

        // And Bluesky customers on the demo's own PDS.
        let blueskyPosts = try #require(number(after: "bluesky: ", in: result.stdout), "\(result.stdout)")
        let blueskyReplies = try #require(number(after: "demo's PDS, ", in: result.stdout), "\(result.stdout)")
        #expect(blueskyPosts > 0, "\(result.stdout)")
        #expect(try count("SELECT count(*) FROM mention WHERE platform = 'bluesky'", in: database) == blueskyPosts)
        #expect(try count("""
            SELECT count(*) FROM reply JOIN conversation ON conversation.id = reply.conversation_id
            JOIN channel ON channel.id = conversation.channel_id
            WHERE channel.platform = 'bluesky' AND reply.state = 'sent' AND reply.platform_url LIKE 'https://bsky.app/profile/%'
            """, in: database) == blueskyReplies)

        // And X customers on the demo's own X API.
        let xPosts = try #require(number(after: "\nx: ", in: result.stdout), "\(result.stdout)")
        let xReplies = try #require(number(after: "demo's X API, ", in: result.stdout), "\(result.stdout)")
        #expect(xPosts > 0, "\(result.stdout)")
        #expect(try count("SELECT count(*) FROM mention WHERE platform = 'x'", in: database) == xPosts)
        #expect(try count("""
            SELECT count(*) FROM reply JOIN conversation ON conversation.id = reply.conversation_id
            JOIN channel ON channel.id = conversation.channel_id
            WHERE channel.platform = 'x' AND reply.state = 'sent' AND reply.platform_url LIKE 'https://x.com/AcmeSupport/status/%'
            """, in: database) == xReplies)

        // The database holds what the summary says (every channel is live, so every arrival went
        // through a connector); teammates' replies were delivered and signed.
        #expect(arrivals == mastodonPosts + blueskyPosts + xPosts)
        #expect(try count("SELECT count(*) FROM mention", in: database) == arrivals)
        let teammates = "SELECT id FROM responder WHERE login IN ('dana', 'kenji', 'lucia', 'sam')"
        #expect(try count("SELECT count(*) FROM (\(teammates))", in: database) == 4)
        #expect(try count("SELECT count(*) FROM reply WHERE author_id IN (\(teammates))", in: database) == replies)
        #expect(try count("SELECT count(*) FROM reply WHERE author_id IN (\(teammates)) AND state = 'sent'", in: database) == replies,
                "the run waits for the last undo windows before it ends")
        #expect(try count("SELECT count(*) FROM responder WHERE role = 'supervisor' AND availability = 'available' AND capacity = 5",
                          in: database) == 1)
        #expect(try count("SELECT count(DISTINCT channel_id) FROM conversation", in: database) == 3)
        #expect(try count("SELECT count(DISTINCT triage_class) FROM conversation", in: database) >= 5)
        // Its own files are gone; the person's own database and configuration were never touched.
        #expect(try leftovers().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: home.file("own.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: home.file("data")))
    }

    @Test func withoutDbTheDatabaseIsTemporaryAndWithoutATerminalHeadlessIsSuggested() throws {
        let result = try runProcess(binary, ["demo", "--headless", "--duration", "1", "--speed", "600"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("database: temporary, deleted"))
        #expect(try leftovers().isEmpty)

        let noTerminal = try runProcess(binary, ["demo"], environment: environment)
        #expect(noTerminal.status != 0)
        #expect(noTerminal.stderr.contains("--headless"), "\(noTerminal.stderr)")
    }

    @Test func badOptionsAreRefusedWithTheReason() throws {
        try "x".write(toFile: home.file("exists.sqlite"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--headless", "--db", home.file("exists.sqlite")], "already exists"),
            (["--headless", "--speed", "0"], "--speed"),
            (["--duration", "5"], "--headless"),
            (["--headless", "--start", "25:00"], "--start"),
            (["--headless", "--replay", home.file("missing.csv")], "cannot read"),
        ]
        for (arguments, reason) in cases {
            let result = try runProcess(binary, ["demo"] + arguments, environment: environment)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
        }
        #expect(try leftovers().isEmpty)
    }

    @Test func replayFeedsAnExportAtItsOwnPaceTimesTheSpeed() throws {
        // Customer Support on Twitter rows: three customers, the brand answering two of them.
        let csv = home.file("export.csv")
        try """
            tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
            1,115712,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeHelp my order never came,2,
            2,AcmeHelp,False,Tue Oct 31 10:03:00 +0000 2017,@115712 Sorry! Sending a new one today ^JK,,1
            3,115713,True,Tue Oct 31 10:05:00 +0000 2017,@AcmeHelp is the shop open on Sunday?,4,
            4,AcmeHelp,False,Tue Oct 31 10:09:00 +0000 2017,@115713 Yes from 10 to 4 ^MB,,3
            5,115714,True,Tue Oct 31 10:20:00 +0000 2017,@AcmeHelp thanks for the quick help yesterday,,

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let database = home.file("replay.sqlite")
        // 20 minutes of export (an 11-minute silence cut to 5) at speed 600 take 1.4 seconds.
        let result = try runProcess(
            binary, ["demo", "--headless", "--duration", "4", "--speed", "600", "--replay", csv, "--db", database],
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(number(after: "arrivals: ", in: result.stdout) == 3, "\(result.stdout)")
        #expect(result.stdout.contains("replies: 2 brand replies"), "\(result.stdout)")
        #expect(result.stdout.contains("replaying \(csv)"))
        #expect(try count("SELECT count(*) FROM mention", in: database) == 3)
        #expect(try count("SELECT count(*) FROM reply WHERE state = 'sent'", in: database) == 2)
        #expect(try count("SELECT count(*) FROM responder WHERE login IN ('dana', 'kenji', 'lucia', 'sam')", in: database) == 0,
                "the export's brand replies are the team")
        // Stamped when fed, at the export's pace divided by the speed: 14 demo minutes in 1.4 seconds.
        let span = try count("SELECT max(created_at) - min(created_at) FROM mention", in: database)
        #expect((1_300...1_700).contains(span), "\(span) ms")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: DemoCommandTests.sharedSample), "needs ../shared/data/twcs (not in the repository)"))
    func theSharedTWCSSampleReplays() throws {
        let database = home.file("twcs.sqlite")
        let result = try runProcess(
            binary, ["demo", "--headless", "--duration", "4", "--speed", "5000", "--replay", Self.sharedSample, "--db", database],
            environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect((number(after: "arrivals: ", in: result.stdout) ?? 0) > 20, "\(result.stdout)")
        #expect(try count("SELECT count(*) FROM reply WHERE state = 'sent'", in: database) > 10)
    }

    static let sharedSample: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.deletingLastPathComponent().appendingPathComponent("shared/data/twcs/twcs_sample_5000.csv").path
    }()
}

/// The real thing in a real terminal: what `make run` shows.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "needs tmux (make deps installs it)"))
struct DemoTerminalTests {
    @Test func theDemoFillsTheQueueTeammatesAnswerAndQQuits() throws {
        let home = try TemporaryDirectory("earshot-demo-tmux")
        let binary = try BuiltProducts.executable("earshot")
        try FileManager.default.createDirectory(atPath: home.file("tmp"), withIntermediateDirectories: true)
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        let environment = [
            "HOME": home.path, "PATH": "/usr/bin:/bin", "TMPDIR": home.file("tmp"), "XDG_CONFIG_HOME": home.file("config"),
            "XDG_DATA_HOME": home.file("data"), "TZ": "UTC", "LANG": "C.UTF-8", "TERM": "xterm-256color",
        ]
        let database = home.file("demo.sqlite")
        let tmux = try TmuxSession([binary, "demo", "--speed", "600", "--seed", "3", "--db", database], environment: environment, in: home.path)
        defer { tmux.kill() }
        func expectScreen(_ comment: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: @escaping (String) -> Bool) {
            let (matched, screen) = tmux.wait(timeout: 30, for: condition)
            #expect(matched, "\(comment):\n\(screen)", sourceLocation: sourceLocation)
        }
        func statusCount(_ label: String, in screen: String) -> Int? {
            guard let range = screen.range(of: "│ \(label) ") else { return nil }
            return Int(screen[range.upperBound...].prefix { $0.isNumber })
        }

        // Signed in as themselves, a supervisor; routing gave them part of the backlog.
        expectScreen("the person's own queue with work in it") {
            $0.contains("Queue: mine") && $0.contains("\(me) (available)") && (statusCount("mine", in: $0) ?? 0) > 0
        }
        // Waits follow the demo clock: the backlog waited hours of demo time (at speed 600 that
        // is seconds of real time, which the status bar used to show).
        expectScreen("the oldest wait in demo hours") { screen in
            guard let range = screen.range(of: "│ oldest ") else { return false }
            let value = screen[range.upperBound...].prefix { !$0.isWhitespace }
            return value.hasSuffix("h") || value.hasSuffix("d")
        }
        // All open conversations: the teammates hold most of them.
        tmux.send(":")
        tmux.type("view open")
        tmux.send("Enter")
        expectScreen("teammates own conversations in the open view") { screen in
            screen.contains("Queue: open") && ["dana", "kenji", "lucia", "sam"].filter { screen.contains($0) }.count >= 2
        }
        // And they answer and close them: the resolved view fills.
        tmux.send(":")
        tmux.type("view resolved")
        tmux.send("Enter")
        expectScreen("conversations the teammates resolved") { screen in
            screen.contains("Queue: resolved") && ["dana", "kenji", "lucia", "sam"].contains { screen.contains($0) }
        }
        // New customers keep writing: the status bar's counts move.
        let before = tmux.capture()
        expectScreen("the status bar changes as work arrives and leaves") { screen in
            let line = { (text: String) in text.split(separator: "\n").last { $0.contains("│ mine ") }.map(String.init) ?? "" }
            return !line(screen).isEmpty && line(screen) != line(before)
        }

        // And their answers go out once the five-second undo window has passed.
        func sentByTeammates() throws -> Int {
            try CLITest.database(database).read { db in
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM reply JOIN responder ON responder.id = reply.author_id
                    WHERE reply.state = 'sent' AND responder.login IN ('dana', 'kenji', 'lucia', 'sam')
                    """) ?? 0
            }
        }
        let answered = Date().addingTimeInterval(30)
        while try sentByTeammates() == 0 && Date() < answered { usleep(200_000) }
        #expect(try sentByTeammates() > 0, "teammates' replies are delivered while the demo runs")

        tmux.send("q")
        let deadline = Date().addingTimeInterval(10)
        while tmux.isRunning && Date() < deadline {
            usleep(100_000)
            if tmux.isRunning { tmux.send("q") }
        }
        #expect(!tmux.isRunning, "q quits the demo")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.file("tmp")).filter { $0.hasPrefix("earshot-demo-") }
        #expect(leftovers.isEmpty, "the demo's temporary files are removed: \(leftovers)")
        // --db keeps the database: what the screen showed is in it.
        #expect(try CLITest.database(database).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM mention") ?? 0 } > 20)
    }
}
