import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// The personal socket folder `/tmp/earshot-UID` can be made by anyone first. With two real
/// Unix accounts: B makes A's folder and runs a daemon in it; A's commands refuse to talk to
/// it and A's `earshot serve` refuses to bind in it. Needs root (CI runs as root).
@Suite(.serialized) struct SocketFolderTests {
    @Test(.enabled(if: UnixAccountTests.isRoot, "needs root to create Unix accounts (CI runs as root)"))
    func anotherUsersFolderInTmpIsRefusedByClientAndServer() throws {
        let tag = String(getpid() % 100_000)
        let (alice, mallory) = ("esfa\(tag)", "esfm\(tag)")
        let root = try TemporaryDirectory("earshot-folders")
        chmod(root.path, 0o755)
        defer { for user in [alice, mallory] { _ = try? runProcess("/usr/sbin/userdel", [user]) } }
        for user in [alice, mallory] {
            #expect(try runProcess("/usr/sbin/useradd", ["-M", "-N", "-s", "/bin/sh", user]).status == 0)
        }
        let uid = try #require(getpwnam(alice)?.pointee.pw_uid)
        let folder = "/tmp/earshot-\(uid)"
        try? FileManager.default.removeItem(atPath: folder)  // a leftover of an earlier account with this uid
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The binary and a feed where both can read them; a home each (copied by cp: see UnixAccountTests).
        let binary = root.file("earshot")
        #expect(try runProcess("/bin/cp", [try BuiltProducts.executable("earshot"), binary]).status == 0)
        chmod(binary, 0o755)
        try DaemonCommandTests.feed(0..<2).write(toFile: root.file("feed.jsonl"), atomically: true, encoding: .utf8)
        chmod(root.file("feed.jsonl"), 0o644)
        for user in [alice, mallory] {
            try FileManager.default.createDirectory(atPath: root.file(user), withIntermediateDirectories: false)
            #expect(try runProcess("/bin/chown", [user, root.file(user)]).status == 0)
            chmod(root.file(user), 0o700)
        }
        func run(as user: String, _ arguments: [String]) throws -> ProcessResult {
            let environment = ["HOME=\(root.file(user))", "PATH=/usr/bin:/bin", "EARSHOT_DB=\(root.file(user))/inbox.sqlite"]
            return try runProcess("/usr/sbin/runuser", ["-u", user, "--", "/usr/bin/env", "-i"] + environment + arguments)
        }
        func earshot(as user: String, _ arguments: String...) throws -> ProcessResult {
            try run(as: user, ["/usr/bin/timeout", "-s", "KILL", "30", binary] + arguments)
        }

        // Mallory makes Alice's folder first and serves a database where Alice is a supervisor.
        #expect(try run(as: mallory, ["/bin/mkdir", "-m", "0755", folder]).status == 0)
        #expect(try earshot(as: mallory, "responder", "add", alice, "--name", "A", "--initials", "AA", "--role", "supervisor").status == 0)
        #expect(try earshot(as: mallory, "ingest", root.file("feed.jsonl")).status == 0)
        let fake = Process()
        fake.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        fake.arguments = ["-u", mallory, "--", "/usr/bin/env", "-i", "HOME=\(root.file(mallory))", "PATH=/usr/bin:/bin",
                          "EARSHOT_DB=\(root.file(mallory))/inbox.sqlite", binary, "serve", "--socket", folder + "/earshot.sock", "--tick", "60"]
        fake.standardError = FileHandle.nullDevice
        try fake.run()
        defer { fake.terminate(); fake.waitUntilExit() }
        try CLITest.waitFor { FileManager.default.fileExists(atPath: folder + "/earshot.sock") }

        // Alice (no XDG_RUNTIME_DIR, no system socket) refuses it, and says whose it is and what to do.
        let owner = "\(mallory) (uid \(try #require(getpwnam(mallory)?.pointee.pw_uid)))"
        let refusal = "the socket folder \(folder) belongs to \(owner), not to you (\(alice))"
        let queue = try earshot(as: alice, "queue")
        #expect(queue.status == 1)
        #expect(queue.stderr.contains(refusal), "\(queue.stderr)")
        #expect(queue.stderr.contains("Ask an admin to remove it (`rm -r \(folder)`)"))
        #expect(queue.stdout.isEmpty)
        let reply = try earshot(as: alice, "reply", "1", "my", "account", "number", "is", "1234")
        #expect(reply.status == 1)
        #expect(try CLITest.database(root.file(mallory) + "/inbox.sqlite").read { try Int.fetchOne($0, sql: "SELECT count(*) FROM reply") } == 0)
        // Alice's own daemon will not bind inside it either (before the fix it replaced Mallory's socket and served there).
        let serve = try earshot(as: alice, "serve", "--tick", "60")
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("not listening at \(folder)/earshot.sock: \(refusal)"), "\(serve.stderr)")

        // Once the folder is gone, Alice's daemon makes it herself, private (0700), and answers her.
        fake.terminate()
        fake.waitUntilExit()
        try FileManager.default.removeItem(atPath: folder)
        #expect(try earshot(as: alice, "responder", "add", alice, "--name", "A", "--initials", "AA").status == 0)
        let own = Process()
        own.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        own.arguments = ["-u", alice, "--", "/usr/bin/env", "-i", "HOME=\(root.file(alice))", "PATH=/usr/bin:/bin",
                         "EARSHOT_DB=\(root.file(alice))/inbox.sqlite", binary, "serve", "--tick", "60"]
        own.standardError = FileHandle.nullDevice
        try own.run()
        defer { own.terminate(); own.waitUntilExit() }
        try CLITest.waitFor { FileManager.default.fileExists(atPath: folder + "/earshot.sock") }
        let info = try FileManager.default.attributesOfItem(atPath: folder)
        #expect((info[.posixPermissions] as? Int) == 0o700)
        #expect((info[.ownerAccountID] as? UInt32) == uid)
        let whoami = try earshot(as: alice, "responder", "list")
        #expect(whoami.status == 0, "\(whoami.stderr)")
    }
}
