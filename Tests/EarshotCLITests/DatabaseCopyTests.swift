import EarshotTestSupport
import Foundation
import Testing

/// `earshot db copy`: a team's whole history moves from SQLite to PostgreSQL and back with the
/// same rows and the same statistics, an inbox is never copied into another, and the copy takes
/// new rows with fresh ids.
@Suite(.enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"))
struct DatabaseCopyTests {
    let home: TemporaryDirectory
    let binary: String

    init() throws {
        home = try TemporaryDirectory("earshot-copy")
        binary = try BuiltProducts.executable("earshot")
    }

    func earshot(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(binary, arguments, environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
    }

    /// A TWCS export of `threads` threads: a customer asks, the brand answers minutes later
    /// (a latency sample each), every fifth customer writes again after the answer.
    func export(threads: Int) -> String {
        var lines = ["tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"]
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        let start = Date(timeIntervalSince1970: 1_509_000_000)
        var id = 1
        for thread in 0..<threads {
            let asked = start.addingTimeInterval(Double(thread) * 1_700)
            let (question, answer, again) = (id, id + 1, id + 2)
            id += 3
            let customer = 200_000 + thread
            lines.append("\(question),\(customer),True,\(formatter.string(from: asked)),@AcmeSupport order \(thread) has not arrived,\(answer),")
            lines.append("\(answer),AcmeSupport,False,\(formatter.string(from: asked.addingTimeInterval(Double(60 + thread * 37 % 900)))),@\(customer) sorry! DM us the number ^JK,\(thread % 5 == 0 ? String(again) : ""),\(question)")
            if thread % 5 == 0 {
                lines.append("\(again),\(customer),True,\(formatter.string(from: asked.addingTimeInterval(2_000))),@AcmeSupport done,,\(answer)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func anInboxMovesToPostgreSQLAndBackWithTheSameRowsAndStatistics() throws {
        try export(threads: 120).write(toFile: home.file("export.csv"), atomically: true, encoding: .utf8)
        let original = home.file("team.sqlite")
        let ingest = try earshot(["ingest", "--db", original, home.file("export.csv")])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let url = try TestPostgres.freshDatabaseURL("copy")

        let there = try earshot(["db", "copy", "--db", original, "--to", url])
        #expect(there.status == 0, "\(there.stdout)\(there.stderr)")
        #expect(there.stdout.contains("copied 120 conversations, 144 mentions, 120 replies"), "\(there.stdout)")
        #expect(there.stdout.contains("verified: row counts and the statistics report"))
        let back = home.file("back.sqlite")
        let returned = try earshot(["db", "copy", "--db", url, "--to", back])
        #expect(returned.status == 0, "\(returned.stdout)\(returned.stderr)")

        // The same report, to the byte, from the original, the PostgreSQL copy and the copy back.
        let reports = try [original, url, back].map { database in
            try earshot(["stats", "--db", database, "--by", "channel", "--format", "json"]).stdout
        }
        #expect(reports[0].contains("\"frt_p50\"") && reports[0].contains("\"n\" : 120"), "\(reports[0])")
        #expect(reports[1] == reports[0] && reports[2] == reports[0])
        // The wave detector of a copy carries on after the copied messages (its watermark), not from the first.
        #expect(try CLITest.count("SELECT last_mention_id FROM wave_progress", in: back) == 144)
        #expect(try CLITest.count("SELECT max(id) FROM mention", in: back) == 144)

        // An inbox is never copied into one that holds another.
        let again = try earshot(["db", "copy", "--db", original, "--to", url])
        #expect(again.status != 0)
        #expect(again.stderr.contains("the target already holds an inbox"), "\(again.stderr)")
        let overFile = try earshot(["db", "copy", "--db", url, "--to", back])
        #expect(overFile.status != 0 && overFile.stderr.contains("exists"))

        // The copy carries on: new rows get ids after the copied ones.
        try "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n9999,300000,True,Tue Oct 31 22:10:47 +0000 2017,@AcmeSupport hello?,,\n"
            .write(toFile: home.file("more.csv"), atomically: true, encoding: .utf8)
        let more = try earshot(["ingest", "--db", url, home.file("more.csv")])
        #expect(more.status == 0, "\(more.stderr)")
        let check = try earshot(["db", "check", "--db", url])
        #expect(check.stdout.contains("conversations 121"), "\(check.stdout)")
    }
}
