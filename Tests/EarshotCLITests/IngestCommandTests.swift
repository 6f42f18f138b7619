import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// `earshot ingest` run as a person or a fetcher would run it.
@Suite struct IngestCommandTests {
    let home: TemporaryDirectory
    let binary: String
    var database: String { home.file("inbox.sqlite") }

    init() throws {
        home = try TemporaryDirectory("earshot-ingest-cli")
        binary = try BuiltProducts.executable("earshot")
    }

    var environment: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database] }

    static func jsonl(_ range: Range<Int>) -> String {
        range.map { index in
            #"{"platform":"x","external_id":"\#(index)","channel":"AcmeSupport","author":"customer\#(index % 97)","text":"where is order \#(index)?","created_at":"2024-01-15T12:05:00Z"}"#
        }.joined(separator: "\n") + "\n"
    }

    func count(_ sql: String) throws -> Int { try CLITest.count(sql, in: database) }

    /// A real export holds the brand's own posts, answers to tweets outside it and customer
    /// tweets to other accounts: none of them is an error, so a clean import exits 0.
    @Test func aHistoryExportWithBrandPostsAndOtherAccountsImportsCleanly() throws {
        let file = home.file("twcs.csv")
        try """
            tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
            1,AcmeSupport,False,Tue Oct 31 22:10:00 +0000 2017,Our summer sale starts today! ^JK,,
            2,115712,True,Tue Oct 31 22:11:00 +0000 2017,@AcmeSupport where is my parcel?,3,
            3,AcmeSupport,False,Tue Oct 31 22:14:00 +0000 2017,@115712 on its way ^JK,,2
            4,AcmeSupport,False,Tue Oct 31 22:15:00 +0000 2017,@115999 glad to help ^JK,,77
            5,115800,True,Tue Oct 31 22:16:00 +0000 2017,@115801 see you tonight,,

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(binary, ["ingest", file], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\(file): 1 mentions stored, 1 brand replies stored, 2 brand posts stored, 0 already stored, 1 not stored (notes above)\n")
        #expect(result.stderr.contains("\(file):6: note: customer tweet 5 is not stored"), "\(result.stderr)")
        #expect(try count("SELECT count(*) FROM brand_post") == 2)
        #expect(!FileManager.default.fileExists(atPath: file + ".rejects"))
    }

    /// Issue 13, items 5 and 10 through the real binary: one cut-off page, one unclosed quote and
    /// one impossible date each cost their own record, said with the line and in words.
    @Test func oneBadRecordCostsOnlyItselfThroughTheBinary() throws {
        // Eight X v2 pages one per line, the fourth cut off mid-write.
        var pages = (1...8).map { id in
            #"{"data":[{"id":"\#(id)","author_id":"77","created_at":"2024-03-05T09:15:30.000Z","text":"@AcmeSupport where is order \#(id)?"}],"includes":{"users":[{"id":"77","username":"kim","name":"Kim"}]},"meta":{"result_count":1}}"#
        }
        pages[3] = String(pages[3].prefix(120))
        let x = home.file("pages.json")
        try (pages.joined(separator: "\n") + "\n").write(toFile: x, atomically: true, encoding: .utf8)
        let pagesRun = try runProcess(binary, ["ingest", "--format", "x-v2", "--channel", "AcmeSupport", x], environment: environment)
        #expect(pagesRun.status == 1)
        #expect(pagesRun.stdout.hasPrefix("\(x): 7 mentions stored, 0 already stored, 1 rejected"), "\(pagesRun.stdout)")
        #expect(pagesRun.stderr.hasPrefix("\(x):4: the record is cut off: the JSON ends inside a string"), "\(pagesRun.stderr)")

        // 1,000 CSV rows, the second with a quote that is never closed.
        let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"
        var rows = (1...1_000).map { "\($0),\(100_000 + $0 % 50),True,Tue Oct 31 22:10:47 +0000 2017,@AcmeSupport where is order \($0)?,," }
        rows[1] = "2,100002,True,Tue Oct 31 22:10:47 +0000 2017,\"@AcmeSupport this quote is never closed,,"
        let csv = home.file("history.csv")
        try ([header] + rows).joined(separator: "\n").appending("\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let csvRun = try runProcess(binary, ["ingest", csv], environment: environment)
        #expect(csvRun.status == 1)
        #expect(csvRun.stdout.hasPrefix("\(csv): 999 mentions stored, 0 already stored, 1 rejected"), "\(csvRun.stdout)")
        #expect(csvRun.stderr.hasPrefix("\(csv):3: a quoted field on this line is not closed"), "\(csvRun.stderr)")

        // An offset of +25:00 is no time at all: that line alone is rejected, with the reason.
        let dates = home.file("dates.jsonl")
        try (Self.jsonl(9_000..<9_002) + #"{"platform":"x","external_id":"9100","channel":"AcmeSupport","author":"kim","text":"hi?","created_at":"2024-01-15T12:05:00+25:00"}"# + "\n")
            .write(toFile: dates, atomically: true, encoding: .utf8)
        let datesRun = try runProcess(binary, ["ingest", dates], environment: environment)
        #expect(datesRun.status == 1)
        #expect(datesRun.stdout.hasPrefix("\(dates): 2 mentions stored"), "\(datesRun.stdout)")
        #expect(datesRun.stderr.hasPrefix("\(dates):3: "), "\(datesRun.stderr)")
        #expect(datesRun.stderr.contains("+25:00"), "\(datesRun.stderr)")
    }

    @Test func aFileGoesInAndTheSummaryAndExitStatusSaySo() throws {
        let file = home.file("feed.jsonl")
        try Self.jsonl(0..<5).write(toFile: file, atomically: true, encoding: .utf8)
        let first = try runProcess(binary, ["ingest", file], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "\(file): 5 mentions stored, 0 already stored\n")
        let again = try runProcess(binary, ["ingest", file], environment: environment)
        #expect(again.stdout == "\(file): 0 mentions stored, 5 already stored\n")

        let bad = home.file("bad.jsonl")
        try (Self.jsonl(5..<7) + "{broken\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let partial = try runProcess(binary, ["ingest", bad], environment: environment)
        #expect(partial.status == 1)
        #expect(partial.stderr.hasPrefix("\(bad):3: not valid JSON"))
        #expect(partial.stdout.contains("1 rejected (kept in \(bad).rejects)"))
        #expect(try String(contentsOfFile: bad + ".rejects", encoding: .utf8) == "{broken\n")
        #expect(try count("SELECT count(*) FROM mention") == 7)
    }

    @Test func aKilledIngestRunAgainStoresEveryMentionExactlyOnce() throws {
        let total = 60_000
        let file = home.file("big.jsonl")
        try Self.jsonl(0..<total).write(toFile: file, atomically: true, encoding: .utf8)
        // Small batches, so the kill lands with some committed and some not.
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: binary)
        ingest.arguments = ["ingest", "--batch", "500", file]
        ingest.environment = environment
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        // Wait until some batches are committed (bounded), then kill mid-file.
        let deadline = Date().addingTimeInterval(60)
        var seen = 0
        while Date() < deadline {
            seen = (try? count("SELECT count(*) FROM mention")) ?? 0
            if seen >= 2_000 { break }
            usleep(20_000)
        }
        kill(ingest.processIdentifier, SIGKILL)
        ingest.waitUntilExit()
        let afterKill = try count("SELECT count(*) FROM mention")
        #expect(afterKill >= 2_000)
        #expect(afterKill < total, "the ingest finished before the kill; the test proved nothing")

        let rerun = try runProcess(binary, ["ingest", file], environment: environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try count("SELECT count(*) FROM mention") == total)
        #expect(try count("SELECT count(DISTINCT external_id) FROM mention") == total)
        #expect(try count("SELECT count(*) FROM event WHERE kind IN ('opened', 'ingested', 'reopened')") == total)
        let queue = try CLITest.database(database)
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test func standardInputIsCommittedAsEachLineArrives() throws {
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: binary)
        ingest.arguments = ["ingest", "-"]
        ingest.environment = environment
        let input = Pipe()
        let output = Pipe()
        ingest.standardInput = input
        ingest.standardOutput = output
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        defer { if ingest.isRunning { ingest.terminate() } }

        func waitForCount(_ expected: Int) throws -> Int {
            let deadline = Date().addingTimeInterval(20)
            var value = -1
            while Date() < deadline {
                value = (try? count("SELECT count(*) FROM mention")) ?? -1
                if value == expected { return value }
                usleep(20_000)
            }
            return value
        }
        // Like `tail -f feed.jsonl | earshot ingest -`: the pipe stays open between lines.
        input.fileHandleForWriting.write(Data(Self.jsonl(0..<1).utf8))
        #expect(try waitForCount(1) == 1)
        input.fileHandleForWriting.write(Data(Self.jsonl(1..<3).utf8))
        #expect(try waitForCount(3) == 3)
        #expect(ingest.isRunning)
        try input.fileHandleForWriting.close()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0)
        let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(summary == "<stdin>: 3 mentions stored, 0 already stored\n")
    }

    @Test func theSpoolMovesFilesToDoneAndKeepsRejectsWithTheirReasons() throws {
        let spool = home.file("spool")
        for directory in ["new", "tmp"] {
            try FileManager.default.createDirectory(atPath: spool + "/" + directory, withIntermediateDirectories: true)
        }
        try Self.jsonl(0..<3).write(toFile: spool + "/new/001.jsonl", atomically: true, encoding: .utf8)
        try (Self.jsonl(3..<4) + "not json\n").write(toFile: spool + "/new/002.jsonl", atomically: true, encoding: .utf8)
        try "".write(toFile: spool + "/new/.partial.jsonl", atomically: true, encoding: .utf8)

        let result = try runProcess(binary, ["ingest", "--spool", spool, "--once"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let manager = FileManager.default
        #expect(try manager.contentsOfDirectory(atPath: spool + "/new") == [".partial.jsonl"])
        #expect(try manager.contentsOfDirectory(atPath: spool + "/done").sorted() == ["001.jsonl", "002.jsonl"])
        #expect(try manager.contentsOfDirectory(atPath: spool + "/rejected").sorted() == ["002.jsonl.reason", "002.jsonl.rejects"])
        #expect(try String(contentsOfFile: spool + "/rejected/002.jsonl.rejects", encoding: .utf8) == "not json\n")
        let reason = try String(contentsOfFile: spool + "/rejected/002.jsonl.reason", encoding: .utf8)
        #expect(reason.hasPrefix(spool + "/new/002.jsonl:2: not valid JSON"))
        #expect(try count("SELECT count(*) FROM mention") == 4)
    }

    @Test func badArgumentsSayWhatToDo() throws {
        let none = try runProcess(binary, ["ingest"], environment: environment)
        #expect(none.status == 64)
        #expect(none.stderr.contains("name at least one FILE (or - for standard input), or --spool DIR"))
        let format = try runProcess(binary, ["ingest", "--format", "csv", "x"], environment: environment)
        #expect(format.stderr.contains("unknown format \"csv\"; use one of jsonl, x-v2, twitter-v1, mastodon, bluesky, twcs"))
    }
}

/// Progress (count, rate, ETA) is drawn on stderr only when stderr is a terminal.
@Suite struct IngestProgressTests {
    @Test func aLongIngestOnATerminalShowsCountRateAndETA() throws {
        let home = try TemporaryDirectory("earshot-progress")
        let file = home.file("long.jsonl")
        try IngestCommandTests.jsonl(0..<40_000).write(toFile: file, atomically: true, encoding: .utf8)
        let terminal = try PseudoTerminal()
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("earshot"))
        // Small batches so progress is redrawn while the file is read; CI is deliberately unset.
        ingest.arguments = ["ingest", "--batch", "200", file]
        ingest.environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("db.sqlite")]
        ingest.standardError = terminal.device
        ingest.standardOutput = FileHandle.nullDevice
        try ingest.run()
        var drawn = ""
        while ingest.isRunning {
            drawn += terminal.drain()
            usleep(50_000)
        }
        drawn += terminal.drain()
        #expect(ingest.terminationStatus == 0)
        #expect(drawn.contains(" records "), "stderr on the terminal was: \(drawn.prefix(300))")
        #expect(drawn.contains("/s"))
        #expect(drawn.contains("ETA "))
        #expect(drawn.contains("%"))
    }

    @Test func nothingIsDrawnWhenStderrIsNotATerminal() throws {
        let home = try TemporaryDirectory("earshot-progress")
        let file = home.file("long.jsonl")
        try IngestCommandTests.jsonl(0..<20_000).write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(
            try BuiltProducts.executable("earshot"), ["ingest", "--batch", "200", file],
            environment: ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("db.sqlite")])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == "\(file): 20,000 mentions stored, 0 already stored\n")
    }
}
