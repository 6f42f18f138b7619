import ArgumentParser
import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore
import Foundation

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Take in mentions from files, standard input or a spool directory.",
        discussion: """
            Formats are detected from the content: Earshot JSON Lines, X API v2 pages, Twitter API v1.1 \
            statuses, Mastodon notifications, Bluesky notifications, or the Customer Support on Twitter CSV. \
            A bad record is reported as FILE:LINE and kept verbatim in a rejects file; the rest still goes in.

            Exit status: 0 everything went in, 1 some records were rejected, 2 nothing could be read.
            See docs/ingest.md.
            """)

    @Argument(help: ArgumentHelp("Files to read; - reads standard input as it arrives.", valueName: "file"))
    var files: [String] = []

    @Option(help: ArgumentHelp("Force a format instead of detecting it.", valueName: IngestFormat.allCases.map(\.rawValue).joined(separator: "|")))
    var format: String?

    @Option(help: ArgumentHelp(
        "The brand account the feed was fetched for, when its records do not say (X, v1.1, Mastodon, Bluesky).",
        valueName: "handle"))
    var channel: String?

    @Option(help: ArgumentHelp(
        "Where rejected records go (default: FILE.rejects beside each file, or $XDG_STATE_HOME/earshot/rejects/ "
            + "when that folder is not writable and for stdin). A name already taken gets a number: FILE.1.rejects.",
        valueName: "dir"))
    var rejectsDir: String?

    @Option(help: ArgumentHelp("Watch DIR/new and ingest each file that appears (see docs/ingest.md).", valueName: "dir"))
    var spool: String?

    @Flag(help: "With --spool: process the files waiting now, then exit.")
    var once = false

    @Option(help: ArgumentHelp("With --spool: seconds between looks at DIR/new.", valueName: "seconds"))
    var interval: Double = 1

    @Option(help: ArgumentHelp("Records per transaction.", valueName: "n"))
    var batch: Int = 5_000

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if spool == nil && files.isEmpty {
            throw ValidationError("name at least one FILE (or - for standard input), or --spool DIR")
        }
        if spool != nil && !files.isEmpty {
            throw ValidationError("--spool watches a directory; give either --spool DIR or files, not both")
        }
        if let format, IngestFormat(rawValue: format) == nil {
            throw ValidationError("unknown format \"\(format)\"; use one of \(IngestFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if interval <= 0 { throw ValidationError("--interval must be more than 0 seconds") }
    }

    func run() throws {
        let (service, config) = try store.loadService()
        let inbox = service.store
        let applier = IngestApplier(clock: SystemClock(), triage: ClassifierTriage(), defaultChannel: channel)
        applier.sla = config.sla
        let options = IngestPipeline.Options(
            format: format.flatMap(IngestFormat.init(rawValue:)), batchSize: batch,
            showProgress: spool == nil && ProcessInfo.processInfo.environment["CI"] == nil && isatty(STDERR_FILENO) == 1)
        // Messages quote the input (a handle, a field): inert on a terminal like all CLI output.
        let pipeline = IngestPipeline(store: inbox, applier: applier, options: options) { message in
            FileHandle.standardError.write(Data((SafeOutput.field(message) + "\n").utf8))
        }
        if let spool {
            try watch(SpoolDirectory(root: spool), with: pipeline, service: service)
            return
        }
        var total = IngestSummary()
        for file in files {
            let source: IngestSource = file == "-" ? .standardInput : .file(file)
            // When the wanted folder is not writable, the rejects go to the state folder.
            let rejects = RejectsSink(path: rejectsPath(for: source), fallbackDirectory: Self.stateDirectory() + "/rejects")
            let summary = pipeline.ingest(source, rejects: rejects)
            print(Self.describe(summary, source: source.name))
            total += summary
        }
        try routeNewWork(service)
        if total.exitStatus != 0 { throw ExitCode(total.exitStatus) }
    }

    /// New conversations go to responders with room when routing is automatic.
    private func routeNewWork(_ service: InboxService) throws {
        guard service.policy.routing != .manual else { return }
        let assigned = try service.route()
        if !assigned.isEmpty { print("routed \(assigned.count) conversation\(assigned.count == 1 ? "" : "s")") }
    }

    private func watch(_ spool: SpoolDirectory, with pipeline: IngestPipeline, service: InboxService) throws {
        try spool.prepare()
        while true {
            let processed = try spool.processWaiting(with: pipeline)
            if !processed.isEmpty { try routeNewWork(service) }
            for (name, summary) in processed {
                print(Self.describe(summary, source: name))
                fflush(nil)
            }
            if once { return }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    private func rejectsPath(for source: IngestSource) -> String {
        let stamp = Int(Date().timeIntervalSince1970)
        switch source {
        case let .file(path):
            let name = (path as NSString).lastPathComponent + ".rejects"
            if let rejectsDir { return rejectsDir + "/" + name }
            return path + ".rejects"
        case .standardInput:
            return (rejectsDir ?? Self.stateDirectory() + "/rejects") + "/stdin-\(stamp).rejects"
        }
    }

    static func stateDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/earshot" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/earshot"
    }

    static func describe(_ summary: IngestSummary, source: String) -> String {
        var parts = ["\(summary.mentionsStored.formatted()) mentions stored"]
        if summary.repliesStored > 0 { parts.append("\(summary.repliesStored.formatted()) brand replies stored") }
        if summary.postsStored > 0 { parts.append("\(summary.postsStored.formatted()) brand posts stored") }
        parts.append("\(summary.duplicates.formatted()) already stored")
        var line = "\(SafeOutput.field(source)): " + parts.joined(separator: ", ")
        if summary.rejected > 0 {
            line += ", \(summary.rejected.formatted()) rejected"
            if let path = summary.rejectsPath {
                line += " (kept in \(path)" + (summary.rejectsNote.map { "; \($0)" } ?? "") + ")"
            } else if let note = summary.rejectsNote {
                line += " (not kept: \(note))"
            }
        }
        if summary.notes > 0 { line += ", \(summary.notes.formatted()) not stored (notes above)" }
        if !summary.failureMessages.isEmpty { line += "; nothing read" }
        return line
    }
}
