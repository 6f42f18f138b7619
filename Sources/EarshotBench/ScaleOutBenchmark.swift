import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore
import Foundation
import Synchronization

/// PostgreSQL beside SQLite (docs/scale-out.md): claim round trips of `clients` clients spread
/// over two daemons sharing one database, how long an event written through one daemon takes to
/// reach a client of the other, the ingest write rate, and the statistics report over `count`
/// conversations. Needs a server: EARSHOT_BENCH_POSTGRES or EARSHOT_TEST_POSTGRES (`make bench`
/// starts a throwaway one).
struct ScaleOutBenchmark {
    let clients: Int
    let seconds: Int
    let count: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--clients", "--seconds"])
        clients = try options.extra["--clients"].map { try BenchUsage.int($0, "--clients") } ?? 50
        seconds = try options.extra["--seconds"].map { try BenchUsage.int($0, "--seconds") } ?? 10
        count = options.count
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["EARSHOT_BENCH_POSTGRES"] ?? environment["EARSHOT_TEST_POSTGRES"] else {
            print("scale-out: skipped, no PostgreSQL server (set EARSHOT_BENCH_POSTGRES=postgres://USER@HOST:PORT/DB, or run `make bench`)")
            return
        }
        let server = try PostgresLocation(url: url)
        func freshDatabase() throws -> PostgresLocation {
            let name = "earshot_bench_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
            try PostgresInboxStore.createDatabase(name, on: server)
            return server.database(name)
        }
        let dir = NSTemporaryDirectory() + "earshot-scale-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // Claims and cross-daemon events: SQLite with one daemon, PostgreSQL with two.
        let sqlite = try SQLiteInboxStore(path: dir + "/claims.sqlite")
        let single = try measureDaemons([sqlite], dir: dir + "/s")
        let location = try freshDatabase()
        let pair = try measureDaemons([try PostgresInboxStore(location: location), try PostgresInboxStore(location: location)], dir: dir + "/p")
        print(String(format: "scale-out: claim round trip, %d clients: PostgreSQL over two daemons p50 %.2f ms, p99 %.2f ms; SQLite, one daemon p50 %.2f ms, p99 %.2f ms (ratio p99 %.2f)",
                     clients, pair.claimP50, pair.claimP99, single.claimP50, single.claimP99, pair.claimP99 / single.claimP99))
        print(String(format: "scale-out: an event written through one daemon to a client of the other, p50 %.1f ms, p99 %.1f ms (%d events; goal p99 <= 100 ms); one SQLite daemon to its own client p99 %.1f ms",
                     pair.eventP50, pair.eventP99, pair.events, single.eventP99))

        // Ingest: one conversation with its first mention per transaction, as ingest writes them.
        let ingestSQLite = try ingestRate(into: try SQLiteInboxStore(path: dir + "/ingest.sqlite"))
        let ingestPostgres = try ingestRate(into: try PostgresInboxStore(location: try freshDatabase(), listen: false))
        print(String(format: "scale-out: ingest, a transaction per new conversation: PostgreSQL %.0f/s, SQLite %.0f/s (ratio %.2f)",
                     ingestPostgres, ingestSQLite, ingestPostgres / ingestSQLite))

        // File ingest through the real pipeline (batched transactions), at most 20,000 records.
        let fileCount = min(count, 20_000)
        let feed = SyntheticFeed(count: fileCount)
        let jsonl = dir + "/mentions.jsonl"
        try feed.writeJSONL(to: jsonl, csvTwin: dir + "/mentions-as.csv")
        let pipelineSQLite = try pipelineSeconds(jsonl, into: try SQLiteInboxStore(path: dir + "/pipeline.sqlite"))
        let pipelinePostgres = try pipelineSeconds(jsonl, into: try PostgresInboxStore(location: try freshDatabase(), listen: false))
        print(String(format: "scale-out: earshot ingest of %@ JSONL mentions: PostgreSQL %.0f/s, SQLite %.0f/s (ratio %.2f)",
                     fileCount.formatted(), Double(fileCount) / pipelinePostgres, Double(fileCount) / pipelineSQLite,
                     pipelineSQLite / pipelinePostgres))

        // Statistics over `count` conversations: the SQLite history copied into PostgreSQL.
        let statsPath = dir + "/stats.sqlite"
        try StatsBenchmark(arguments: ["--count", String(count)]).generate(statsPath)
        let statsSQLite = try SQLiteInboxStore(path: statsPath, mode: .mustExist)
        let statsPostgres = try PostgresInboxStore(location: try freshDatabase(), listen: false)
        let copySeconds = try StatsBenchmark.time { try StoreCopy.copy(from: statsSQLite, to: statsPostgres) }
        let events = try statsSQLite.read { try $0.counts().events }
        // The wait facts are computed once after a history arrives by other means (here SQL and
        // the copy), then kept as writes come; the reports below read them.
        let factsSQLite = try StatsBenchmark.time { try statsSQLite.refreshWaitFacts() }
        let factsPostgres = try StatsBenchmark.time { try statsPostgres.refreshWaitFacts() }
        print(String(format: "scale-out: wait facts computed once for %@ conversations: PostgreSQL %.1f s, SQLite %.1f s",
                     count.formatted(), factsPostgres, factsSQLite))
        for grouping in [StatsGrouping.responder, .day] {
            let onSQLite = try StatsBenchmark.time { _ = try StatsEngine(store: statsSQLite, sla: SLAPolicy(), clock: SystemClock()).report(grouping: grouping) }
            let onPostgres = try StatsBenchmark.time { _ = try StatsEngine(store: statsPostgres, sla: SLAPolicy(), clock: SystemClock()).report(grouping: grouping) }
            print(String(format: "scale-out: stats --by %@ over %@ conversations, %@ events: PostgreSQL %.2f s, SQLite %.2f s (ratio %.2f)",
                         grouping.rawValue, count.formatted(), events.formatted(), onPostgres, onSQLite, onPostgres / onSQLite))
        }
        print(String(format: "scale-out: earshot db copy of that history into PostgreSQL: %.1f s", copySeconds))
        statsPostgres.close()
    }

    struct DaemonFigures {
        var claimP50 = Double.nan, claimP99 = Double.nan, eventP50 = Double.nan, eventP99 = Double.nan, events = 0
    }

    /// Clients spread over the daemons (one per store) claim new conversations as they come in
    /// through the first; a client of the last daemon times each event's arrival.
    func measureDaemons(_ stores: [any InboxStore], dir: String) throws -> DaemonFigures {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let me = loginName(of: getuid()) ?? "root"
        let policy = { var p = AssignmentPolicy(); p.routing = .manual; return p }()
        var services = stores.map { InboxService(store: $0, clock: SystemClock(), policy: policy) }
        services[0].administrators = [me]
        try services[0].addResponder(NewResponder(login: me, displayName: "Bench", initials: "BE", role: .supervisor,
                                                  availability: .available, capacity: 1_000_000), by: me)
        let servers = services.enumerated().map { index, service in
            let server = DaemonServer(service: service, socketPath: dir + "/d\(index).sock", log: { _ in })
            server.limits.connectionsPerUser = max(64, clients + 2)
            return server
        }
        for server in servers { try server.start() }
        defer { for server in servers { server.stop() } }

        let latencies = Latencies()
        let stop = Flag()
        let listener = try DaemonConnection(path: servers.last!.socketPath)
        let listening = Thread {
            while !stop.isSet, let event = try? listener.nextEvent() {
                if event.kind == .opened { latencies.addDelivery(SystemClock().now().milliseconds(since: event.at)) }
            }
        }
        listening.start()
        let feed = IngestApplierFeed(store: stores[0])
        let queue = Mutex<[ConversationID]>([])
        let connections = try (0..<clients).map { try DaemonConnection(path: servers[$0 % servers.count].socketPath) }
        let done = DispatchGroup()
        for connection in connections {
            done.enter()
            Thread.detachNewThread {
                while !stop.isSet {
                    guard let id = queue.withLock({ $0.popLast() }) else { usleep(2_000); continue }
                    let before = DispatchTime.now()
                    _ = try? connection.call(Inbox.Claim(id))
                    latencies.addClaim(Double(DispatchTime.now().uptimeNanoseconds - before.uptimeNanoseconds) / 1e6)
                }
                done.leave()
            }
        }
        // 200 new conversations a second, each claimed by one of the clients.
        let start = Date()
        var sent = 0
        while Date().timeIntervalSince(start) < Double(seconds) {
            let id = try feed.add(index: sent)
            queue.withLock { $0.append(id) }
            sent += 1
            let wait = start.addingTimeInterval(Double(sent) / 200).timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        Thread.sleep(forTimeInterval: 0.5)
        stop.set()
        done.wait()
        listener.close()
        let (events, claims) = latencies.sorted()
        let p = AccountBenchmark.percentile
        return DaemonFigures(claimP50: p(claims, 0.5), claimP99: p(claims, 0.99), eventP50: p(events, 0.5),
                             eventP99: p(events, 0.99), events: events.count)
    }

    func pipelineSeconds(_ path: String, into store: any InboxStore) throws -> Double {
        let pipeline = IngestPipeline(store: store, applier: IngestApplier(clock: SystemClock(), triage: ClassifierTriage()), options: .init()) { _ in }
        return try StatsBenchmark.time { _ = pipeline.ingest(.file(path), rejects: RejectsSink(path: path + ".rejects")) }
    }

    func ingestRate(into store: any InboxStore) throws -> Double {
        let feed = IngestApplierFeed(store: store)
        let total = 2_000
        let seconds = try StatsBenchmark.time { for index in 0..<total { _ = try feed.add(index: index) } }
        return Double(total) / seconds
    }
}
