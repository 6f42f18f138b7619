import EarshotCore
import EarshotStore
import Foundation

/// Reads sources, parses them in their format, applies the items to the store in batches
/// and accounts for every record: stored, duplicate, or rejected with a `FILE:LINE:` message
/// and its bytes kept in the rejects file.
///
/// Each batch is one transaction, so a killed ingest loses at most the batch in flight, and
/// running it again stores every mention exactly once (inserts are idempotent). A batch that
/// fails as a whole is retried one item per transaction, so one bad item cannot take the
/// good ones down with it.
public final class IngestPipeline {
    public struct Options: Sendable {
        /// Forces a format instead of detecting it.
        public var format: IngestFormat?
        /// Items per transaction; a slow pipe commits sooner, whenever its data runs out.
        public var batchSize = 5_000
        public var showProgress = false

        public init(format: IngestFormat? = nil, batchSize: Int = 5_000, showProgress: Bool = false) {
            self.format = format
            self.batchSize = batchSize
            self.showProgress = showProgress
        }
    }

    let store: any InboxStore
    let applier: IngestApplier
    let options: Options
    /// Where `FILE:LINE: message` lines go (stderr in the CLI).
    let report: (String) -> Void

    public init(store: any InboxStore, applier: IngestApplier, options: Options, report: @escaping (String) -> Void) {
        self.store = store
        self.applier = applier
        self.options = options
        self.report = report
    }

    /// One parsed item with where it came from.
    struct Parsed {
        let item: IncomingItem
        let line: Int
        let bytes: [UInt8]
    }

    /// Ingests one source. Problems go to `report` and `rejects`; the summary counts them.
    public func ingest(_ source: IngestSource, rejects: RejectsSink) -> IngestSummary {
        var run = SourceRun(pipeline: self, source: source, rejects: rejects)
        do {
            try run.perform()
        } catch {
            run.summary.sourceFailures += 1
            run.summary.failureMessages.append("\(source.name): \(error)")
            report("\(source.name): \(error)")
        }
        run.finish()
        return run.summary
    }
}

/// The state of one source's ingest.
struct SourceRun {
    let pipeline: IngestPipeline
    let source: IngestSource
    let rejects: RejectsSink
    var summary = IngestSummary()
    private var batch: [IngestPipeline.Parsed] = []
    private var deferred: [String: IngestPipeline.Parsed] = [:]
    private var progress = ProgressMeter(enabled: false, totalBytes: nil)
    private var recordsSeen = 0
    private var bytesSeen = 0
    /// A regular file can be read twice (TWCS reads ahead); a pipe or FIFO cannot.
    private var regularFile = false

    init(pipeline: IngestPipeline, source: IngestSource, rejects: RejectsSink) {
        self.pipeline = pipeline
        self.source = source
        self.rejects = rejects
    }

    mutating func perform() throws {
        let descriptor: Int32
        var totalBytes: Int?
        switch source {
        case .standardInput:
            descriptor = STDIN_FILENO
        case let .file(path):
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw IngestFailure("cannot read: \(String(cString: strerror(errno)))")
            }
            var info = stat()
            if fstat(descriptor, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFDIR { close(descriptor); throw IngestFailure("is a directory, not a file") }
                if (info.st_mode & S_IFMT) == S_IFREG {
                    totalBytes = Int(info.st_size)
                    regularFile = true
                }
            }
        }
        defer { if case .file = source { close(descriptor) } }
        progress = ProgressMeter(enabled: pipeline.options.showProgress, totalBytes: totalBytes)
        var reader = ChunkReader(descriptor: descriptor)

        // Enough of the start to recognise the format: 64 KiB of a file; of a pipe, whatever
        // has arrived once a line is complete, so a live feed is never held back.
        var head: [UInt8] = []
        while head.count < FormatDetector.prefixLength {
            let chunk = try reader.next()
            if chunk.isEmpty { break }
            head += chunk
            if head.contains(0x0A) && (pipeline.options.format != nil || !regularFile) { break }
        }
        guard !head.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
            throw IngestFailure(head.isEmpty ? "the input is empty; nothing to ingest" : "the input holds only blank lines; nothing to ingest")
        }
        let format = try pipeline.options.format ?? detect(head)
        switch format {
        case .jsonl:
            var framer = LineFramer(limit: 16 << 20)
            try stream(head: head, reader: &reader, framer: &framer) { record in
                [EarshotJSONL.parse(record).map { ($0, record.bytes) }]
            }
        case .xV2, .twitterV1, .mastodon, .bluesky:
            let adapter = Self.documentAdapter(format)
            var framer = JSONValueFramer(limit: 64 << 20)
            try stream(head: head, reader: &reader, framer: &framer) { record in
                guard record.fullLength == nil else {
                    return [.failure(RecordProblem(line: record.line, message: "document is over 64 MiB; split it", record: ""))]
                }
                guard let text = String(validating: record.bytes, as: UTF8.self) else {
                    return [.failure(RecordProblem(line: record.line, message: "invalid UTF-8", record: record.lossyText))]
                }
                // Platforms list newest first; oldest first threads parents before replies.
                return Self.oldestFirst(adapter.parse(document: text, firstLine: record.line)).map { result in
                    result.map { item in (item, Array(Self.rawPayload(item).utf8)) }
                }
            }
        case .twcs:
            try ingestTWCS(head: head, reader: &reader)
        }
        try flush()
    }

    private func detect(_ head: [UInt8]) throws -> IngestFormat {
        let prefix = String(decoding: head, as: UTF8.self)
        guard let format = FormatDetector.detect(prefix: prefix) else {
            throw IngestFailure("cannot tell the format from the first \(head.count) bytes; pass --format "
                + IngestFormat.allCases.map(\.rawValue).joined(separator: "|"))
        }
        return format
    }

    /// Frames records from the head and the rest of the reader, parses each and applies
    /// them in batches; commits whenever the input pauses, so a pipe is handled live.
    private mutating func stream<F: RecordFramer>(
        head: [UInt8], reader: inout ChunkReader, framer: inout F,
        parse: (RawRecord) -> [Result<(IncomingItem, [UInt8]), RecordProblem>]
    ) throws {
        var chunk = ArraySlice(head)
        while true {
            let records = chunk.withUnsafeBufferPointer { framer.feed($0) }
            try take(records, parse: parse)
            bytesSeen = reader.bytesRead
            try flush()
            chunk = try reader.next()
            if chunk.isEmpty { break }
        }
        try take(framer.finish(), parse: parse)
    }

    private mutating func take(
        _ records: [RawRecord], parse: (RawRecord) -> [Result<(IncomingItem, [UInt8]), RecordProblem>]
    ) throws {
        for record in records {
            recordsSeen += 1
            let results = parse(record)
            for result in results {
                switch result {
                case let .success((item, bytes)):
                    batch.append(.init(item: item, line: record.line, bytes: bytes))
                    if batch.count >= pipeline.options.batchSize { try flush() }
                case let .failure(problem) where problem.isNote:
                    note(line: problem.line, message: problem.message)
                case let .failure(problem):
                    // A record that is one item is kept byte for byte; an item inside a
                    // larger document is kept as the adapter gave it.
                    let whole = results.count == 1 || problem.record.isEmpty
                    reject(bytes: whole ? record.bytes : Array(problem.record.utf8),
                           line: problem.line, message: problem.message)
                }
            }
        }
    }

    /// TWCS, streamed so memory stays bounded whatever the file's size. A file is read twice:
    /// first to learn its brands and thread links (ids and handles only), then to apply its
    /// rows in batches as they are read, each stretch oldest first (a brand reply that comes
    /// before its tweet waits for it in memory). Standard input, a pipe or a FIFO is read once,
    /// as it streams.
    private mutating func ingestTWCS(head: [UInt8], reader: inout ChunkReader) throws {
        var adapter = TWCSAdapter()
        var rows = CSVFramer(limit: TWCSAdapter.recordLimit)
        let streaming = !regularFile
        var chunk = ArraySlice(head)
        if !streaming {
            var lookAhead = CSVFramer(limit: TWCSAdapter.recordLimit)
            while !chunk.isEmpty {
                adapter.learn(chunk.withUnsafeBufferPointer { lookAhead.feedRecords($0) })
                chunk = try reader.next()
            }
            adapter.learn(lookAhead.finishRecords())
            adapter.finishLearning()
            guard lseek(reader.descriptor, 0, SEEK_SET) == 0 else {
                throw IngestFailure("cannot read the file again: \(String(cString: strerror(errno)))")
            }
            reader = ChunkReader(descriptor: reader.descriptor)
            chunk = try reader.next()
        }
        var headerSeen = false
        while true {
            var records = chunk.withUnsafeBufferPointer { rows.feedRecords($0) }
            if chunk.isEmpty { records += rows.finishRecords() }
            if !headerSeen, let header = records.first {
                rejects.preamble = header.raw.bytes
                headerSeen = true
            }
            try applyTWCS(&records, adapter: &adapter, sortByTime: !streaming)
            bytesSeen = reader.bytesRead
            try flush()
            if chunk.isEmpty { break }
            chunk = try reader.next()
        }
    }

    private mutating func applyTWCS(_ records: inout [CSVFramer.Record], adapter: inout TWCSAdapter, sortByTime: Bool) throws {
        var parsed: [IngestPipeline.Parsed] = []
        for record in records {
            recordsSeen += 1
            guard let result = adapter.item(from: record) else { continue }
            switch result {
            case let .success(item): parsed.append(.init(item: item, line: record.raw.line, bytes: record.raw.bytes))
            case let .failure(problem) where problem.isNote: note(line: problem.line, message: problem.message)
            case let .failure(problem): reject(bytes: record.raw.bytes, line: problem.line, message: problem.message)
            }
        }
        records.removeAll(keepingCapacity: true)
        if sortByTime {
            // Stable: equal times keep file order.
            parsed = parsed.enumerated().sorted { lhs, rhs in
                let (l, r) = (Self.time(lhs.element.item), Self.time(rhs.element.item))
                return l != r ? l < r : lhs.offset < rhs.offset
            }.map(\.element)
        }
        for item in parsed {
            batch.append(item)
            if batch.count >= pipeline.options.batchSize { try flush() }
        }
    }

    /// Applies the pending batch in one transaction; on failure, one item per transaction.
    private mutating func flush() throws {
        guard !batch.isEmpty else { return }
        let items = batch
        batch.removeAll(keepingCapacity: true)
        let applier = pipeline.applier
        do {
            let outcomes = try pipeline.store.write { writer in
                try items.map { try applier.apply($0.item, in: writer) }
            }
            for (item, outcome) in zip(items, outcomes) { try account(item, outcome) }
        } catch {
            applier.forgetCaches()
            for item in items {
                do {
                    let outcome = try pipeline.store.write { writer in try applier.apply(item.item, in: writer) }
                    try account(item, outcome)
                } catch {
                    applier.forgetCaches()
                    reject(bytes: item.bytes, line: item.line, message: "could not be stored: \(error)")
                }
            }
        }
        progress.update(records: recordsSeen, bytes: bytesSeen)
    }

    private mutating func account(_ item: IngestPipeline.Parsed, _ outcome: ApplyOutcome) throws {
        switch outcome {
        case .stored:
            summary.accepted += 1
            if case .brandReply = item.item { summary.repliesStored += 1 } else { summary.mentionsStored += 1 }
        case .duplicate:
            summary.accepted += 1
            summary.duplicates += 1
        case .deferred:
            if case let .brandReply(reply) = item.item { deferred[reply.externalID] = item }
        case .posted:
            summary.accepted += 1
            summary.postsStored += 1
        case let .rejected(message):
            reject(bytes: item.bytes, line: item.line, message: message)
        }
    }

    /// A record that is not ours to store: said, counted, not an error.
    private mutating func note(line: Int, message: String) {
        summary.notes += 1
        say(line, "note: " + message)
    }

    /// `FILE:LINE: message`, to the report.
    private func say(_ line: Int, _ message: String) {
        pipeline.report("\(source.name):\(line): \(message)")
    }

    private mutating func reject(bytes: [UInt8], line: Int, message: String) {
        summary.rejected += 1
        let text = "\(source.name):\(line): \(message)"
        pipeline.report(text)
        rejects.reject(bytes: bytes, reason: text)
    }

    mutating func finish() {
        // Brand replies whose tweet never came: an export is a sample of a longer history, so
        // not an error. Each is kept as a brand post naming the tweet; ingesting the file that
        // holds the tweet, then this one again, moves it into its thread.
        for reply in pipeline.applier.takeUnansweredReplies() {
            guard let item = deferred.removeValue(forKey: reply.externalID) else { continue }
            do {
                let outcome = try pipeline.store.write { writer in try pipeline.applier.postUnanswered(reply, in: writer) }
                try account(item, outcome)
                // A note, though it is stored (a brand post): counted with the posts, not the notes.
                say(item.line, "note: brand reply \(reply.externalID) answers tweet \(reply.inReplyToExternalID ?? "?"), "
                    + "which is neither in this input nor stored: kept as a brand post "
                    + "(ingest the file that holds that tweet, then this one again, to put it in its thread)")
            } catch {
                pipeline.applier.forgetCaches()
                reject(bytes: item.bytes, line: item.line, message: "could not be stored: \(error)")
            }
        }
        progress.finish()
        if rejects.count > 0 {
            summary.rejectsPath = rejects.isKept ? rejects.path : nil
            summary.rejectsNote = rejects.note
        }
        rejects.close()
    }

    // MARK: - Helpers

    static func documentAdapter(_ format: IngestFormat) -> any DocumentAdapter {
        switch format {
        case .xV2: XV2Adapter()
        case .twitterV1: TwitterV1Adapter()
        case .mastodon: MastodonAdapter()
        default: BlueskyAdapter()
        }
    }

    static func oldestFirst(_ results: [Result<IncomingItem, RecordProblem>]) -> [Result<IncomingItem, RecordProblem>] {
        results.enumerated().sorted { lhs, rhs in
            switch (lhs.element, rhs.element) {
            case let (.success(l), .success(r)) where time(l) != time(r): return time(l) < time(r)
            default: return lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    static func time(_ item: IncomingItem) -> Timestamp {
        switch item {
        case let .mention(mention): mention.createdAt
        case let .brandReply(reply): reply.createdAt
        }
    }

    static func rawPayload(_ item: IncomingItem) -> String {
        switch item {
        case let .mention(mention): mention.rawPayload
        case let .brandReply(reply): reply.rawPayload
        }
    }
}
