import EarshotTestSupport
import Foundation
import Testing

/// Identity and permissions with real Unix accounts created by the test: the daemon reads
/// each client's uid from the kernel. Needs root (CI runs as root); skipped otherwise.
@Suite(.serialized) struct UnixAccountTests {
    static let isRoot = getuid() == 0
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
        && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")

    @Test(.enabled(if: isRoot, "needs root to create Unix accounts (CI runs as root)"))
    func staffSupervisorsStrangersAndOutsiders() throws {
        let tag = String(getpid() % 100_000)
        let group = "esstaff\(tag)"
        let (dana, boss, stranger, outsider) = ("esdana\(tag)", "esboss\(tag)", "esstr\(tag)", "esout\(tag)")
        let root = try TemporaryDirectory("earshot-accounts")
        chmod(root.path, 0o755)
        defer {
            for user in [dana, boss, stranger, outsider] { _ = try? runProcess("/usr/sbin/userdel", [user]) }
            _ = try? runProcess("/usr/sbin/groupdel", [group])
        }
        #expect(try runProcess("/usr/sbin/groupadd", [group]).status == 0)
        for user in [dana, boss, stranger] {
            #expect(try runProcess("/usr/sbin/useradd", ["-M", "-N", "-s", "/bin/sh", "-G", group, user]).status == 0)
        }
        #expect(try runProcess("/usr/sbin/useradd", ["-M", "-N", "-s", "/bin/sh", outsider]).status == 0)

        // The binary where every account can read it.
        // Copied by cp, not in this process: a write descriptor open here would be inherited by
        // children other tests spawn meanwhile, and exec of the copy would fail with ETXTBSY.
        let binary = root.file("earshot")
        #expect(try runProcess("/bin/cp", [try BuiltProducts.executable("earshot"), binary]).status == 0)
        chmod(binary, 0o755)
        // The service side, as root: a private database, a socket directory for the staff group
        // (setgid, so the socket belongs to the group), as docs/admin.md sets up.
        let database = root.file("earshot.sqlite")
        let runDirectory = root.file("run")
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: false)
        #expect(try runProcess("/bin/chgrp", [group, runDirectory]).status == 0)
        chmod(runDirectory, 0o2750)
        let socket = runDirectory + "/earshot.sock"
        let adminEnvironment = ["HOME": root.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database]
        func admin(_ arguments: String...) throws -> ProcessResult { try runProcess(binary, arguments, environment: adminEnvironment) }
        #expect(try admin("responder", "add", boss, "--name", "Boss", "--initials", "BO", "--role", "supervisor").status == 0)
        #expect(try admin("responder", "add", dana, "--name", "Dana", "--initials", "DA", "--availability", "available").status == 0)
        try (1...2).map { #"{"platform":"x","external_id":"\#($0)","channel":"Acme","author":"c\#($0)","text":"help?","created_at":"2024-01-15T12:00:00Z"}"# }
            .joined(separator: "\n").write(toFile: root.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try admin("ingest", root.file("feed.jsonl")).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: database)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--socket", socket, "--tick", "60"]
        daemon.environment = adminEnvironment
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            daemon.terminate()
            daemon.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socket) && Date() < deadline { usleep(20_000) }

        func run(as user: String, _ arguments: String..., extra: [String: String] = [:]) throws -> ProcessResult {
            var command = ["-u", user, "--", "/usr/bin/env", "HOME=\(root.path)", "PATH=/usr/bin:/bin"]
            command += extra.map { "\($0.key)=\($0.value)" }
            return try runProcess("/usr/sbin/runuser", command + [binary] + arguments + ["--socket", socket])
        }

        // A staff member acts as themselves, whatever they claim to be.
        let claim = try run(as: dana, "claim", "1", extra: ["EARSHOT_LOGIN": boss])
        #expect(claim.status == 0, "\(claim.stderr)")
        #expect(claim.stdout == "conversation 1: open, assigned to \(dana)\n")
        let assign = try run(as: dana, "assign", "2", boss, extra: ["EARSHOT_LOGIN": boss])
        #expect(assign.status == 1)
        #expect(assign.stderr.contains("assigning or reassigning others' conversations is for supervisors"))
        // The supervisor may; the check happened in the daemon.
        let supervisor = try run(as: boss, "assign", "2", dana)
        #expect(supervisor.status == 0, "\(supervisor.stderr)")
        #expect(supervisor.stdout == "conversation 2: open, assigned to \(dana)\n")
        // In the staff group but not a responder: told how to get added.
        let strangerResult = try run(as: stranger, "claim", "1")
        #expect(strangerResult.status == 1)
        #expect(strangerResult.stderr.contains("\(stranger) is not a responder; ask a supervisor to run `earshot responder add \(stranger)"))
        // Managing the team goes through the daemon too: supervisors only.
        let agentAdds = try run(as: dana, "responder", "add", stranger, "--name", "Str", "--initials", "ST")
        #expect(agentAdds.stderr.contains("adding responders is for supervisors"))
        let supervisorAdds = try run(as: boss, "responder", "add", stranger, "--name", "Str", "--initials", "ST", "--availability", "available")
        #expect(supervisorAdds.status == 0, "\(supervisorAdds.stderr)")
        let list = try run(as: stranger, "responder", "list")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix(stranger + " ") && $0.contains("^ST  agent") })
        // Outside the group: cannot reach the socket at all.
        let outsiderResult = try run(as: outsider, "claim", "1")
        #expect(outsiderResult.status == 1)
        #expect(outsiderResult.stderr.contains("permission denied on \(socket)"))
        // Nor read the database directly.
        #expect(access(database, R_OK) == 0)
        let direct = try runProcess("/usr/sbin/runuser", ["-u", outsider, "--", "/usr/bin/test", "-r", database])
        #expect(direct.status != 0)
    }
}
