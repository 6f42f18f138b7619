import EarshotTestSupport
import Foundation
import Testing

/// A suite that sends replies through a real daemon whose delivery command is `earshot
/// sample-deliver`, appending each reply to `sent.jsonl` in the suite's home: the paths, the
/// configuration, the daemon and the readings such suites share.
protocol SampleDeliveryTest {
    var home: TemporaryDirectory { get }
    var binary: String { get }
}

extension SampleDeliveryTest {
    var socket: String { home.file("earshot.sock") }
    var sentFile: String { home.file("sent.jsonl") }
    var environment: [String: String] {
        ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
         "EARSHOT_CONFIG": home.file("config.toml"), "EARSHOT_SOCKET": socket]
    }
    /// Without the socket: single-user mode (set `EARSHOT_SOCKET` requires a daemon).
    var singleUser: [String: String] {
        var alone = environment
        alone["EARSHOT_SOCKET"] = nil
        return alone
    }

    /// The delivery configuration, `sampleOptions` passed to `earshot sample-deliver`.
    func configure(_ sampleOptions: [String]) throws {
        let argv = ([binary, "sample-deliver", sentFile] + sampleOptions).map { "\"\($0)\"" }.joined(separator: ", ")
        try """
            [delivery]
            command = [\(argv)]
            undo_seconds = 1
            retry_base_seconds = 1
            """.write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
    }

    /// The database with this test process's user as an offline supervisor (initials ME).
    func addMeAsSupervisor() throws {
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        let add = try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--role", "supervisor",
                                          "--availability", "offline"], environment: singleUser)
        #expect(add.status == 0, "\(add.stderr)")
    }

    func startDaemon() throws -> Process {
        try CLITest.startDaemon(binary, ["--tick", "0.2"], environment: environment, socket: socket)
    }

    func waitFor(_ condition: () throws -> Bool) throws { try CLITest.waitFor(condition) }

    func count(_ sql: String) throws -> Int { try CLITest.count(sql, in: home.file("inbox.sqlite")) }

    func sentLines() -> [String] {
        ((try? String(contentsOfFile: sentFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
