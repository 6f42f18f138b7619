import EarshotTestSupport
import Foundation
import Testing

/// Per-channel first response times of the real TWCS sample, from `earshot ingest` and
/// `earshot stats`, against an independent computation straight from the CSV
/// (scripts/twcs_frt_crosscheck.py, which shares no code with Earshot).
@Suite struct StatsCrossCheckTests {
    static let sample = ["/work/shared/data/twcs/twcs_sample_5000.csv", "../shared/data/twcs/twcs_sample_5000.csv"]
        .first { FileManager.default.fileExists(atPath: $0) }
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/twcs_frt_crosscheck.py").path
    }

    @Test(.enabled(if: sample != nil && python != nil, "needs the shared TWCS sample and python3"))
    func everyChannelsFirstResponseTimesMatchTheIndependentComputation() throws {
        let home = try TemporaryDirectory("earshot-crosscheck")
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("twcs.sqlite")]
        let earshot = try BuiltProducts.executable("earshot")
        let ingest = try runProcess(earshot, ["ingest", "--rejects-dir", home.path, try #require(Self.sample)], environment: environment)
        #expect(ingest.status == 0, "\(ingest.stderr)")  // brand posts and notes are not errors
        let stats = try runProcess(earshot, ["stats", "--by", "channel", "--format", "json"], environment: environment)
        #expect(stats.status == 0, "\(stats.stderr)")
        let independent = try runProcess(try #require(Self.python), [Self.script, try #require(Self.sample)])
        #expect(independent.status == 0, "\(independent.stderr)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["rows"] as? [[String: Any]])
        var earshotFigures: [String: (Int, Int64)] = [:]
        for row in rows {
            guard let key = row["key"] as? String, let count = row["n"] as? Int, count > 0, let median = row["frt_p50"] as? Int64 else { continue }
            earshotFigures[key] = (count, median)
        }
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(independent.stdout.utf8)) as? [String: [String: Int64]])
        #expect(expected.count == 76)
        #expect(Set(earshotFigures.keys) == Set(expected.keys))
        for (channel, figures) in expected {
            #expect(earshotFigures[channel]?.0 == Int(figures["n"] ?? -1), "\(channel): n")
            #expect(earshotFigures[channel]?.1 == figures["p50_ms"], "\(channel): median first response time")
        }
    }
}
