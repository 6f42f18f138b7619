import EarshotTestSupport
import Foundation
import Testing

/// A burst through a real daemon: eight customers on Mastodon write about checkout error 503
/// within minutes, in English and Spanish; the daemon's tick finds the wave; `earshot wave
/// answer` queues one reply each; the daemon is killed halfway through delivering them and
/// restarted. Every customer gets exactly one reply, in their language, within 140.
@Suite(.serialized) struct WaveCommandTests: SampleDeliveryTest {
    let home: TemporaryDirectory
    let binary: String

    static let posts = [
        ("kim", "checkout fails with error 503"), ("lee", "error 503 at checkout again"), ("max", "payment page shows error 503"),
        ("ana", "¿el pago no funciona? error 503 desde hace rato"), ("bo", "getting error 503 when paying"),
        ("cy", "error 503 on checkout, twice now"), ("luz", "no funciona el pago, error 503"), ("dee", "503 error when I pay"),
    ]

    init() throws {
        home = try TemporaryDirectory("earshot-wave")
        binary = try BuiltProducts.executable("earshot")
        try configure(["--delay", "2"])
        try addMeAsSupervisor()
        let now = Date().timeIntervalSince1970
        let feed = Self.posts.enumerated().map { index, post in
            let at = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: now - 600 + Double(index) * 30))
            return #"{"platform":"mastodon","external_id":"\#(index + 1)","channel":"acme@mastodon.social","author":"\#(post.0)@example.social","text":"@acme \#(post.1)","created_at":"\#(at)"}"#
        }.joined(separator: "\n") + "\n"
        try feed.write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        let ingest = try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: singleUser)
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    func sent() -> [[String: Any]] {
        sentLines().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Without a daemon, `earshot tick` runs the detector once and says what it found.
    @Test func aTickInSingleUserModeFindsTheWave() throws {
        let tick = try runProcess(binary, ["tick"], environment: singleUser)
        #expect(tick.status == 0, "\(tick.stderr)")
        #expect(tick.stdout.contains("waves formed 1 (8 joined, 0 left)"), "\(tick.stdout)")
        let again = try runProcess(binary, ["tick"], environment: singleUser)
        #expect(again.stdout.contains("waves formed 0 (0 joined, 0 left)"), "\(again.stdout)")
    }

    @Test(.timeLimit(.minutes(3))) func aBurstIsAnsweredOncePerCustomerThroughADaemonKilledHalfway() throws {
        let first = try startDaemon()
        // The tick finds the wave (all eight share "error" and "503").
        try CLITest.waitFor { try count("SELECT count(*) FROM wave_member") == 8 }
        let list = try runProcess(binary, ["wave", "list"], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("wave 1 \"503 error\" detected: 8 conversations on acme@mastodon.social in English, Spanish"), "\(list.stdout)")

        let refused = try runProcess(binary, ["wave", "answer", "1", "--text", "Checkout works again, sorry! Please try once more."], environment: environment)
        #expect(refused.status != 0 && refused.stderr.contains("customers writing in Spanish"), "\(refused.stderr)")
        let answer = try runProcess(binary, [
            "wave", "answer", "1", "--text", "Checkout works again, sorry! Please try once more.",
            "--text-es", "¡El pago ya funciona! Perdón, inténtalo de nuevo.",
        ], environment: environment)
        #expect(answer.status == 0, "\(answer.stderr)")
        #expect(answer.stdout.contains("wave 1: 8 replies queued"), "\(answer.stdout)")

        // Halfway: three posted (the platform is slow), then the daemon dies.
        try CLITest.waitFor { sent().count >= 3 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        _ = try runProcess("/usr/bin/pkill", ["-KILL", "-f", sentFile], environment: environment)
        let before = try count("SELECT count(*) FROM reply WHERE state = 'sent'")
        #expect(before < 8)

        try configure([])
        try? FileManager.default.removeItem(atPath: socket)
        let second = try startDaemon()
        defer { second.terminate(); second.waitUntilExit() }
        try CLITest.waitFor(timeout: 90) { try count("SELECT count(*) FROM reply WHERE state = 'sent'") == 8 }

        // One reply per customer, recorded once.
        #expect(try count("SELECT count(*) FROM reply") == 8)
        #expect(try count("SELECT count(DISTINCT conversation_id) FROM reply") == 8)
        #expect(try count("SELECT count(*) FROM event WHERE kind = 'replied'") == 8)
        // Posted: each customer's reply under one idempotency key (a post repeated after the kill
        // carries the key of the first try, so the platform keeps one).
        var keys: [String: Set<String>] = [:]
        for post in sent() {
            let customer = try #require(post["customer"] as? String)
            let text = try #require(post["text"] as? String)
            keys[customer, default: []].insert(try #require(post["idempotency_key"] as? String))
            let spanish = ["ana@example.social", "luz@example.social"].contains(customer)
            #expect(text == "@\(customer) " + (spanish ? "¡El pago ya funciona! Perdón, inténtalo de nuevo." : "Checkout works again, sorry! Please try once more.") + " ^ME")
            #expect(text.count <= 140)
        }
        #expect(keys.count == 8)
        #expect(keys.values.allSatisfy { $0.count == 1 }, "\(keys)")
        let show = try runProcess(binary, ["wave", "show", "1"], environment: environment)
        #expect(show.stdout.contains("answered"), "\(show.stdout)")
    }
}
