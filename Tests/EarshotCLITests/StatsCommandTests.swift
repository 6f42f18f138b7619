import EarshotTestSupport
import Foundation
import Testing

/// `earshot stats` output as a person and a script read it, over a hand-made history:
/// one customer tweet at 22:10:47 answered at 22:14:00, a first response of 193 s.
@Suite struct StatsCommandTests {
    @Test func tableAndCSVCarryTheHandComputedFigures() throws {
        let home = try TemporaryDirectory("earshot-stats-cli")
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite")]
        let binary = try BuiltProducts.executable("earshot")
        try """
            tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
            1,AcmeSupport,False,Tue Oct 31 22:14:00 +0000 2017,@100001 On it ^JK,,2
            2,100001,True,Tue Oct 31 22:10:47 +0000 2017,@AcmeSupport where is my order?,1,
            """.write(toFile: home.file("history.csv"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("history.csv")], environment: environment).status == 0)

        let csv = try runProcess(binary, ["stats", "--by", "channel", "--format", "csv"], environment: environment)
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "channel,n,frt_p50,frt_p90,frt_p99,frt_max,reply_n,reply_p50,reply_p90,reply_p99,reply_max,resolution_n,resolution_p50,sla_pct,replies,resolved")
        #expect(lines.dropFirst().first == "AcmeSupport,1,193000,193000,193000,193000,1,193000,193000,193000,193000,0,,100,1,0")
        #expect(lines.last?.hasPrefix("all,1,193000,") == true)

        let table = try runProcess(binary, ["stats", "--by", "responder"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("@AcmeSupport^JK") })
        #expect(row.contains("3m13s"))
        #expect(row.contains("100.0%"))
        #expect(table.stdout.contains("now: 0 unassigned, 0 waiting"))
        let bad = try runProcess(binary, ["stats", "--by", "week"], environment: environment)
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--by must be responder, channel, hour or day"))
    }
}
