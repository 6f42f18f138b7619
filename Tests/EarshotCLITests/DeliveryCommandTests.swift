import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// Replies through a running daemon, delivered by `earshot sample-deliver` into a file; and a
/// daemon killed while the delivery command runs.
@Suite(.serialized) struct DeliveryCommandTests: SampleDeliveryTest {
    let home: TemporaryDirectory
    let binary: String

    init() throws {
        home = try TemporaryDirectory("earshot-delivery")
        binary = try BuiltProducts.executable("earshot")
        try configure(["--fail-attempts", "1"])
        // No daemon yet: the database is set up in single-user mode.
        try addMeAsSupervisor()
        let feed = (1...2).map {
            #"{"platform":"x","external_id":"\#($0)","channel":"Acme","author":"kim\#($0)","text":"where is my order \#($0)?","created_at":"2024-01-15T12:00:00Z"}"#
        }.joined(separator: "\n") + "\n"
        try feed.write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
    }

    @Test func aReplyIsRetriedDeliveredAndCanBeTakenBackInTheUndoWindow() throws {
        let daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        // The sample command fails the first attempt on purpose; the retry delivers.
        let sent = try runProcess(binary, ["reply", "1", "@kim1 It ships today!", "--wait"], environment: environment)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.hasPrefix("reply 1 queued for conversation 1; delivery starts after the undo window"))
        #expect(sent.stdout.hasSuffix("reply 1 delivered: sample-1\n"))
        #expect(sentLines().count == 1)
        #expect(sentLines().first?.contains(#""text":"@kim1 It ships today! ^ME""#) == true)
        #expect(try count("SELECT count(*) FROM event WHERE kind = 'reply_failed'") == 1)
        #expect(try count("SELECT attempts FROM reply WHERE id = 1") == 2)

        // Taken back within the undo window: nothing is delivered and the draft returns.
        let second = try runProcess(binary, ["reply", "2", "@kim2 oops"], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        let cancel = try runProcess(binary, ["outbox", "cancel", "2"], environment: environment)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout == "reply 2 cancelled; it is your draft for conversation 2 again\n")
        #expect(try runProcess(binary, ["draft", "2"], environment: environment).stdout == "@kim2 oops\n")
        usleep(1_500_000)
        #expect(sentLines().count == 1)
        #expect(try runProcess(binary, ["outbox"], environment: environment).stdout == "the outbox is empty\n")
    }

    @Test func aReplyThatKeepsFailingIsMarkedFailedAndShownToItsAuthor() throws {
        try configure(["--fail-attempts", "99"])
        var config = try String(contentsOfFile: home.file("config.toml"), encoding: .utf8)
        config += "\nmax_attempts = 2\n"
        try config.write(toFile: home.file("config.toml"), atomically: true, encoding: .utf8)
        let daemon = try startDaemon()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let sent = try runProcess(binary, ["reply", "1", "@kim1 hello", "--wait"], environment: environment)
        #expect(sent.status == 1)
        #expect(sent.stderr.contains("reply 1 failed after 2 attempts: "))
        #expect(sent.stderr.contains("sample delivery failing on purpose (attempt 2 of the first 99)"))
        let outbox = try runProcess(binary, ["outbox"], environment: environment)
        #expect(outbox.stdout.contains("reply 1  conversation 1  failed after 2 attempts  @kim1 hello ^ME"))
        #expect(outbox.stdout.contains("last error: "))
    }

    @Test func aDaemonKilledDuringDeliveryDeliversAgainAfterRestartAndRecordsOnce() throws {
        // The command appends the reply, then hangs as a slow platform would: the daemon dies
        // after the post happened but before it heard back.
        try configure(["--delay", "60"])
        let first = try startDaemon()
        let queued = try runProcess(binary, ["reply", "1", "@kim1 It ships today!"], environment: environment)
        #expect(queued.status == 0, "\(queued.stderr)")
        try waitFor { sentLines().count == 1 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // The orphaned command is its own process group leader (the deliverer spawns it so).
        _ = try runProcess("/usr/bin/pkill", ["-KILL", "-f", sentFile], environment: environment)
        #expect(try count("SELECT count(*) FROM reply WHERE state = 'queued' AND delivery_started_at IS NOT NULL") == 1)

        try configure([])
        try? FileManager.default.removeItem(atPath: socket)
        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try waitFor { try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 1 }
        // Delivered at least once (here twice), recorded once.
        #expect(sentLines().count == 2)
        // Both attempts carry the key chosen before the first one, kept across the restart.
        let keys = sentLines().compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["idempotency_key"] as? String
        }
        #expect(keys.count == 2 && Set(keys).count == 1 && keys[0].hasPrefix("earshot-"))
        #expect(try count("SELECT count(*) FROM reply") == 1)
        #expect(try count("SELECT count(*) FROM event WHERE kind = 'replied'") == 1)
        #expect(try count("SELECT attempts FROM reply WHERE id = 1") == 2)
    }
}
