import EarshotCore
import EarshotIngest
import Foundation

/// A real export read for `earshot demo --replay`: every item the ingest adapters find in it,
/// oldest first, to be fed at its original pace. The format is detected as `earshot ingest`
/// detects it, and read by the same framers and adapters.
public struct DemoReplay: Sendable {
    public var format: IngestFormat
    /// Customer mentions and brand replies, oldest first (equal times keep file order).
    public var items: [IncomingItem]
    /// Records the adapters refused, as `FILE:LINE: message`.
    public var problems: [String]

    public init(format: IngestFormat, items: [IncomingItem], problems: [String] = []) {
        self.format = format
        self.items = items
        self.problems = problems
    }

    /// Reads `path` whole. Fails when it cannot be read, is empty, or its format is unknown.
    public static func load(_ path: String, format forced: IngestFormat? = nil) throws -> DemoReplay {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestFailure("\(path): cannot read it (missing, a directory, or no permission)")
        }
        let bytes = [UInt8](data)
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw IngestFailure("\(path): the file is empty; nothing to replay")
        }
        let prefix = String(decoding: bytes.prefix(FormatDetector.prefixLength), as: UTF8.self)
        guard let format = forced ?? FormatDetector.detect(prefix: prefix) else {
            throw IngestFailure("\(path): cannot tell the format; `earshot ingest` reads the same formats (docs/ingest.md)")
        }
        var results: [Result<IncomingItem, RecordProblem>] = []
        switch format {
        case .jsonl:
            var framer = LineFramer(limit: 16 << 20)
            let records = bytes.withUnsafeBufferPointer { framer.feed($0) } + framer.finish()
            results = records.map(EarshotJSONL.parse)
        case .xV2, .twitterV1, .mastodon, .bluesky:
            let adapter: any DocumentAdapter = switch format {
            case .xV2: XV2Adapter()
            case .twitterV1: TwitterV1Adapter()
            case .mastodon: MastodonAdapter()
            default: BlueskyAdapter()
            }
            var framer = JSONValueFramer(limit: 64 << 20)
            let records = bytes.withUnsafeBufferPointer { framer.feed($0) } + framer.finish()
            for record in records {
                guard let text = String(validating: record.bytes, as: UTF8.self) else {
                    results.append(.failure(RecordProblem(line: record.line, message: "invalid UTF-8", record: "")))
                    continue
                }
                results += adapter.parse(document: text, firstLine: record.line)
            }
        case .twcs:
            var framer = CSVFramer(limit: 16 << 20)
            let records = bytes.withUnsafeBufferPointer { framer.feedRecords($0) } + framer.finishRecords()
            var adapter = TWCSAdapter()
            adapter.learn(records)
            results = records.compactMap { adapter.item(from: $0) }
        }
        var items: [IncomingItem] = []
        var problems: [String] = []
        for result in results {
            switch result {
            case let .success(item): items.append(item)
            case let .failure(problem): problems.append("\(path):\(problem.line): \(problem.message)")
            }
        }
        // Stable: equal times keep file order, so a parent stays before its answer.
        items = items.enumerated().sorted { lhs, rhs in
            let (l, r) = (time(of: lhs.element), time(of: rhs.element))
            return l != r ? l < r : lhs.offset < rhs.offset
        }.map(\.element)
        return DemoReplay(format: format, items: items, problems: problems)
    }

    public static func time(of item: IncomingItem) -> Timestamp {
        switch item {
        case let .mention(mention): mention.createdAt
        case let .brandReply(reply): reply.createdAt
        }
    }

    /// The same item stamped at another time (the moment the replay feeds it).
    public static func item(_ item: IncomingItem, at time: Timestamp) -> IncomingItem {
        switch item {
        case var .mention(mention):
            mention.createdAt = time
            return .mention(mention)
        case var .brandReply(reply):
            reply.createdAt = time
            return .brandReply(reply)
        }
    }

    /// Seconds after the first item at which each item comes, in the export's own time, with
    /// every quiet stretch longer than `maximumGap` seconds cut to `maximumGap` (exports span
    /// months with long silences; the TWCS sample starts in 2011).
    public func offsets(maximumGap: Double) -> [Double] {
        var offsets: [Double] = []
        var previous: Timestamp?
        var total = 0.0
        for item in items {
            let time = Self.time(of: item)
            if let previous { total += min(maximumGap, max(0, Double(time.milliseconds(since: previous)) / 1000)) }
            offsets.append(total)
            previous = time
        }
        return offsets
    }
}
