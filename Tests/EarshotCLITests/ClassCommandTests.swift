import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot class`: a person overrules the classifier, and the class holds when the customer
/// writes again (the real binary, single-user mode, identity from EARSHOT_LOGIN).
@Suite struct ClassCommandTests {
    let home: TemporaryDirectory
    let binary: String

    init() throws {
        home = try TemporaryDirectory("earshot-class-cli")
        binary = try BuiltProducts.executable("earshot")
        try FileManager.default.createDirectory(atPath: home.path + "/.config/earshot", withIntermediateDirectories: true)
        try "[assignment]\nrouting = \"manual\"\n".write(toFile: home.path + "/.config/earshot/config.toml", atomically: true, encoding: .utf8)
    }

    func earshot(_ arguments: String...) throws -> ProcessResult {
        try runProcess(binary, arguments, environment: [
            "HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"), "EARSHOT_LOGIN": "dana",
        ])
    }

    func ingest(_ id: Int, at time: String, _ text: String, replyingTo parent: Int? = nil) throws {
        let thread = parent.map { #","in_reply_to":"\#($0)""# } ?? ""
        let line = #"{"platform":"x","external_id":"\#(id)","channel":"AcmeSupport","author":"kim","text":"\#(text)","created_at":"\#(time)"\#(thread)}"#
        try (line + "\n").write(toFile: home.file("feed\(id).jsonl"), atomically: true, encoding: .utf8)
        let result = try earshot("ingest", home.file("feed\(id).jsonl"))
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aCustomerSetAsideAsSpamIsBroughtBackAndStaysBackWhenTheyWriteAgain() throws {
        #expect(try earshot("responder", "add", "dana", "--name", "Dana", "--initials", "DK", "--availability", "available").status == 0)
        // A real customer whose words look like a crypto scam to the classifier.
        let spammy = "@AcmeSupport my bitcoin giveaway order never came https://acme.example/order/7"
        // Times around now: a message reopens a resolved conversation when it is newer than the resolve.
        let iso = ISO8601DateFormatter()
        try ingest(1, at: iso.string(from: Date().addingTimeInterval(-3600)), spammy)
        #expect(try earshot("queue", "--view", "aside").stdout.contains("@kim"))

        let corrected = try earshot("class", "1", "question")
        #expect(corrected.status == 0, "\(corrected.stderr)")
        #expect(corrected.stdout == "conversation 1: open, unassigned, class question\n")
        #expect(try earshot("queue", "--view", "unassigned").stdout.contains("@kim"))
        #expect(!(try earshot("queue", "--view", "aside").stdout.contains("@kim")))

        // Resolved, then the customer writes again in the thread, in the same words: a new cycle,
        // still a question (the classifier is not asked again).
        #expect(try earshot("resolve", "1").status == 0)
        try ingest(2, at: iso.string(from: Date().addingTimeInterval(60)), spammy, replyingTo: 1)
        #expect(try earshot("queue", "--view", "unassigned").stdout.contains("@kim"))
        let queue = try CLITest.database(home.file("inbox.sqlite"))
        let (triageClass, cycle, actor) = try queue.read { db in
            (try String.fetchOne(db, sql: "SELECT triage_class FROM conversation WHERE id = 1"),
             try Int.fetchOne(db, sql: "SELECT cycle FROM conversation WHERE id = 1"),
             try String.fetchOne(db, sql: "SELECT actor FROM event WHERE kind = 'triaged' ORDER BY id DESC LIMIT 1"))
        }
        #expect(triageClass == "question" && cycle == 2)
        #expect(actor == "responder:dana")

        let wrong = try earshot("class", "1", "angry")
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("question"), "\(wrong.stderr)")
    }
}
