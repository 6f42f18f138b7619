import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// The assignment verbs of the real binary, as a team would use them in single-user mode
/// (identity from `EARSHOT_LOGIN`; the daemon will take it from the kernel instead).
@Suite struct AssignmentCommandTests {
    let home: TemporaryDirectory
    let binary: String

    init() throws {
        home = try TemporaryDirectory("earshot-assign-cli")
        binary = try BuiltProducts.executable("earshot")
        try FileManager.default.createDirectory(atPath: home.path + "/.config/earshot", withIntermediateDirectories: true)
        try "[assignment]\nrouting = \"manual\"\n".write(toFile: home.path + "/.config/earshot/config.toml", atomically: true, encoding: .utf8)
    }

    func earshot(_ arguments: String..., as login: String = "lead") throws -> ProcessResult {
        try runProcess(binary, arguments, environment: [
            "HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"), "EARSHOT_LOGIN": login,
        ])
    }

    func seed(_ count: Int) throws {
        let lines = (1...count).map { index in
            #"{"platform":"x","external_id":"\#(index)","channel":"AcmeSupport","author":"customer\#(index)","text":"where is order \#(index)?","created_at":"2024-01-15T12:0\#(index % 10):00Z"}"#
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try earshot("ingest", home.file("feed.jsonl")).status == 0)
    }

    @Test func aTeamClaimsAssignsReleasesSnoozesAndResolves() throws {
        #expect(try earshot("responder", "add", "lead", "--name", "Lee Ad", "--initials", "LA", "--role", "supervisor",
                            "--availability", "available").status == 0)
        let add = try earshot("responder", "add", "dana", "--name", "Dana Kim", "--initials", "dk", "--capacity", "2",
                              "--availability", "available")
        #expect(add.stdout == "added dana (Dana Kim, ^DK, agent, capacity 2, available)\n")
        #expect(try earshot("responder", "add", "eli", "--name", "Eli", "--initials", "EL", as: "dana").stderr
            .contains("adding responders is for supervisors"))
        #expect(try earshot("responder", "add", "eli", "--name", "Eli", "--initials", "EL", "--availability", "available").status == 0)
        try seed(4)

        let claim = try earshot("claim", "1", as: "dana")
        #expect(claim.status == 0)
        #expect(claim.stdout == "conversation 1: open, assigned to dana\n")
        let second = try earshot("claim", "#1", as: "eli")
        #expect(second.status == 1)
        #expect(second.stderr.contains("conversation 1 is already claimed by Dana Kim (dana)"))

        #expect(try earshot("assign", "2", "eli", as: "dana").stderr.contains("is for supervisors"))
        #expect(try earshot("assign", "2", "eli").stdout == "conversation 2: open, assigned to eli\n")
        #expect(try earshot("release", "2", as: "dana").stderr.contains("belongs to Eli (eli)"))
        #expect(try earshot("release", "2", as: "eli").stdout == "conversation 2: open, unassigned\n")

        let snooze = try earshot("snooze", "3", "--until", "2h", as: "dana")
        #expect(snooze.status == 0)
        #expect(snooze.stdout.hasPrefix("conversation 3: snoozed until "))
        #expect(try earshot("priority", "4", "urgent", as: "eli").stdout == "conversation 4: open, unassigned, urgent priority\n")
        #expect(try earshot("label", "4", "+billing", "+vip", as: "eli").stdout.contains("labels billing,vip"))
        #expect(try earshot("note", "1", "customer", "called", "twice", as: "dana").stdout.hasPrefix("note 1 added to conversation 1"))
        #expect(try earshot("resolve", "1", as: "dana").stdout == "conversation 1: resolved, assigned to dana\n")

        // A manual routing pass hands out the backlog: urgent first.
        let route = try earshot("route")
        #expect(route.status == 0)
        #expect(route.stdout.hasPrefix("conversation 4 -> "))
        #expect(route.stdout.hasSuffix("2 assigned\n"))

        let list = try earshot("responder", "list")
        #expect(list.stdout.contains("dana   Dana Kim  ^DK  agent       available     1/2"))
        let queue = try earshot("queue", "--view", "snoozed")
        #expect(queue.stdout.hasPrefix("3\tsnoozed\tnormal\tquestion\t@customer3\t-\twhere is order 3?"))
        #expect(try earshot("claim", "99").stderr.contains("no conversation 99"))
        #expect(try earshot("claim", "1", as: "stranger").stderr.contains("stranger is not a responder; ask a supervisor to run `earshot responder add stranger"))
    }

    @Test func twoProcessesClaimingAtOnceHaveExactlyOneWinner() throws {
        #expect(try earshot("responder", "add", "lead", "--name", "Lead", "--initials", "LE", "--role", "supervisor").status == 0)
        for login in ["ann", "bob"] {
            #expect(try earshot("responder", "add", login, "--name", login, "--initials", "XX", "--availability", "available").status == 0)
        }
        try seed(6)
        for id in 1...6 {
            let processes = try ["ann", "bob"].map { login -> (Process, Pipe) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["claim", String(id)]
                process.environment = [
                    "HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"), "EARSHOT_LOGIN": login,
                ]
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                return (process, errors)
            }
            for (process, _) in processes { try process.run() }
            for (process, _) in processes { process.waitUntilExit() }
            let statuses = processes.map(\.0.terminationStatus).sorted()
            #expect(statuses == [0, 1], "conversation \(id): exit statuses \(statuses)")
            let loser = try #require(processes.first { $0.0.terminationStatus == 1 })
            let message = String(decoding: loser.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(message.contains("conversation \(id) is already claimed by"))
            let queue = try CLITest.database(home.file("inbox.sqlite"))
            let claims = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM event WHERE kind = 'claimed' AND conversation_id = ?", arguments: [id]) }
            #expect(claims == 1)
        }
    }

    @Test func badConfigurationIsReportedWithFileAndLine() throws {
        try "[assignment]\nrouting = \"fastest\"\n".write(toFile: home.path + "/.config/earshot/config.toml", atomically: true, encoding: .utf8)
        let result = try earshot("route")
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(home.path)/.config/earshot/config.toml:2: assignment.routing must be one of round_robin, balanced, manual"))
        try "[assignment]\nrouting = \"balanced\"\nstickey = true\n".write(toFile: home.path + "/.config/earshot/config.toml", atomically: true, encoding: .utf8)
        #expect(try earshot("route").stderr.contains("config.toml:3: unknown key stickey in [assignment]; known: anyone_can_assign, idle_away_minutes, on_offline, return_to_queue_minutes, routing, sticky"))
    }
}
