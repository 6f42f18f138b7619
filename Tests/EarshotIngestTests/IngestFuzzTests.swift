import EarshotCore
@testable import EarshotIngest
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// Random and mutated real inputs through every ingest adapter, for a bounded time: no crash,
/// no hang (the watchdog stops the run and saves the input), no unbounded memory, and every
/// record accounted for. `make test` gives each format a few seconds; `make fuzz` minutes.
/// A failing run prints its seed: `EARSHOT_FUZZ_SEED=N make fuzz` replays it.
@Suite(.serialized) struct IngestFuzzTests {
    static let budget = FuzzBudget.fromEnvironment()

    /// The real samples each format starts from (the fixtures are recorded platform output).
    static func corpus(_ format: IngestFormat) throws -> [[UInt8]] {
        func fixture(_ name: String) throws -> [UInt8] {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
            return Array(try Data(contentsOf: url))
        }
        switch format {
        case .jsonl:
            let lines = [
                #"{"platform":"x","external_id":"1","channel":"AcmeSupport","author":"dana","text":"@AcmeSupport where is order 12?","created_at":"2024-01-15T12:00:00Z"}"#,
                #"{"platform":"mastodon","external_id":"2","channel":"acme@mastodon.social","author":"eve@example.org","display_name":"Eve","text":"hola, mi pedido no llegó 😢","created_at":"2024-01-15T12:01:00.250+01:00","in_reply_to":"1","conversation":"c1"}"#,
                #"{"platform":"bluesky","external_id":"at://did:plc:x/app.bsky.feed.post/3k","channel":"acme.bsky.social","author":"fi.bsky.social","text":"ありがとう","created_at":"2024-01-15T12:02:00Z","kind":"quote","referenced_id":"9","referenced_author":"AcmeSupport"}"#,
            ]
            return [Array(lines.joined(separator: "\n").utf8)] + lines.map { Array($0.utf8) }
        case .xV2:
            let page = try fixture("x_v2_mentions_page.json")
            // One page per line, as the API's pages are saved by pollers.
            let compact = page.filter { $0 != 0x0A && $0 != 0x0D }
            return [page, compact + [0x0A] + compact]
        case .twitterV1: return [try fixture("twitter_v1_mentions_timeline.json")]
        case .mastodon: return [try fixture("mastodon_notifications.json")]
        case .bluesky: return [try fixture("bluesky_notifications.json")]
        case .twcs:
            let sample = try fixture("twcs_sample.csv")
            // A few rows as well as the whole sample: small inputs mutate into more shapes.
            let lines = sample.split(separator: 0x0A, omittingEmptySubsequences: false)
            let head = Array(lines.prefix(12).joined(separator: [0x0A]))
            return [sample, head]
        }
    }

    @Test(arguments: IngestFormat.allCases)
    func mutatedInputsNeverCrashHangOrLoseCount(format: IngestFormat) throws {
        let budget = Self.budget
        let seed = budget.seed &+ UInt64(IngestFormat.allCases.firstIndex(of: format)!)
        print("fuzz ingest \(format.rawValue): seed \(seed), \(budget.seconds) s")
        let corpus = try Self.corpus(format)
        var mutator = Mutator(seed: seed)
        let watchdog = FuzzWatchdog(target: "ingest-\(format.rawValue)")
        defer { watchdog.stop() }
        let directory = try TemporaryDirectory("earshot-fuzz")
        let startMemory = residentMemoryBytes()
        let deadline = Date().addingTimeInterval(budget.seconds)
        var runs = 0
        var pipelineRuns = 0

        while Date() < deadline || runs < 20 {
            let input = mutator.mutate(corpus)
            watchdog.begin(input)
            // The adapters straight, many times a second.
            try parseDirectly(input, as: format)
            // Every 16th input goes the whole way, file to a real store, once forced to the
            // format and once detected; every record must be stored, a duplicate or rejected.
            if runs % 16 == 0 {
                try ingestThroughPipeline(input, format: runs % 32 == 0 ? format : nil, in: directory, run: pipelineRuns)
                pipelineRuns += 1
            }
            watchdog.end()
            runs += 1
        }
        let grown = residentMemoryBytes() - startMemory
        print("fuzz ingest \(format.rawValue): \(runs) inputs, \(pipelineRuns) through the pipeline, memory +\(grown >> 20) MiB")
        #expect(grown < 512 << 20, "memory grew by \(grown >> 20) MiB over \(runs) inputs (seed \(seed))")
    }

    private func parseDirectly(_ input: [UInt8], as format: IngestFormat) throws {
        switch format {
        case .jsonl:
            _ = input.withUnsafeBufferPointer { buffer in try? JSONParser.parse(buffer) }
        case .twcs:
            var framer = CSVFramer(limit: 1 << 20)
            _ = input.withUnsafeBufferPointer { framer.feedRecords($0) }
            _ = framer.finishRecords()
        case .xV2, .twitterV1, .mastodon, .bluesky:
            let text = String(decoding: input, as: UTF8.self)
            let adapter: any DocumentAdapter = switch format {
            case .xV2: XV2Adapter()
            case .twitterV1: TwitterV1Adapter()
            case .mastodon: MastodonAdapter()
            default: BlueskyAdapter()
            }
            let results = adapter.parse(document: text, firstLine: 1)
            for case let .success(item) in results { checkItem(item) }
        }
    }

    /// What an adapter hands on is usable: the ids it keys on are there.
    private func checkItem(_ item: IncomingItem) {
        switch item {
        case let .mention(mention):
            #expect(!mention.externalID.isEmpty, "an adapter made a mention without an id")
        case let .brandReply(reply):
            #expect(!reply.externalID.isEmpty, "an adapter made a brand reply without an id")
        }
    }

    private func ingestThroughPipeline(_ input: [UInt8], format: IngestFormat?, in directory: TemporaryDirectory, run: Int) throws {
        let path = directory.file("input-\(run % 4)")
        FileManager.default.createFile(atPath: path, contents: Data(input))
        let store = try SQLiteInboxStore(path: directory.file("fuzz-\(run % 4).sqlite"))
        let before = try store.read { try $0.counts() }
        let applier = IngestApplier(clock: ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000)), triage: KeywordTriage(), defaultChannel: "AcmeSupport")
        let pipeline = IngestPipeline(store: store, applier: applier, options: .init(format: format, batchSize: 7), report: { _ in })
        let rejects = RejectsSink(path: directory.file("rejects-\(run)"))
        let summary = pipeline.ingest(.file(path), rejects: rejects)
        let after = try store.read { try $0.counts() }
        // What the summary says was stored is what the store holds now.
        #expect(after.mentions - before.mentions == summary.mentionsStored, "mentions stored and counted differ (input \(path))")
        #expect(summary.rejected == rejects.count, "rejected records and the rejects file differ")
        try? FileManager.default.removeItem(atPath: directory.file("rejects-\(run)"))
    }
}
