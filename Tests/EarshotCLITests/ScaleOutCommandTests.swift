import EarshotCore
import EarshotPlatformStubs
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// Two real `earshot serve` processes on different sockets sharing one PostgreSQL database, with a
/// live Mastodon account against a stub: one daemon reads and posts for the account; when it is
/// killed with SIGKILL mid-post, the other takes the account over and delivers the reply it left
/// in flight, with nothing lost and nothing posted twice.
@Suite(.serialized, .enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"))
struct ScaleOutCommandTests {
    @Test func killingOneDaemonHandsItsAccountAndItsReplyInFlightToTheOther() throws {
        let stub = MastodonStub()
        try stub.start()
        defer { stub.stop() }
        let home = try TemporaryDirectory("earshot-scale-out")
        let url = try TestPostgres.freshDatabaseURL("scaleout")
        let binary = try BuiltProducts.executable("earshot")
        try "stub-token".write(toFile: home.file("acme.token"), atomically: true, encoding: .utf8)
        chmod(home.file("acme.token"), 0o600)
        try """
            store = "\(url)"

            [assignment]
            routing = "manual"

            [delivery]
            undo_seconds = 0
            retry_base_seconds = 1

            [[account]]
            name = "acme-mastodon"
            platform = "mastodon"
            url = "\(stub.baseURL)"
            token_file = "\(home.file("acme.token"))"
            streaming = false
            poll_seconds = 5
            """.write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
        func environment(_ socket: String?) -> [String: String] {
            var environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_CONFIG": home.file("config.toml")]
            environment["EARSHOT_SOCKET"] = socket
            return environment
        }
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "offline"], environment: environment(nil))
        #expect(add.status == 0, "\(add.stderr)")
        let store = try PostgresInboxStore(location: PostgresLocation(url: url), listen: false)
        func counts() throws -> StoreCounts { try store.read { try $0.counts() } }

        let (socketA, socketB) = (home.file("a.sock"), home.file("b.sock"))
        let first = try CLITest.startDaemon(binary, ["--tick", "0.2"], environment: environment(socketA), socket: socketA)
        var firstAlive = true
        defer { if firstAlive { first.terminate(); first.waitUntilExit() } }
        let asked = stub.mention(from: "kim@social.example", text: "where is my order?")
        try CLITest.waitFor { try counts().mentions == 1 }
        // The second daemon starts while the first holds the account: it must not read it too.
        let second = try CLITest.startDaemon(binary, ["--tick", "0.2"], environment: environment(socketB), socket: socketB)
        defer { second.terminate(); second.waitUntilExit() }
        let verifications = { stub.requests.filter { $0.target.hasPrefix("/api/v1/accounts/verify_credentials") }.count }
        usleep(1_500_000)
        #expect(verifications() == 1, "one daemon runs the account")
        let standby = try runProcess(binary, ["account", "list"], environment: environment(socketB))
        #expect(standby.stdout.contains("acme-mastodon\tmastodon\t-\tstandby (another daemon reads it)"), "\(standby.stdout)")

        let conversation = try #require(try store.read { try $0.mention(platform: .mastodon, externalID: asked) }?.conversationID)
        #expect(try runProcess(binary, ["claim", String(conversation.rawValue)], environment: environment(socketA)).status == 0)
        // The platform makes the status, and the first daemon dies before it hears back.
        stub.holdPostAnswers(30)
        let sent = try runProcess(binary, ["reply", String(conversation.rawValue), "@kim@social.example it ships today"],
                                  environment: environment(socketA))
        #expect(sent.status == 0, "\(sent.stderr)")
        try CLITest.waitFor { stub.posted.count == 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        firstAlive = false
        stub.holdPostAnswers(0)
        let killed = Date()

        // The second daemon takes the account over and reads what came meanwhile…
        stub.mention(from: "lee@social.example", text: "hello?")
        try CLITest.waitFor(timeout: 30) { try counts().mentions == 2 }
        #expect(Date().timeIntervalSince(killed) < 30, "taken over within 30 s")
        // …and delivers the reply the first left in flight, once.
        try CLITest.waitFor(timeout: 40) { try store.read { try $0.replies(in: conversation) }.first?.state == .sent }
        let posts = stub.posted
        #expect(posts.filter { !$0.repeated }.count == 1, "one status on the platform")
        #expect(Set(posts.map(\.idempotencyKey)).count == 1)
        #expect(try counts().mentions == 2)
        #expect(try store.read { try $0.mentions(in: conversation) }.count == 1, "nothing read twice")
        store.close()
    }
}
