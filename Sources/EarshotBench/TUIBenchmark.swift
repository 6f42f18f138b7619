import EarshotCore
import EarshotService
import EarshotStore
import Foundation

/// `earshot-bench tui`: the inbox in the terminal over a store of N conversations (default
/// 1,000,000), beside the same start-up over a store with no conversations. Each measurement is
/// a fresh child process (`earshot-bench tui-run`), so its clock starts at the spawn and its
/// resident memory is its own: start to the first full frame on a 120x40 `MemoryTerminal`,
/// j/k keypresses handled and drawn (through the windowed reads), G, Enter, and VmRSS.
///
/// Runs: one with the store's pages dropped from the OS cache first (`posix_fadvise`, this
/// file's pages only; no root, no effect on anything else), then `--runs` warm ones.
struct TUIBenchmark {
    static let login = "bench"
    static let targets = (firstFrame: 0.300, keypress: 0.005, memoryMB: 45.0, keyUnderLoad: 0.010)

    let count: Int
    let directory: String?
    let runs: Int
    let presses: Int

    /// `tui ...` measures; `tui-run ...` is one measured child process.
    static func command(_ arguments: [String]) throws {
        let rest = Array(arguments.dropFirst())
        if arguments.first == "tui-run" { try TUIRun(arguments: rest).run() } else { try TUIBenchmark(arguments: rest).run() }
    }

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--runs", "--presses"])
        (count, directory) = (options.count, options.directory)
        runs = try options.extra["--runs"].map { try BenchUsage.int($0, "--runs") } ?? 3
        presses = try options.extra["--presses"].map { try BenchUsage.int($0, "--presses") } ?? 1_000
    }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-tui-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        // Named by size, so a reused --dir never mixes a store of another count into the figures.
        let big = dir + "/tui-\(count).sqlite"
        let empty = dir + "/tui-empty.sqlite"
        if !FileManager.default.fileExists(atPath: big) {
            let seconds = try StatsBenchmark.time { try TUIStoreGenerator(count: count, login: Self.login).generate(big) }
            print("generated \(count.formatted()) conversations in \(BenchReport.seconds(seconds))")
        }
        if !FileManager.default.fileExists(atPath: empty) {
            try TUIStoreGenerator(count: 0, login: Self.login).generate(empty)
        }

        let bigRuns = try measure(big)
        let emptyRuns = try measure(empty)
        report(bigRuns, emptyRuns, bigPath: big)
    }

    /// One cold run, then `runs` warm ones, each in a fresh process.
    private func measure(_ path: String) throws -> [TUIRunResult] {
        var results: [TUIRunResult] = []
        for index in 0...runs {
            if index == 0 { Self.dropFromPageCache(path) }
            var result = try spawn(path)
            result.cold = index == 0
            if index == 0 { result.storePagesRead = Self.residentBytes(path) }
            results.append(result)
        }
        return results
    }

    private func spawn(_ path: String) throws -> TUIRunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executablePath())
        let output = Pipe()
        process.standardOutput = output
        let spawned = TUIRun.monotonicNanoseconds()
        process.arguments = ["tui-run", "--db", path, "--spawned", String(spawned), "--presses", String(presses)]
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchUsage("tui-run on \(path) exited with \(process.terminationStatus)") }
        return try JSONDecoder().decode(TUIRunResult.self, from: data)
    }

    static func executablePath() throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// Evicts the database's pages (and its WAL's) from the kernel's cache, so the next process
    /// reads them from disk. Clean pages only: flushed first.
    static func dropFromPageCache(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            let descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else { continue }
            fsync(descriptor)
            _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            close(descriptor)
        }
    }

    /// Bytes of a file in the kernel's page cache (mmap + mincore; maps nothing into memory for long).
    static func residentBytes(_ path: String) -> Int? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return nil }
        let length = Int(info.st_size)
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, length) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + page - 1) / page)
        guard mincore(map, length, &vector) == 0 else { return nil }
        return vector.reduce(0) { $0 + Int($1 & 1) } * page
    }

    // MARK: - Report

    private func report(_ big: [TUIRunResult], _ empty: [TUIRunResult], bigPath: String) {
        let (bigWarm, emptyWarm) = (big.filter { !$0.cold }, empty.filter { !$0.cold })
        let (bigCold, emptyCold) = (big.first { $0.cold }!, empty.first { $0.cold }!)
        let storeName = "\(count.formatted()) conversations"
        let baselineName = "empty store"
        func ms(_ values: [Double]) -> String { values.map { String(format: "%.0f", $0 * 1000) }.joined(separator: ", ") }

        print("earshot tui over \(storeName), 120x40, a fresh process per run; keys in the \(bigWarm.first?.view ?? "?") view (j moved the selection \(bigWarm.first?.moved ?? 0) rows)")
        let firstFrame = median(bigWarm.map(\.firstFrame))
        BenchReport.line(
            name: "start to first full frame (median of \(bigWarm.count) warm runs: \(ms(bigWarm.map(\.firstFrame))) ms)", value: firstFrame,
            baselineName: baselineName, baseline: median(emptyWarm.map(\.firstFrame)))
        BenchReport.line(
            name: "start to first full frame, store evicted from the page cache", value: bigCold.firstFrame,
            baselineName: baselineName, baseline: emptyCold.firstFrame)
        let breakdown = median(bigWarm.map(\.toMain)), open = median(bigWarm.map(\.openStore)),
            deliverer = median(bigWarm.map(\.deliverer)), summary = median(bigWarm.map(\.summary)),
            start = median(bigWarm.map(\.appStart))
        print(String(format: "  of which (median): spawn to main %.1f ms, open store %.1f ms, service and deliverer %.1f ms, summary %.1f ms, App.start %.1f ms (%d rows read)",
                     breakdown * 1000, open * 1000, deliverer * 1000, summary * 1000, start * 1000, bigWarm.first?.firstRows ?? 0))
        print(String(format: "  empty store (median): spawn to main %.1f ms, open store %.1f ms, service and deliverer %.1f ms, summary %.1f ms, App.start %.1f ms",
                     median(emptyWarm.map(\.toMain)) * 1000, median(emptyWarm.map(\.openStore)) * 1000, median(emptyWarm.map(\.deliverer)) * 1000,
                     median(emptyWarm.map(\.summary)) * 1000, median(emptyWarm.map(\.appStart)) * 1000))

        if let read = bigCold.storePagesRead, let size = try? FileManager.default.attributesOfItem(atPath: bigPath)[.size] as? Int {
            print(String(format: "  the cold run read %.1f MB of the %.0f MB store file (pages in the OS cache afterwards)",
                         Double(read) / 1_048_576, Double(size) / 1_048_576))
        }
        let j = bigWarm.flatMap(\.down), jBase = emptyWarm.flatMap(\.down)
        let k = bigWarm.flatMap(\.up), kBase = emptyWarm.flatMap(\.up)
        let reads = bigWarm.flatMap(\.downReads)
        for (name, values, base) in [("j", j, jBase), ("k", k, kBase)] {
            for (label, q) in [("p50", 0.5), ("p99", 0.99), ("max", 1.0)] {
                BenchReport.line(
                    name: "\(name) handled and drawn, \(label) of \(values.count)", value: percentile(values, q),
                    baselineName: baselineName, baseline: percentile(base, q))
            }
        }
        let (jCPU, kCPU) = (bigWarm.flatMap(\.downCPU), bigWarm.flatMap(\.upCPU))
        print(String(format: "  on-CPU time of the loop thread for the same presses (the key and the frame; reads run on the effect thread): j p50 %.3f ms, p99 %.3f ms, max %.3f ms; k p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                     percentile(jCPU, 0.5) * 1000, percentile(jCPU, 0.99) * 1000, percentile(jCPU, 1) * 1000,
                     percentile(kCPU, 0.5) * 1000, percentile(kCPU, 0.99) * 1000, percentile(kCPU, 1) * 1000))
        print("  rows held in the queue window after \(presses) j: \(bigWarm.map { String($0.rowsAfterDown) }.joined(separator: ", "))")
        if !reads.isEmpty {
            print(String(format: "  j presses that read a window: %d of %d, p50 %.3f ms, max %.3f ms",
                         reads.count, j.count, percentile(reads, 0.5) * 1000, percentile(reads, 1) * 1000))
        }
        let upReads = bigWarm.flatMap(\.upReads)
        if !upReads.isEmpty {
            print(String(format: "  k presses that read a window: %d of %d, p50 %.3f ms, max %.3f ms",
                         upReads.count, k.count, percentile(upReads, 0.5) * 1000, percentile(upReads, 1) * 1000))
        }
        print(String(format: "  of a j: a 54-row window read through the API alone p50 %.3f ms (empty store: %.3f ms); rendering a frame alone p50 %.3f ms (empty store: %.3f ms)",
                     percentile(bigWarm.flatMap(\.windowRead), 0.5) * 1000, percentile(emptyWarm.flatMap(\.windowRead), 0.5) * 1000,
                     percentile(bigWarm.flatMap(\.frame), 0.5) * 1000, percentile(emptyWarm.flatMap(\.frame), 0.5) * 1000))
        BenchReport.line(name: "G (the last window) handled and drawn, median", value: median(bigWarm.map(\.bottom)),
                         baselineName: baselineName, baseline: median(emptyWarm.map(\.bottom)))
        BenchReport.line(name: "v (switch view, first window) handled and drawn, median", value: median(bigWarm.flatMap(\.switchView)),
                         baselineName: baselineName, baseline: median(emptyWarm.flatMap(\.switchView)))
        BenchReport.line(name: "Enter (open the thread) handled and drawn, median", value: median(bigWarm.map(\.openThread)),
                         baselineName: baselineName + " (nothing to open)", baseline: median(emptyWarm.map(\.openThread)))

        let underLoad = bigWarm.flatMap(\.keysUnderLoad), underLoadBase = emptyWarm.flatMap(\.keysUnderLoad)
        for (label, q) in [("p50", 0.5), ("p99", 0.99), ("max", 1.0)] {
            BenchReport.line(
                name: "a key while the supervisor pane refreshes and 200 mentions/s arrive, \(label) of \(underLoad.count)",
                value: percentile(underLoad, q), baselineName: baselineName, baseline: percentile(underLoadBase, q))
        }
        print("  supervisor snapshots that arrived meanwhile: \(bigWarm.map { String($0.supervisorRefreshes) }.joined(separator: ", ")); "
            + "mentions ingested meanwhile: \(bigWarm.map { String($0.arrivalsUnderLoad) }.joined(separator: ", "))")

        let rssFirst = median(bigWarm.map(\.rssAfterFirstFrameMB)), rssKeys = median(bigWarm.map(\.rssAfterKeysMB))
        let peak = bigWarm.map(\.peakRSSMB).max() ?? 0
        memoryLine("resident memory after the first frame", rssFirst, median(emptyWarm.map(\.rssAfterFirstFrameMB)))
        memoryLine("resident memory after the keypresses", rssKeys, median(emptyWarm.map(\.rssAfterKeysMB)))
        memoryLine("peak resident memory (VmHWM), highest run", peak, emptyWarm.map(\.peakRSSMB).max() ?? 0)

        let keypress = max(percentile(j, 0.99), percentile(k, 0.99))
        let memory = max(rssFirst, rssKeys, peak)
        print("targets:")
        print(verdict(String(format: "first frame ≤ 300 ms (warm median %.0f ms, cold %.0f ms)", firstFrame * 1000, bigCold.firstFrame * 1000),
                      max(firstFrame, bigCold.firstFrame) <= Self.targets.firstFrame))
        let onCPU = max(percentile(bigWarm.flatMap(\.downCPU), 0.99), percentile(bigWarm.flatMap(\.upCPU), 0.99))
        print(verdict(String(format: "keypress ≤ 5 ms (wall p99 of j and k %.2f ms, max %.2f ms; on-CPU p99 %.2f ms)", keypress * 1000,
                             max(percentile(j, 1), percentile(k, 1)) * 1000, onCPU * 1000),
                      keypress <= Self.targets.keypress))
        print(verdict(String(format: "memory ≤ %.0f MB (issue 18; peak %.1f MB)", Self.targets.memoryMB, memory), memory <= Self.targets.memoryMB))
        let keyUnderLoad = percentile(underLoad, 0.99)
        print(verdict(String(format: "a key during a supervisor refresh and 200 mentions/s ≤ 10 ms (p99 %.2f ms, max %.2f ms)",
                             keyUnderLoad * 1000, percentile(underLoad, 1) * 1000),
                      keyUnderLoad <= Self.targets.keyUnderLoad))
    }

    private func memoryLine(_ name: String, _ value: Double, _ baseline: Double) {
        print(String(format: "%@: %.1f MB | baseline, empty store: %.1f MB | ratio %.2fx", name, value, baseline, value / baseline))
    }

    private func verdict(_ text: String, _ met: Bool) -> String { "  \(text): \(met ? "met" : "MISSED")" }

    private func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

    /// Nearest-rank percentile; `q` 1 is the maximum.
    private func percentile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}

/// What one `tui-run` child measured, as one line of JSON on its stdout. Times in seconds.
struct TUIRunResult: Codable {
    var cold = false
    /// After the cold run: bytes of the store file in the page cache, i.e. what the run read.
    var storePagesRead: Int?
    /// From the parent's spawn to the child's `main`: exec, loading, the Swift runtime.
    var toMain: Double
    var openStore: Double
    /// The service, the inbox API and the outbox deliverer started (it recovers interrupted deliveries).
    var deliverer: Double
    /// The first summary (who am I), as `earshot tui` reads it before taking the screen.
    var summary: Double
    var appStart: Double
    /// From the spawn to the first frame presented.
    var firstFrame: Double
    var firstRows: Int
    var view: String
    /// j presses after which another conversation was selected.
    var moved: Int
    /// Rows the queue window held after the j presses.
    var rowsAfterDown: Int
    var switchView: [Double]
    var down: [Double]
    /// The same presses in the main thread's CPU time (wall time minus time preempted or waiting).
    var downCPU: [Double]
    var downReads: [Double]
    var up: [Double]
    var upCPU: [Double]
    var upReads: [Double]
    /// 20 reads of the 54-row window j reads ahead, through the API (no drawing).
    var windowRead: [Double]
    /// 20 renders of the frame (no reading, no presenting).
    var frame: [Double]
    var bottom: Double
    var openThread: Double
    /// Keys (arrival to frame) while the supervisor pane refreshed and mentions arrived at 200/s.
    var keysUnderLoad: [Double] = []
    var supervisorRefreshes = 0
    var arrivalsUnderLoad = 0
    var rssAfterFirstFrameMB: Double
    var rssAfterKeysMB: Double
    var peakRSSMB: Double
}

/// Writes a store the way a year of a busy inbox looks, with SQL (fast; the benchmark measures
/// reading it): one conversation every 30 seconds for N conversations, ending a minute ago.
/// The newest 20,000 hold the live work: 60% open (at 1,000,000: 400 assigned to the bench's
/// responder, 1,600 to 20 agents, 200 set-aside spam, 9,800 unassigned), 10% pending, 10%
/// snoozed, 20% resolved; older ones are resolved but for one in 97 pending. Open
/// conversations have an SLA due 1–4 hours after the customer wrote; every conversation that is
/// not resolved has its customer message (the thread pane reads it); each has an `opened` event.
struct TUIStoreGenerator {
    let count: Int
    let login: String

    func generate(_ path: String) throws {
        _ = try SQLiteInboxStore(path: path)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let recent = 20_000
        let customers = max(1, min(100_000, count / 10))
        var script = """
            PRAGMA synchronous = OFF;
            BEGIN;
            INSERT INTO channel (id, platform, handle, display_name, created_at) VALUES (1, 'x', 'AcmeSupport', 'Acme', \(now - 400 * 86_400_000));
            INSERT INTO responder (id, login, display_name, initials, role, availability, capacity)
                VALUES (1, '\(login)', 'Bench Responder', 'BR', 'supervisor', 'available', 10);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
            INSERT INTO responder (id, login, display_name, initials, role, availability, capacity)
                SELECT 1 + i, 'agent' || i, 'Agent ' || i, 'A' || char(64 + i), 'agent', 'available', 10 FROM n;

            """
        if count > 0 {
            script += """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(customers))
                INSERT INTO customer (id, platform, handle, display_name, first_seen)
                    SELECT i, 'x', 'customer' || i, 'Customer ' || i, \(now - 400 * 86_400_000) FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)),
                c AS (
                    SELECT i, \(now) - 60000 - (\(count) - i) * 30000 AS t, i % 4 AS priority,
                        CASE WHEN i <= \(count - recent) THEN (CASE WHEN i % 97 = 0 THEN 'pending' ELSE 'resolved' END)
                             WHEN i % 10 < 6 THEN 'open' WHEN i % 10 = 6 THEN 'pending' WHEN i % 10 = 7 THEN 'snoozed'
                             ELSE 'resolved' END AS status
                    FROM n),
                d AS (
                    SELECT *, (i * 7919 % 21600) * 1000 AS reply_delay,
                        CASE WHEN status = 'open' AND i % 100 = 55 THEN 1 ELSE 0 END AS aside,
                        CASE WHEN status = 'open' THEN (CASE WHEN i % 50 = 0 THEN 1 WHEN i % 50 IN (10, 20, 30, 40) THEN 2 + i % 20 END)
                             WHEN status = 'resolved' AND i % 21 = 0 THEN 1
                             ELSE 2 + i % 20 END AS assignee
                    FROM c)
                INSERT INTO conversation (id, channel_id, customer_id, status, snoozed_until, priority, triage_class, triage_reason,
                    routable, assignee_id, cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since,
                    sla_due_at, preview, last_reply_at, assigned_at, touched_at)
                SELECT i, 1, 1 + i % \(customers), status,
                    CASE WHEN status = 'snoozed' THEN \(now) + (1 + i % 48) * 3600000 END,
                    priority,
                    CASE WHEN aside = 1 THEN 'spam' WHEN i % 7 = 0 THEN 'complaint' WHEN i % 7 = 1 THEN 'praise'
                         WHEN i % 7 = 2 THEN 'other' ELSE 'question' END,
                    'bench', 1 - aside, assignee, 1, t, t,
                    CASE WHEN status = 'open' THEN t WHEN status = 'resolved' THEN t + reply_delay + 600000 ELSE t + reply_delay END,
                    t,
                    CASE WHEN status = 'open' THEN t END,
                    CASE WHEN status = 'open' THEN t + (4 - priority) * 3600000 END,
                    CASE i % 5
                        WHEN 0 THEN 'where is my order #' || i || '? it was due ' || (1 + i % 28) || ' days ago'
                        WHEN 1 THEN 'the app logs me out every time I open it'
                        WHEN 2 THEN 'thanks, the new café menu is great ☕'
                        WHEN 3 THEN 'still waiting for a refund on order ' || (i * 31 % 100000)
                        ELSE 'can I change the delivery address after ordering?' END,
                    CASE WHEN status <> 'open' THEN t + reply_delay END,
                    CASE WHEN assignee IS NOT NULL THEN t + 60000 END,
                    CASE WHEN assignee IS NOT NULL THEN t + 60000 END
                FROM d;
                INSERT INTO mention (id, platform, external_id, channel_id, customer_id, conversation_id, cycle, kind, text, created_at, raw)
                    SELECT id, 'x', 'bench-' || id, channel_id, customer_id, id, 1, 'mention',
                        '@AcmeSupport ' || preview || ' (sent from my phone, conversation ' || id || ')', created_at, '{}'
                    FROM conversation WHERE status <> 'resolved';
                INSERT INTO event (at, kind, actor, conversation_id, detail, occurred_at)
                    SELECT created_at, 'opened', 'ingest', id, '{"message_at":"' || created_at || '"}', created_at FROM conversation;

                """
        }
        script += """
            \(SQLiteSearchIndex.flushSQL)
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Shell.run("/usr/bin/sqlite3", [path, script])
    }
}
