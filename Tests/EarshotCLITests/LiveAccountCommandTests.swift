import EarshotPlatformStubs
import EarshotTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

/// A home for the real daemon with one live account: its own database, config and socket,
/// and this Unix user as a supervisor.
struct LiveDaemonHome {
    let home: TemporaryDirectory
    let binary: String
    var socket: String { home.file("earshot.sock") }
    var database: String { home.file("inbox.sqlite") }
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database,
         "EARSHOT_CONFIG": home.file("config.toml"), "EARSHOT_SOCKET": socket]
    }

    init(_ prefix: String) throws {
        home = try TemporaryDirectory(prefix)
        binary = try BuiltProducts.executable("earshot")
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        var setup = environment
        setup["EARSHOT_SOCKET"] = nil
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "offline"], environment: setup)
        #expect(add.status == 0, "\(add.stderr)")
    }

    /// Writes a secret file (mode 0600) and a config with manual routing, no undo window and `account`.
    func configure(secret name: String, _ value: String, account: String) throws {
        try value.write(toFile: home.file(name), atomically: true, encoding: .utf8)
        chmod(home.file(name), 0o600)
        try """
            [assignment]
            routing = "manual"

            [delivery]
            undo_seconds = 0
            retry_base_seconds = 1

            [[account]]
            \(account)
            """.write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
    }

    func startDaemon() throws -> Process {
        try CLITest.startDaemon(binary, ["--tick", "0.2"], environment: environment, socket: socket)
    }

    func count(_ sql: String) throws -> Int { try CLITest.count(sql, in: database) }

    func run(_ arguments: [String]) throws -> ProcessResult { try runProcess(binary, arguments, environment: environment) }
}

/// The real daemon with a live Mastodon account pointed at a stub on loopback: killed with
/// SIGKILL mid-page and mid-post, and a rejected token as `earshot account list` shows it.
@Suite(.serialized) struct LiveAccountCommandTests {
    let live: LiveDaemonHome
    var binary: String { live.binary }
    var environment: [String: String] { live.environment }
    var database: String { live.database }
    var home: TemporaryDirectory { live.home }

    init() throws { live = try LiveDaemonHome("earshot-live-cli") }

    func configure(_ stub: MastodonStub, token: String = "stub-token", streaming: Bool = false) throws {
        try live.configure(secret: "acme.token", token, account: """
            name = "acme-mastodon"
            platform = "mastodon"
            url = "\(stub.baseURL)"
            token_file = "\(home.file("acme.token"))"
            streaming = \(streaming)
            poll_seconds = 5
            """)
    }

    func startDaemon() throws -> Process { try live.startDaemon() }

    func count(_ sql: String) throws -> Int { try live.count(sql) }

    @Test func aDaemonKilledMidPageResumesFromItsCursorWithNothingLostOrDoubled() throws {
        let stub = MastodonStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        stub.mention(from: "first@social.example", text: "hello?")
        let first = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM account_cursor") == 1 }
        // 500 more; the sixth page forward hangs, and the daemon is killed while it waits.
        let before = stub.requests.count
        stub.addFault(.init(path: "/api/v1/notifications", after: 5, response: .silence(seconds: 5)))
        for index in 1...500 { stub.mention(from: "c\(index)@social.example", text: "order \(index) is late") }
        try CLITest.waitFor { stub.requests.dropFirst(before).filter { $0.target.contains("min_id=") }.count >= 6 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let stored = try count("SELECT count(*) FROM mention")
        #expect(stored > 1 && stored < 501, "killed mid-backlog: \(stored) stored")
        let cursor = try #require(try CLITest.database(database).read { try String.fetchOne($0, sql: "SELECT cursor FROM account_cursor") })

        let restarted = Date()
        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 501 }
        #expect(try count("SELECT count(DISTINCT external_id) FROM mention") == 501)
        #expect(try count("SELECT count(*) FROM conversation") == 501)
        // The restarted daemon read on from the stored cursor, not from the start.
        let resumed = try #require(stub.requests.first { $0.at > restarted && $0.target.contains("/api/v1/notifications") })
        #expect(resumed.target.contains("min_id=\(cursor)"))
    }

    @Test func aReplyIsPostedOnceEvenWhenTheDaemonIsKilledAfterThePost() throws {
        let stub = MastodonStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        let asked = stub.mention(from: "kim@social.example", text: "where is my order?")
        let first = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 1 }
        let conversation = try count("SELECT conversation_id FROM mention")
        #expect(try runProcess(binary, ["claim", String(conversation)], environment: environment).status == 0)
        // The platform makes the status, and the daemon dies before it hears back.
        stub.holdPostAnswers(30)
        let sent = try runProcess(binary, ["reply", String(conversation), "@kim@social.example", "it ships today"], environment: environment)
        #expect(sent.status == 0, "\(sent.stderr)")
        try CLITest.waitFor { stub.posted.count == 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        stub.holdPostAnswers(0)

        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 1 }
        let posts = stub.posted
        #expect(posts.filter { !$0.repeated }.count == 1, "one status on the platform")
        #expect(posts.count >= 2 && Set(posts.map(\.idempotencyKey)).count == 1)
        #expect(posts.allSatisfy { $0.form["in_reply_to_id"] == asked })
        #expect(try CLITest.database(database).read { try String.fetchOne($0, sql: "SELECT platform_id FROM reply") } == posts[0].statusID)
    }

    @Test func aRejectedTokenShowsInAccountListAndCheckSaysWhy() throws {
        let stub = MastodonStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub, token: "not-the-token")
        let check = try runProcess(binary, ["account", "check", "acme-mastodon"], environment: environment)
        #expect(check.status != 0)
        #expect(check.stderr.contains("The access token is invalid (HTTP 401)"), "\(check.stderr)")
        #expect(!check.stderr.contains("not-the-token"))

        let daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        var listed = ""
        try CLITest.waitFor {
            listed = try runProcess(binary, ["account", "list"], environment: environment).stdout
            return listed.contains("token rejected since")
        }
        #expect(listed.contains("acme-mastodon\tmastodon\t-\ttoken rejected since"))
        #expect(listed.contains("The access token is invalid (HTTP 401)"))

        try configure(stub)
        let good = try runProcess(binary, ["account", "check", "acme-mastodon"], environment: environment)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout == "acme-mastodon: @acme@127.0.0.1 on \(stub.baseURL)\nscopes: read:notifications read:statuses write:statuses\n")
    }
}

/// The real daemon with a live Bluesky account against a stub PDS, killed with SIGKILL mid-backlog
/// and between a post and its record.
@Suite(.serialized) struct BlueskyAccountCommandTests {
    let live: LiveDaemonHome
    var binary: String { live.binary }
    var environment: [String: String] { live.environment }
    var database: String { live.database }
    var home: TemporaryDirectory { live.home }

    init() throws { live = try LiveDaemonHome("earshot-bluesky-cli") }

    func configure(_ stub: BlueskyStub) throws {
        try live.configure(secret: "acme.password", stub.password, account: """
            name = "acme-bluesky"
            platform = "bluesky"
            url = "\(stub.baseURL)"
            handle = "\(stub.handle)"
            password_file = "\(home.file("acme.password"))"
            poll_seconds = 5
            """)
    }

    func startDaemon() throws -> Process { try live.startDaemon() }

    func count(_ sql: String) throws -> Int { try live.count(sql) }

    @Test func aDaemonKilledMidBacklogLosesAndDoublesNothingAndLogsInOnce() throws {
        let stub = BlueskyStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        stub.mention(from: "first.bsky.social", text: "@acme.bsky.social hello?")
        let first = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM account_cursor") == 1 }
        for index in 1...150 { stub.mention(from: "c\(index).bsky.social", text: "@acme.bsky.social order \(index) is late") }
        // Killed while it pages back through them: the second page of the walk answers late.
        let slowed = LogLines()
        stub.afterEachPage { _ in
            if slowed.all.isEmpty, stub.requests.last?.target.contains("cursor=") == true {
                slowed.append("held")
                Thread.sleep(forTimeInterval: 5)
            }
        }
        try CLITest.waitFor { !slowed.all.isEmpty }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try count("SELECT count(*) FROM mention") == 1, "a walk stores all it read at its end, or nothing")

        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 151 }
        #expect(try count("SELECT count(DISTINCT external_id) FROM mention") == 151)
        #expect(stub.logins == 1, "the restarted daemon reused the kept session")
    }

    @Test func aReplyIsPostedOnceEvenWhenTheDaemonIsKilledBetweenThePostAndItsRecord() throws {
        let stub = BlueskyStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        let asked = stub.mention(from: "kim.bsky.social", text: "@acme.bsky.social where is my order?")
        let first = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 1 }
        let conversation = try count("SELECT conversation_id FROM mention")
        #expect(try runProcess(binary, ["claim", String(conversation)], environment: environment).status == 0)
        stub.holdPostAnswers(30)
        let sent = try runProcess(binary, ["reply", String(conversation), "it ships today"], environment: environment)
        #expect(sent.status == 0, "\(sent.stderr)")
        try CLITest.waitFor { stub.created.count == 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        stub.holdPostAnswers(0)

        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 1 }
        let attempts = stub.created
        #expect(attempts.filter { !$0.refused }.count == 1, "one post on the PDS")
        #expect(attempts.count >= 2 && Set(attempts.map(\.rkey)).count == 1)
        let parent = try #require(try JSONSerialization.jsonObject(with: Data(attempts[0].json.utf8)) as? [String: Any])
        #expect(((parent["record"] as? [String: Any])?["reply"] as? [String: [String: String]])?["parent"]?["uri"] == asked)
        #expect(try CLITest.database(database).read { try String.fetchOne($0, sql: "SELECT platform_id FROM reply") } == attempts[0].uri)
    }
}

/// Lines a stub hook notes, read by the test.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// The real daemon with a live X account against a stub API, killed with SIGKILL mid-backlog
/// and between a post and its record.
@Suite(.serialized) struct XAccountCommandTests {
    let live: LiveDaemonHome
    var binary: String { live.binary }
    var environment: [String: String] { live.environment }
    var database: String { live.database }
    var home: TemporaryDirectory { live.home }

    init() throws { live = try LiveDaemonHome("earshot-x-cli") }

    func configure(_ stub: XStub) throws {
        try live.configure(secret: "acme-x.json", stub.oauth2Credentials, account: """
            name = "acme-x"
            platform = "x"
            url = "\(stub.baseURL)"
            credentials_file = "\(home.file("acme-x.json"))"
            poll_seconds = 5
            monthly_read_budget = 10000
            """)
    }

    func startDaemon() throws -> Process { try live.startDaemon() }

    func count(_ sql: String) throws -> Int { try live.count(sql) }

    @Test func aDaemonKilledMidBacklogResumesFromSinceIDWithNothingLostOrDoubled() throws {
        let stub = XStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        let first = stub.mention(from: "kim", text: "@AcmeSupport hello?")
        let daemon = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM account_cursor") == 1 }
        // The walk's second page answers late; the daemon is killed while it waits.
        stub.holdNextPage(5)
        for index in 1...250 { stub.mention(from: "c\(index)", text: "@AcmeSupport order \(index) is late") }
        try CLITest.waitFor { stub.requests.contains { $0.target.contains("pagination_token=") } }
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        #expect(try count("SELECT count(*) FROM mention") == 1, "nothing of an unfinished walk is stored")
        #expect(try CLITest.database(database).read { try String.fetchOne($0, sql: "SELECT cursor FROM account_cursor") } == first,
                "since_id has not moved")

        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 251 }
        #expect(try count("SELECT count(DISTINCT external_id) FROM mention") == 251)
        let listed = try runProcess(binary, ["account", "list"], environment: environment).stdout
        #expect(listed.contains("of 10000 posts read this month"), "\(listed)")
    }

    @Test func aReplyIsPostedOnceEvenWhenTheDaemonIsKilledBetweenThePostAndItsRecord() throws {
        let stub = XStub()
        try stub.start()
        defer { stub.stop() }
        try configure(stub)
        let asked = stub.mention(from: "kim", text: "@AcmeSupport where is my order?")
        let first = try startDaemon()
        try CLITest.waitFor { try count("SELECT count(*) FROM mention") == 1 }
        let conversation = try count("SELECT conversation_id FROM mention")
        #expect(try runProcess(binary, ["claim", String(conversation)], environment: environment).status == 0)
        stub.holdPostAnswers(30)
        #expect(try runProcess(binary, ["reply", String(conversation), "it ships today"], environment: environment).status == 0)
        try CLITest.waitFor { stub.posted.count == 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        stub.holdPostAnswers(0)

        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor { try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 1 }
        let posts = stub.posted
        #expect(posts.filter { !$0.refused }.count == 1, "one post on X")
        #expect(posts.allSatisfy { $0.inReplyTo == asked })
        #expect(try CLITest.database(database).read { try String.fetchOne($0, sql: "SELECT platform_id FROM reply") } == posts[0].id)
    }
}
