import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot serve` runs its parts as services: SIGTERM stops them in order (requests, then the
/// clock, then delivery), and the reply being delivered at that moment is finished and
/// recorded, not cut off.
@Suite struct ServeShutdownTests {
    @Test func sigtermDrainsTheServicesInOrderAndFinishesTheReplyInFlight() throws {
        let home = try TemporaryDirectory("earshot-shutdown")
        let binary = try BuiltProducts.executable("earshot")
        let sent = home.file("sent.jsonl")
        try FileManager.default.createDirectory(atPath: home.file("config/earshot"), withIntermediateDirectories: true)
        // A platform that takes 2 seconds to answer; no undo window, so delivery starts at once.
        try """
            [delivery]
            command = ["\(binary)", "sample-deliver", "\(sent)", "--delay", "2"]
            undo_seconds = 0
            [assignment]
            routing = "manual"

            """.write(toFile: home.file("config/earshot/config.toml"), atomically: true, encoding: .utf8)
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
                           "XDG_CONFIG_HOME": home.file("config"), "XDG_RUNTIME_DIR": home.path]
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        #expect(try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--availability", "available"],
                               environment: environment).status == 0)
        try #"{"platform":"x","external_id":"1","channel":"AcmeSupport","author":"kim","text":"where is it?","created_at":"2026-12-04T10:00:00Z"}"#
            .write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--tick", "0.2"]
        daemon.environment = environment
        let errors = Pipe()
        daemon.standardError = errors
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        try CLITest.waitFor { FileManager.default.fileExists(atPath: home.file("earshot.sock")) }
        #expect(try runProcess(binary, ["claim", "1"], environment: environment).status == 0)
        #expect(try runProcess(binary, ["reply", "1", "on its way"], environment: environment).status == 0)
        // The platform has the reply and is taking its time to answer: delivery is in flight.
        try CLITest.waitFor { ((try? String(contentsOfFile: sent, encoding: .utf8)) ?? "").contains("on its way") }

        kill(daemon.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while daemon.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!daemon.isRunning, "the daemon did not stop on SIGTERM")
        #expect(daemon.terminationStatus == 0)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let order = ["stopped taking requests", "clock stopped", "delivery stopped", "earshot serve: stopped\n"]
            .map { log.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil }, "\(log)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "services stopped out of order:\n\(log)")
        // The reply in flight was finished and recorded as sent, once.
        let states = try CLITest.database(home.file("inbox.sqlite")).read { try String.fetchAll($0, sql: "SELECT state FROM reply") }
        #expect(states == ["sent"])
        #expect(try String(contentsOfFile: sent, encoding: .utf8).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: home.file("earshot.sock")), "the socket file is removed")
    }
}
