import EarshotCore
import EarshotDemo
import EarshotService
import EarshotStore
import Foundation
import GRDB

/// Wave detection (issue 19, docs/waves.md): the cost of `InboxService.detectWaves()` per
/// incoming mention over a store of N conversations, beside a plain paged SELECT of the same
/// mentions. The history (one mention per conversation, 20 s apart, most resolved) is written
/// with SQL and the detector's watermark set to its last mention, as after an upgrade; a first
/// untimed pass warms the detector from the 5,000 messages before the watermark (28 hours, so
/// every ordinary word has its usual rate). Then M new mentions arrive, each opening an open
/// conversation, with three bursts among them; detection runs after every P new mentions, as
/// the clock's tick would, and only those calls are timed.
struct WaveBenchmark {
    let count: Int
    let directory: String?
    let mentions: Int
    let pass: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--mentions", "--pass"])
        (count, directory) = (options.count, options.directory)
        mentions = try options.extra["--mentions"].map { try BenchUsage.int($0, "--mentions") } ?? 20_000
        pass = try options.extra["--pass"].map { try BenchUsage.int($0, "--pass") } ?? 200
        guard count >= 10_000, mentions >= 1_000, pass >= 1 else {
            throw BenchUsage("waves needs --count of at least 10000, --mentions of at least 1000 and --pass of at least 1")
        }
    }

    /// The history's first mention; one every 20 s after it (180 an hour, 4,320 a day).
    static let start: Int64 = 1_780_000_000_000
    static let spacing: Int64 = 20_000

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-waves-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        // The history is kept (with --dir); each run writes its new mentions into a copy of it.
        let pristine = dir + "/waves-\(count).sqlite"
        if !FileManager.default.fileExists(atPath: pristine) { try generate(pristine) }
        let path = dir + "/waves-\(count)-run-\(getpid()).sqlite"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: pristine, toPath: path)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let firstNewTime = Self.start + Int64(count + 1) * Self.spacing
        let clock = ManualClock(Timestamp(millisecondsSinceEpoch: firstNewTime - Self.spacing))
        let service = InboxService(store: store, clock: clock)

        // Untimed: the watermark is the history's last mention, so this pass reads nothing new;
        // it builds the detector from the 5,000 messages before the watermark.
        let watermark = try store.read { try $0.waveProgress() }
        guard watermark == Int64(count) else { throw BenchUsage("waves: watermark \(watermark), expected \(count)") }
        let warmUp = try StatsBenchmark.time { try service.detectWaves() }

        let feed = WaveFeed(firstTime: firstNewTime, ordinary: mentions - WaveFeed.bursts.count * WaveFeed.burstSize)
        let messages = feed.messages()
        // WaveReport has no public initializer: the passes' reports are summed here.
        var report = (read: 0, formed: [Int64](), joined: 0, left: 0)
        var detection: [Double] = []
        var burstOf: [ConversationID: Int] = [:]
        var index = 0
        while index < messages.count {
            let chunk = messages[index..<min(index + pass, messages.count)]
            index += chunk.count
            try store.write { writer in
                for message in chunk {
                    let id = try Self.open(message, in: writer)
                    if message.index >= feed.ordinary { burstOf[id] = (message.index - feed.ordinary) / WaveFeed.burstSize }
                }
            }
            clock.set(Timestamp(millisecondsSinceEpoch: chunk.last!.at))
            var passReport: WaveReport?
            detection.append(try StatsBenchmark.time { passReport = try service.detectWaves() })
            guard let passReport else { throw BenchUsage("waves: a pass reported nothing") }
            report.read += passReport.read
            report.formed += passReport.formed
            report.joined += passReport.joined
            report.left += passReport.left
        }

        // Each wave formed, with its members and the bursts its burst posts came from.
        let waves = try store.read { reader in
            try report.formed.compactMap { id in try reader.wave(id).map { ($0, try reader.waveMembers(id)) } }
        }.map { wave, members in (wave: wave, members: members.count, bursts: members.compactMap { burstOf[$0.conversationID] }) }
        // The figure must be of real work: every new mention read, waves formed, each burst's posts in waves.
        let minimum = WaveDetector.Settings().minimum
        let placed = WaveFeed.bursts.indices.map { b in waves.map { $0.bursts.filter { $0 == b }.count }.reduce(0, +) }
        guard report.read == messages.count, report.formed.count >= 3, placed.allSatisfy({ $0 >= minimum }) else {
            throw BenchUsage("""
                waves: expected \(messages.count) mentions read, 3 waves or more and each burst's posts in waves; read \(report.read), \
                formed \(report.formed.count) (\(waves.map(\.wave.name).joined(separator: ", "))), burst posts in waves \(placed)
                """)
        }

        // Baseline: the same mentions read with a plain paged SELECT, on a connection of its own.
        let firstNew = Int64(count)
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        var plainRead = 0
        let baseline = try Self.median((0..<3).map { _ in
            try StatsBenchmark.time {
                plainRead = try queue.read { db in
                    var last = firstNew, rows = 0
                    while true {
                        let page = try Row.fetchAll(
                            db, sql: "SELECT id, conversation_id, text FROM mention WHERE id > ? ORDER BY id LIMIT 2000", arguments: [last])
                        guard let end = page.last else { return rows }
                        for row in page { _ = (row[0] as Int64, row[1] as Int64, row[2] as String) }
                        rows += page.count
                        last = end[0]
                    }
                }
            }
        })
        // The store's own read of them (with each conversation's status), in passes of the same size.
        let storeRead = try Self.median((0..<3).map { _ in
            try StatsBenchmark.time {
                var last = firstNew
                while let end = try store.read({ try $0.customerMessages(afterMention: last, limit: pass) }).last { last = end.mentionID }
            }
        })
        guard plainRead == messages.count else { throw BenchUsage("waves: the baseline read \(plainRead) mentions") }

        let total = detection.reduce(0, +)
        let perMention = total / Double(report.read), perBaseline = baseline / Double(plainRead)
        let size = ForecastBenchmark.compact(count)
        BenchReport.line(
            name: "waves: detection per incoming mention, \(report.read.formatted()) new over \(size) conversations "
                + "(detectWaves every \(pass))",
            value: perMention, baselineName: "plain SELECT id, conversation_id, text of the same mentions, pages of 2,000",
            baseline: perBaseline, goal: 0.001)
        print(String(
            format: "  waves: %@ mentions read in %d passes (%@ in all, slowest pass %@), %@ joined, %d left; warm-up %@; "
                + "the store's read of the messages alone %@ a mention",
            report.read.formatted(), detection.count, BenchReport.seconds(total), BenchReport.seconds(detection.max() ?? 0),
            report.joined.formatted(), report.left, BenchReport.seconds(warmUp), BenchReport.seconds(storeRead / Double(report.read))))
        // Where each burst's posts went, and the waves no burst formed.
        let destinations = WaveFeed.bursts.enumerated().map { b, burst in
            burst.word + " → " + waves.compactMap { wave in
                let posts = wave.bursts.filter { $0 == b }.count
                return posts == 0 ? nil : "\(wave.wave.name) [\(wave.wave.topic)] \(posts)"
            }.joined(separator: ", ")
        }
        let chance = waves.filter { $0.bursts.count < minimum }
        print("  waves: \(waves.count) formed; the bursts' posts in waves: \(destinations.joined(separator: "; ")); "
              + "\(chance.count) waves on ordinary words (\(chance.prefix(5).map(\.wave.name).joined(separator: ", "))"
              + "\(chance.count > 5 ? "..." : "")), \(chance.map(\.members).reduce(0, +).formatted()) members")
    }

    /// One new mention opening an open conversation, as ingest writes it.
    static func open(_ message: WaveFeed.Message, in writer: any InboxWriter) throws -> ConversationID {
        let at = Timestamp(millisecondsSinceEpoch: message.at)
        let customer = CustomerID(message.customer)
        return try writer.openConversation(
            NewConversation(channelID: ChannelID(1), customerID: customer, triageClass: .complaint, triageReason: "bench",
                            startedAt: at, preview: message.text),
            with: NewMention(platform: .x, externalID: "wave-bench-\(message.index)", channelID: ChannelID(1), customerID: customer,
                             conversationID: ConversationID(0), text: "@AcmeSupport " + message.text, createdAt: at, rawPayload: "{}"),
            because: EventDraft(.opened, by: .ingest, at: at, detail: ["message_at": String(message.at)])).0.id
    }

    static func median(_ values: [Double]) -> Double { ForecastBenchmark.median(values) }

    /// Writes the history with SQL (fast; the benchmark measures what comes after it): N
    /// conversations, one customer mention each, 20 s apart, with the same mix of texts as the
    /// new mentions; one in 250 still open, the rest resolved. The detector's watermark is set
    /// to the last mention, so the history itself is not read for waves.
    func generate(_ path: String) throws {
        _ = try SQLiteInboxStore(path: path)
        let start = Self.start, spacing = Self.spacing
        let phrases = WaveFeed.phrases.enumerated()
            .map { "(\($0.offset), '\($0.element.replacingOccurrences(of: "'", with: "''"))')" }.joined(separator: ", ")
        let script = """
            PRAGMA synchronous = OFF;
            BEGIN;
            \(BenchFixtures.teamAndCustomers(at: start))
            CREATE TEMP TABLE bench_phrase (k INTEGER PRIMARY KEY, text TEXT NOT NULL);
            INSERT INTO bench_phrase (k, text) VALUES \(phrases);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count))
            INSERT INTO conversation (id, channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                cycle, cycle_started_at, created_at, updated_at, last_customer_at, waiting_since, last_reply_at, preview)
                SELECT i, 1, \(WaveFeed.customerSQL("i")), CASE WHEN i % 250 = 0 THEN 'open' ELSE 'resolved' END, 1, 'question', 'bench', 1,
                    1, \(start) + i * \(spacing), \(start) + i * \(spacing), \(start) + i * \(spacing), \(start) + i * \(spacing),
                    CASE WHEN i % 250 = 0 THEN \(start) + i * \(spacing) END,
                    CASE WHEN i % 250 = 0 THEN NULL ELSE \(start) + i * \(spacing) + 600000 END, 'where is my order?'
                FROM n;
            INSERT INTO mention (id, platform, external_id, channel_id, customer_id, conversation_id, cycle, kind, text, created_at, raw)
                SELECT c.id, 'x', 'wave-history-' || c.id, 1, c.customer_id, c.id, 1, 'mention',
                    '@AcmeSupport ' || replace(p.text, '{order}', \(WaveFeed.orderSQL("c.id"))), c.created_at, '{}'
                FROM conversation c JOIN bench_phrase p ON p.k = \(WaveFeed.phraseSQL("c.id")) ORDER BY c.id;
            UPDATE wave_progress SET last_mention_id = (SELECT max(id) FROM mention) WHERE id = 1;
            \(SQLiteSearchIndex.flushSQL)
            COMMIT;
            PRAGMA wal_checkpoint(TRUNCATE);
            """
        try Shell.run("/usr/bin/sqlite3", [path, script])
    }
}

/// The texts: ordinary customer messages (the demo's generator's) and three bursts of 40 posts within minutes, each sharing one
/// word: an error code at checkout (English), an error code at login (Spanish), a product
/// (English and Spanish). The same message number always gives the same text.
struct WaveFeed {
    struct Message {
        var index: Int
        var at: Int64
        var customer: Int64
        var text: String
    }

    struct Burst {
        var word: String
        var texts: [String]
    }

    static let burstSize = 40
    /// Seconds between a burst's posts: 40 posts in under 7 minutes.
    static let burstSpacing: Int64 = 10_000

    static let bursts = [
        Burst(word: "7741", texts: [
            "checkout fails with error 7741", "error 7741 when I try to pay for {order}", "payment page says error 7741, tried {n} times",
            "is checkout down? error 7741 in {city}", "getting error 7741 at checkout again", "can't pay, error 7741 every time",
        ]),
        Burst(word: "6120", texts: [
            "no puedo entrar en la app, me sale el error 6120", "¿alguien más con el error 6120 al iniciar sesión?",
            "la app me da el error 6120 desde hace {minutes} minutos", "error 6120 otra vez, no funciona la app",
            "me sale el error 6120 al entrar en mi cuenta",
        ]),
        Burst(word: "zephyr", texts: [
            "my Zephyr card reader won't pair since the update", "Zephyr reader stuck on a red light in {city}",
            "el lector Zephyr no conecta desde la actualización", "¿el lector Zephyr no funciona? tengo la tienda parada",
            "Zephyr reader declines every card since this morning", "is the Zephyr reader broken for everyone?",
        ]),
    ]

    let firstTime: Int64
    let ordinary: Int

    /// The ordinary messages 20 s apart, the bursts at a quarter, half and three quarters of the
    /// way (between them, 5 s after an ordinary message and 10 s apart), in time order.
    func messages() -> [Message] {
        var all: [Message] = []
        for j in 0..<ordinary {
            let n = Int64(j) + firstID
            all.append(Message(index: j, at: firstTime + Int64(j) * WaveBenchmark.spacing, customer: Self.customer(n),
                               text: Self.ordinaryText(n)))
        }
        for (b, burst) in Self.bursts.enumerated() {
            let begin = firstTime + Int64(ordinary * (b + 1) / (Self.bursts.count + 1)) * WaveBenchmark.spacing + 5_000
            for q in 0..<Self.burstSize {
                let n = Int64(ordinary + b * Self.burstSize + q) + firstID
                let template = burst.texts[q % burst.texts.count]
                all.append(Message(index: ordinary + b * Self.burstSize + q, at: begin + Int64(q) * Self.burstSpacing,
                                   customer: Self.customer(n), text: Self.fill(template, n) + Self.closers[(q * 7 + b) % Self.closers.count]))
            }
        }
        return all.sorted { $0.at < $1.at }
    }

    /// Numbers the new messages after the history's (for the fillers only).
    var firstID: Int64 { (firstTime - WaveBenchmark.start) / WaveBenchmark.spacing }

    // The same formulas in Swift and in the history's SQL.
    static func customer(_ n: Int64) -> Int64 { 1 + n * 7_919 % 100_000 }
    static func customerSQL(_ n: String) -> String { "1 + \(n) * 7919 % 100000" }
    static func order(_ n: Int64) -> String { "#A\(10_000 + n * 104_729 % 90_000)" }
    static func orderSQL(_ n: String) -> String { "'#A' || (10000 + \(n) * 104729 % 90000)" }
    /// A phrase picked by a multiplicative hash's middle bits: irregular, but the same on both sides.
    static func phrase(_ n: Int64) -> Int { Int(n * 2_654_435_761 % 4_294_967_296 / 65_536 % Int64(phrases.count)) }
    static func phraseSQL(_ n: String) -> String { "\(n) * 2654435761 % 4294967296 / 65536 % \(phrases.count)" }

    static func ordinaryText(_ n: Int64) -> String {
        phrases[phrase(n)].replacingOccurrences(of: "{order}", with: order(n))
    }

    static func fill(_ template: String, _ n: Int64) -> String {
        let k = Int(n)
        return template.replacingOccurrences(of: "{order}", with: order(n))
            .replacingOccurrences(of: "{city}", with: cities[k % cities.count])
            .replacingOccurrences(of: "{n}", with: String(2 + k % 5))
            .replacingOccurrences(of: "{minutes}", with: String(10 + k % 50))
    }

    /// 997 ordinary texts: customer mentions from the demo's generator (its phrasebook in
    /// English, Spanish and Japanese, with fillers, openers and emoji; spam included), outside
    /// its bursts, without the brand's address. The same seed gives the same texts.
    static let phrases: [String] = {
        var generator = DemoGenerator(seed: 19)
        var texts: [String] = []
        var time = 9.0 * 3_600
        while texts.count < 997 {
            time = generator.nextArrival(after: time)
            guard generator.burst(at: time) == nil else { continue }
            let mention = generator.mention(at: time)
            guard mention.kind == .mention, let space = mention.text.firstIndex(of: " ") else { continue }
            texts.append(String(mention.text[mention.text.index(after: space)...]))
        }
        return texts
    }()

    /// Fillers of the bursts' texts.
    static let closers = ["", "", "", " thanks", " thx", " ugh", " come on", " seriously", " 🙏", " 😤", " :)", " pls"]
    static let cities = ["Lisbon", "Leeds", "Austin", "Toronto", "Dublin", "Madrid", "Lyon", "Denver", "Porto", "Osaka"]
}
