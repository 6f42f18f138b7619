import EarshotCore
import EarshotIngest
import EarshotStore
import Foundation

/// Ingests N generated Earshot JSONL mentions and N generated TWCS rows through the real
/// pipeline (parse, thread, triage, store, events), each beside sqlite3's `.import` of the
/// same rows as CSV into a plain table with the same columns and a unique key on the id.
struct IngestBenchmark {
    let count: Int
    let directory: String?
    /// `--only jsonl` or `--only twcs` runs one half, for profiling it alone.
    let only: String?

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--only"])
        (count, directory, only) = (options.count, options.directory, options.extra["--only"])
    }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-ingest-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }

        let feed = SyntheticFeed(count: count)
        if only != "twcs" { try runJSONL(feed, dir: dir) }
        if only != "jsonl" { try runTWCS(feed, dir: dir) }
    }

    private func runJSONL(_ feed: SyntheticFeed, dir: String) throws {
        let jsonlPath = dir + "/mentions.jsonl"
        let jsonlCSV = dir + "/mentions-as.csv"
        try feed.writeJSONL(to: jsonlPath, csvTwin: jsonlCSV)
        let jsonlSeconds = try timePipeline(jsonlPath, database: dir + "/jsonl.sqlite")
        let jsonlImport = try timeImport(jsonlCSV, database: dir + "/jsonl-import.sqlite", schema: """
            CREATE TABLE mention_import (platform TEXT, external_id TEXT, channel TEXT, author TEXT, text TEXT,
                created_at TEXT, in_reply_to TEXT, UNIQUE (platform, external_id));
            """, table: "mention_import")
        BenchReport.line(
            name: "ingest: \(count.formatted()) Earshot JSONL mentions", value: jsonlSeconds,
            baselineName: "sqlite3 .import of the same rows", baseline: jsonlImport,
            rate: Double(count) / jsonlSeconds, unit: "mentions/s", goal: Double(count) / Self.goalRate)
        try floor(dir: dir, unit: "mentions/s")
    }

    /// Issue 18's goal for both formats, records a second.
    static let goalRate = 100_000.0

    /// What the schema alone costs: `IngestFloor`'s plain loop of the rows the pipeline writes
    /// for these records. The pipeline's ratio to it is what Swift, parsing, threading and
    /// triage add; its ratio to `.import` is what the schema (indexes, triggers) adds.
    private func floor(dir: String, unit: String) throws {
        let seconds = try IngestFloor(count: count).run(database: dir + "/floor.sqlite").total
        print(String(format: "  floor: the same rows by a plain loop of prepared INSERTs through SQLite's C API (same schema, no pipeline): %.2f s (%.0f %@)",
                     seconds, Double(count) / seconds, unit))
        let deferred = try IngestFloor(count: count, deferred: true).run(database: dir + "/floor-deferred.sqlite")
        print(String(format: "  floor, indexes built after the load (a backfill's design): load %.2f s (%.0f %@), then indexes, search and tally %.2f s: %.0f %@ in all",
                     deferred.load, Double(count) / deferred.load, unit, deferred.rebuild, Double(count) / deferred.total, unit))
    }

    private func runTWCS(_ feed: SyntheticFeed, dir: String) throws {
        let twcsPath = dir + "/twcs.csv"
        try feed.writeTWCS(to: twcsPath)
        let twcsSeconds = try timePipeline(twcsPath, database: dir + "/twcs.sqlite")
        let twcsImport = try timeImport(twcsPath, database: dir + "/twcs-import.sqlite", schema: """
            CREATE TABLE twcs_import (tweet_id TEXT, author_id TEXT, inbound TEXT, created_at TEXT, text TEXT,
                response_tweet_id TEXT, in_response_to_tweet_id TEXT, UNIQUE (tweet_id));
            """, table: "twcs_import", skipHeader: true)
        BenchReport.line(
            name: "ingest: \(count.formatted()) TWCS CSV rows", value: twcsSeconds,
            baselineName: "sqlite3 .import of the same rows", baseline: twcsImport,
            rate: Double(count) / twcsSeconds, unit: "rows/s", goal: Double(count) / Self.goalRate)

    }

    private func timePipeline(_ path: String, database: String) throws -> Double {
        let store = try SQLiteInboxStore(path: database)
        let applier = IngestApplier(clock: SystemClock(), triage: ClassifierTriage())
        var problems = 0
        let pipeline = IngestPipeline(store: store, applier: applier, options: .init()) { _ in problems += 1 }
        let started = DispatchTime.now()
        let summary = pipeline.ingest(.file(path), rejects: RejectsSink(path: path + ".rejects"))
        try store.checkpoint()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        guard summary.accepted == count - (path.hasSuffix(".csv") ? 0 : 0), problems == 0 else {
            throw BenchUsage("\(path): expected \(count) records in, got \(summary); \(problems) problems")
        }
        return seconds
    }

    private func timeImport(_ csv: String, database: String, schema: String, table: String, skipHeader: Bool = false) throws -> Double {
        try Shell.run("/usr/bin/sqlite3", [database, "PRAGMA journal_mode=WAL;", schema])
        let started = DispatchTime.now()
        try Shell.run("/usr/bin/sqlite3", [
            database, "PRAGMA synchronous=NORMAL;", ".import --csv \(skipHeader ? "--skip 1 " : "")\(csv) \(table)",
            "PRAGMA wal_checkpoint(TRUNCATE);",
        ])
        return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    }
}

/// A day of support traffic, deterministic: customers open threads, write follow-ups, and
/// (in the TWCS file) the brand answers most of them with a signed reply.
struct SyntheticFeed {
    let count: Int
    let start = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
    static let brands = ["AcmeSupport", "GlobexHelp", "InitechCare", "UmbrellaAir", "SoylentEats"]
    static let texts = [
        "my order hasn't arrived yet, can you help?", "the app keeps crashing when I log in",
        "thanks for the quick fix yesterday!", "why was I charged twice this month?",
        "¿dónde está mi pedido? llevo una semana esperando", "ログインできません。助けてください",
        "still waiting on a refund 😤", "is the outage in Berlin fixed now?",
    ]

    /// Every third mention follows up the customer's previous one.
    func parent(of index: Int) -> Int? { index % 3 == 2 ? index - 1 : nil }

    func writeJSONL(to path: String, csvTwin: String) throws {
        let jsonl = try LineWriter(path)
        let csv = try LineWriter(csvTwin)
        for index in 0..<count {
            let brand = Self.brands[index % Self.brands.count]
            let author = "customer\((index / 3) % 50_000)"
            let text = "@\(brand) \(Self.texts[index % Self.texts.count]) #\(index)"
            let time = start.adding(milliseconds: Int64(index) * 80).iso8601
            let reply = parent(of: index).map { #","in_reply_to":"\#($0)""# } ?? ""
            try jsonl.write(#"{"platform":"x","external_id":"\#(index)","channel":"\#(brand)","author":"\#(author)","text":"\#(text)","created_at":"\#(time)"\#(reply)}"#)
            try csv.write(["x", String(index), brand, author, text, time, parent(of: index).map(String.init) ?? ""].map(CSV.quote).joined(separator: ","))
        }
        try jsonl.close()
        try csv.close()
    }

    /// Pairs of rows: a customer tweet, then (for most) the brand's signed answer.
    func writeTWCS(to path: String) throws {
        let out = try LineWriter(path)
        try out.write("tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss Z yyyy"
        for index in 0..<count {
            let id = index + 1
            let time = formatter.string(from: start.adding(milliseconds: Int64(index) * 80_000).date)
            let brand = Self.brands[(index / 2) % Self.brands.count]
            if index % 2 == 0 {
                let author = String(100_000 + (index / 2) % 50_000)
                let text = "@\(brand) \(Self.texts[index % Self.texts.count]) #\(index)"
                try out.write(["\(id)", author, "True", time, text, "\(id + 1)", ""].map(CSV.quote).joined(separator: ","))
            } else {
                let author = String(100_000 + (index / 2) % 50_000)
                let initials = ["JK", "AB", "MR", ""][index % 4]
                let text = "@\(author) Sorry about that! Please DM us your order number." + (initials.isEmpty ? "" : " ^\(initials)")
                try out.write(["\(id)", brand, "False", time, text, "", "\(id - 1)"].map(CSV.quote).joined(separator: ","))
            }
        }
        try out.close()
    }
}

/// Buffered line output for generating large files quickly.
final class LineWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchUsage("cannot create \(path)") }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        buffer.reserveCapacity(1 << 21)
    }

    func write(_ line: String) throws {
        buffer += line.utf8
        buffer.append(0x0A)
        if buffer.count > 1 << 20 {
            handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        handle.write(Data(buffer))
        try handle.close()
    }
}
