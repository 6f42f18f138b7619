import EarshotTestSupport
import Foundation
import Testing

/// A TWCS file is streamed, not read whole before the first row is stored (issue 13,
/// item 10): rows are committed while the file is still being read, so a kill part-way keeps
/// what was committed, and running it again stores each row exactly once.
@Suite struct IngestStreamingTests {
    let home: TemporaryDirectory
    let binary: String
    var database: String { home.file("inbox.sqlite") }

    init() throws {
        home = try TemporaryDirectory("earshot-ingest-stream")
        binary = try BuiltProducts.executable("earshot")
    }

    var environment: [String: String] { ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": database] }

    /// Rows of the dataset's shape, about 200 bytes each as in the real file.
    static func history(rows: Int) -> String {
        var text = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        text.reserveCapacity(rows * 200)
        for id in 1...rows {
            text += "\(id),\(100_000 + id % 997),True,Tue Oct 31 22:\(10 + id % 50):47 +0000 2017,"
                + "\"@AcmeSupport my order \(id) never arrived, it was due Monday and tracking has not moved since. "
                + "Can someone look into it please?\",,\n"
        }
        return text
    }

    /// How far the process has read the file: the offset of its descriptor open on `path`.
    static func readOffset(of pid: Int32, in path: String) -> Int? {
        let fds = "/proc/\(pid)/fd"
        for fd in (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? [] {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: fds + "/" + fd)) == path,
                  let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(fd)", encoding: .utf8),
                  let line = info.split(separator: "\n").first(where: { $0.hasPrefix("pos:") })
            else { continue }
            return Int(line.dropFirst(4).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    @Test func rowsAreCommittedBeforeTheFileIsReadThroughAndAKillKeepsThem() throws {
        let total = 40_000
        let file = home.file("history.csv")
        try Self.history(rows: total).write(toFile: file, atomically: true, encoding: .utf8)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size > 4 << 20, "the file must span several 1 MiB reads")

        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: binary)
        ingest.arguments = ["ingest", "--batch", "500", file]
        ingest.environment = environment
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        defer { if ingest.isRunning { kill(ingest.processIdentifier, SIGKILL) } }
        // Wait (bounded) for the first committed rows, then see how far the file was read.
        var committed = 0
        var offset: Int?
        try CLITest.waitFor(timeout: 120) {
            committed = (try? CLITest.count("SELECT count(*) FROM mention", in: database)) ?? 0
            offset = Self.readOffset(of: ingest.processIdentifier, in: file)
            return committed > 0 || !ingest.isRunning
        }
        #expect(ingest.isRunning, "the ingest finished before the check; the test proved nothing")
        // Read whole first, the offset would be at the end by the time anything is stored.
        let read = try #require(offset)
        #expect(read < size, "\(committed) rows were stored only after all \(size) bytes were read")
        kill(ingest.processIdentifier, SIGKILL)
        ingest.waitUntilExit()
        let afterKill = try CLITest.count("SELECT count(*) FROM mention", in: database)
        #expect(afterKill > 0 && afterKill < total)

        let rerun = try runProcess(binary, ["ingest", file], environment: environment)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try CLITest.count("SELECT count(*) FROM mention", in: database) == total)
        #expect(try CLITest.count("SELECT count(DISTINCT external_id) FROM mention", in: database) == total)
    }

    @Test func aFIFONamedAsAFileIsAppliedAsItArrives() throws {
        // Like `earshot ingest <(fetch-history)`: a file that cannot be read twice or whole.
        let fifo = home.file("history.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let ingest = Process()
        ingest.executableURL = URL(fileURLWithPath: binary)
        ingest.arguments = ["ingest", fifo]
        ingest.environment = environment
        ingest.standardOutput = FileHandle.nullDevice
        ingest.standardError = FileHandle.nullDevice
        try ingest.run()
        defer { if ingest.isRunning { kill(ingest.processIdentifier, SIGKILL) } }
        let writer = try #require(FileHandle(forWritingAtPath: fifo))
        let rows = Self.history(rows: 15).split(separator: "\n", omittingEmptySubsequences: false)
        writer.write(Data((rows[0...10].joined(separator: "\n") + "\n").utf8))
        var seen = 0
        try CLITest.waitFor(timeout: 30) {
            seen = (try? CLITest.count("SELECT count(*) FROM mention", in: database)) ?? 0
            return seen == 10
        }
        #expect(seen == 10, "rows must be stored while the FIFO is still open")
        #expect(ingest.isRunning)
        writer.write(Data((rows[11...].joined(separator: "\n")).utf8))
        try writer.close()
        ingest.waitUntilExit()
        #expect(ingest.terminationStatus == 0)
        #expect(try CLITest.count("SELECT count(*) FROM mention", in: database) == 15)
    }
}
