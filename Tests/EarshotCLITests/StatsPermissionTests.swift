import EarshotTestSupport
import Foundation
import Testing

/// `earshot stats` per responder is a supervisor's right (docs/supervisor-guide.md): an agent
/// sees their own row and the team's total, in single-user mode and through the daemon.
@Suite(.serialized) struct StatsPermissionTests {
    /// A history answered by a brand agent (@AcmeSupport^JK, from the export), and a second
    /// customer whom the agent under test claims and resolves, so the agent has a row too.
    static let history = """
        tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
        1,AcmeSupport,False,Tue Oct 31 22:14:00 +0000 2017,@100001 On it ^JK,,2
        2,100001,True,Tue Oct 31 22:10:47 +0000 2017,@AcmeSupport where is my order?,1,
        3,100002,True,Tue Oct 31 23:00:00 +0000 2017,@AcmeSupport my parcel is late,,
        """

    /// Row keys and the total's reply count of a `--format json` report.
    static func rows(_ result: ProcessResult) throws -> (keys: [String], totalReplies: Int) {
        #expect(result.status == 0, "\(result.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(root["rows"] as? [[String: Any]])
        let total = try #require(root["total"] as? [String: Any])
        return (rows.compactMap { $0["key"] as? String }, (total["replies"] as? Int) ?? -1)
    }

    @Test func inSingleUserModeAnAgentSeesOnlyTheirOwnRowAndTheTotal() throws {
        let home = try TemporaryDirectory("earshot-stats-rights")
        let binary = try BuiltProducts.executable("earshot")
        let owner = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
                     "XDG_RUNTIME_DIR": home.path]
        func run(as login: String?, _ arguments: String...) throws -> ProcessResult {
            var environment = owner
            environment["EARSHOT_LOGIN"] = login
            return try runProcess(binary, arguments, environment: environment)
        }
        try Self.history.write(toFile: home.file("history.csv"), atomically: true, encoding: .utf8)
        #expect(try run(as: nil, "ingest", home.file("history.csv")).status == 0)
        #expect(try run(as: nil, "responder", "add", "boss", "--name", "Boss", "--initials", "BO", "--role", "supervisor").status == 0)
        #expect(try run(as: nil, "responder", "add", "lee", "--name", "Lee", "--initials", "LN").status == 0)
        #expect(try run(as: "lee", "claim", "2").status == 0)
        #expect(try run(as: "lee", "resolve", "2").status == 0)

        let supervisor = try Self.rows(run(as: "boss", "stats", "--format", "json"))
        #expect(supervisor.keys == ["@AcmeSupport^JK", "lee"])
        let agent = try Self.rows(run(as: "lee", "stats", "--format", "json"))
        #expect(agent.keys == ["lee"], "an agent gets their own row, not @AcmeSupport^JK's")
        #expect(agent.totalReplies == supervisor.totalReplies && agent.totalReplies == 1, "and the team's total")
        let table = try run(as: "lee", "stats")
        #expect(!table.stdout.contains("@AcmeSupport^JK"), "\(table.stdout)")
        #expect(table.stdout.split(separator: "\n").contains { $0.hasPrefix("lee ") })
        // Channels are team figures, the same for everyone.
        #expect(try Self.rows(run(as: "lee", "stats", "--by", "channel", "--format", "json")).keys == ["AcmeSupport"])
    }

    @Test(.enabled(if: UnixAccountTests.isRoot, "needs root to create Unix accounts (CI runs as root)"))
    func throughTheDaemonTheRuleFollowsTheKernelsIdentity() throws {
        let tag = String(getpid() % 100_000)
        let (agent, boss) = ("esagt\(tag)", "esbos\(tag)")
        let root = try TemporaryDirectory("earshot-stats-accounts")
        chmod(root.path, 0o755)
        defer { for user in [agent, boss] { _ = try? runProcess("/usr/sbin/userdel", [user]) } }
        for user in [agent, boss] {
            #expect(try runProcess("/usr/sbin/useradd", ["-M", "-N", "-s", "/bin/sh", user]).status == 0)
        }
        let binary = root.file("earshot")
        #expect(try runProcess("/bin/cp", [try BuiltProducts.executable("earshot"), binary]).status == 0)
        chmod(binary, 0o755)
        let database = root.file("earshot.sqlite")
        let socket = root.file("earshot.sock")
        // Set up in single-user mode (the daemon is started with --socket below).
        let adminEnvironment = ["HOME": root.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database, "XDG_RUNTIME_DIR": root.path]
        func admin(_ arguments: String...) throws -> ProcessResult { try runProcess(binary, arguments, environment: adminEnvironment) }
        try Self.history.write(toFile: root.file("history.csv"), atomically: true, encoding: .utf8)
        #expect(try admin("ingest", root.file("history.csv")).status == 0)
        #expect(try admin("responder", "add", boss, "--name", "Boss", "--initials", "BO", "--role", "supervisor").status == 0)
        #expect(try admin("responder", "add", agent, "--name", "Agent", "--initials", "AG").status == 0)
        let daemon = try CLITest.startDaemon(binary, ["--socket", socket, "--tick", "60"], environment: adminEnvironment, socket: socket)
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        chmod(socket, 0o666)  // these two accounts are not in a staff group: let them connect
        // The agent claims to be the supervisor; the daemon takes the kernel's word.
        func run(as user: String, _ arguments: String...) throws -> ProcessResult {
            try runProcess("/usr/sbin/runuser", ["-u", user, "--", "/usr/bin/env", "HOME=\(root.path)", "PATH=/usr/bin:/bin",
                                                 "EARSHOT_LOGIN=\(boss)", binary] + arguments + ["--socket", socket])
        }
        #expect(try run(as: agent, "claim", "2").status == 0)
        #expect(try run(as: agent, "resolve", "2").status == 0)
        #expect(try Self.rows(run(as: boss, "stats", "--format", "json")).keys == ["@AcmeSupport^JK", agent])
        let mine = try Self.rows(run(as: agent, "stats", "--format", "json"))
        #expect(mine.keys == [agent])
        #expect(mine.totalReplies == 1)
    }
}
