import ArgumentParser
import EarshotCore
import EarshotIngest
import EarshotDemo
import EarshotService
import EarshotStore
import EarshotTUI
import Foundation
import Synchronization

/// `earshot demo`, what `make run` starts: a live inbox on a throwaway database, with
/// customers writing and teammates answering around the person running it (docs/demo.md).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "A live demo: simulated customers and teammates around you, on a temporary database.",
        discussion: """
            Customers write to three channels (X, Mastodon, Bluesky) on a daily curve with bursts: questions, \
            complaints, thanks, reposts and scams, in English with some Spanish, Japanese and emoji, and some \
            write again. Four simulated teammates claim, answer, note and resolve at human speed. You are signed \
            in as yourself, a supervisor with a capacity of 5, so routing gives you work too. Each channel is \
            live: the demo runs a Mastodon instance, a Bluesky PDS and the X API of its own on 127.0.0.1, and \
            the real connectors read the customers' posts there and post the replies there (a replayed export \
            is "delivered" by earshot sample-deliver into a file). Nothing of your own configuration or \
            database is used. See docs/demo.md.
            """)

    @Option(help: ArgumentHelp("How many times faster than real time the simulated day runs.", valueName: "n"))
    var speed: Double = 10

    @Option(help: ArgumentHelp(
        "Replay a real export (any format earshot ingest reads, e.g. the Customer Support on Twitter CSV) at its own pace times --speed, instead of simulated customers.",
        valueName: "file"))
    var replay: String?

    @Option(help: ArgumentHelp("Seed for the simulation (the same seed replays the same customers and team).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Keep the demo's database at PATH (a new file) instead of a temporary one.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The simulated time of day to start at.", valueName: "HH:MM"))
    var start: String = "09:00"

    @Flag(help: "Run without the terminal interface and print a summary (scripts, tests, CI).")
    var headless = false

    @Option(help: ArgumentHelp("With --headless: stop after this many seconds (default: until interrupted).", valueName: "seconds"))
    var duration: Double?

    func validate() throws {
        guard speed > 0, speed <= 100_000 else { throw ValidationError("--speed must be more than 0 and at most 100000") }
        if let duration, duration <= 0 { throw ValidationError("--duration must be more than 0 seconds") }
        if duration != nil && !headless { throw ValidationError("--duration applies to --headless runs; in the terminal, q quits") }
        guard startOfDay != nil else { throw ValidationError("--start must be a time of day such as 09:00 or 22:30") }
        if let db, FileManager.default.fileExists(atPath: db) {
            throw ValidationError("--db \(db) already exists; the demo fills a database with made-up conversations, so give it a new path")
        }
    }

    /// `--start` in seconds after midnight.
    var startOfDay: Double? {
        let parts = start.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours),
              (0..<60).contains(minutes) else { return nil }
        return Double(hours * 3600 + minutes * 60)
    }

    func run() throws {
        if !headless && (isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1) {
            throw CommandFailure("the demo needs a terminal; without one, run `earshot demo --headless --duration 60`")
        }
        // Read before anything is created, so a bad file costs nothing.
        let replayed = try replay.map { path in
            do { return try DemoReplay.load(path) } catch { throw CommandFailure("\(error)") }
        }
        if let replayed, replayed.items.isEmpty {
            throw CommandFailure("\(replay ?? ""): no mentions in it to replay (\(replayed.problems.count) records refused)")
        }
        let workspace = try DemoWorkspace(database: db)
        defer { workspace.remove() }
        // Headless, SIGINT and SIGTERM end the run with its summary (`waitForStop`).
        workspace.removeOnSignals(headless ? [SIGHUP] : [SIGHUP, SIGTERM])
        let log = workspace.log
        if let replayed { for problem in replayed.problems.prefix(20) { log.write("replay: \(problem)") } }

        let seed = self.seed ?? UInt64.random(in: 1...999_999)
        let me = ServiceOptions.currentLogin
        var service = InboxService(
            store: try SQLiteInboxStore(path: workspace.database), clock: SystemClock(), policy: AssignmentPolicy(),
            sla: DemoSimulation.compressed(SLAPolicy(), by: speed))
        service.delivery.command = [Self.executablePath(), "sample-deliver", workspace.sentFile]
        // Waves are judged on the demo's clock: half an hour of demo time is the window.
        service.waveWatch = WaveWatch(settings: .compressed(by: speed))
        service.delivery.undoSeconds = 5

        var options = DemoSimulation.Options(login: me)
        options.speed = speed
        options.seed = seed
        options.startOfDay = startOfDay ?? 9 * 3600
        options.replay = replayed
        let simulation = DemoSimulation(service: service, options: options) { log.write($0) }
        let deliverer = OutboxDeliverer(service: service) { log.write("delivery: \($0)") }
        // The Mastodon and Bluesky channels go through the real connectors, to stubs on loopback.
        let live = try DemoLiveChannels(service: service, deliverer: deliverer, workspace: workspace, log: log)
        defer { live.stop() }
        simulation.livePosting = live.posting()
        do {
            try simulation.prepare()
        } catch {
            throw CommandFailure("the demo could not set up its team: \(error)")
        }
        live.start()
        deliverer.start()
        let screenClock = Self.screenClock(simulation)
        let driver = DemoDriver(simulation: simulation)
        driver.start()

        let stoppedAt: Timestamp
        if headless {
            driver.waitForStop(seconds: duration)
            driver.stop()
            stoppedAt = SystemClock().now()
            live.waitUntilRead(service)
            // Let the last answers out of their undo window, so they count as sent.
            let deadline = Date().addingTimeInterval(Double(service.delivery.undoSeconds) + 15)
            while Date() < deadline, (try? service.outbox(all: true, by: me).contains { $0.state == .queued }) == true {
                deliverer.wake()
                Thread.sleep(forTimeInterval: 0.2)
            }
        } else {
            try runInterface(service: service, login: me, clock: screenClock)
            driver.stop()
            stoppedAt = SystemClock().now()
        }
        deliverer.stop()
        print(driver.reading { summary($0, seed: seed, workspace: workspace, posted: live.repliesPosted, end: stoppedAt) } + "\n" + live.summary)
        for line in log.lines.prefix(10) { SafeOutput.error("earshot demo: \(line)") }
        if log.lines.count > 10 {
            FileHandle.standardError.write(Data("earshot demo: ... \(log.lines.count - 10) more\n".utf8))
        }
    }

    /// The inbox in the terminal, in-process as single-user mode runs it (TUICommand).
    /// The demo's day on the screen: waits `speed` times longer than real, times of day from
    /// the demo's start (09:00 by default) today, in the person's time zone.
    static func screenClock(_ simulation: DemoSimulation) -> ScreenClock {
        let midnight = Timestamp(Calendar.current.startOfDay(for: simulation.realStart.date))
        return ScreenClock(
            speed: simulation.options.speed, realStart: simulation.realStart,
            shownStart: midnight.adding(milliseconds: Int64(simulation.options.startOfDay * 1000)))
    }

    private func runInterface(service: InboxService, login: String, clock: ScreenClock) throws {
        let environment = ProcessInfo.processInfo.environment
        let runner = EffectRunner(api: LocalInbox(service: service, login: login))
        let (keymap, problems) = KeymapLoader.load(environment: environment)
        let terminal = try NcursesTerminal()
        var model = AppModel(login: login, keymap: keymap, size: terminal.size)
        model.state.screenClock = clock
        model.state.message = StatusMessage(
            text: "demo at \(speed.formatted())× speed: you are a supervisor; v switches views, ? shows the keys",
            isError: false, until: SystemClock().now().adding(seconds: 15))
        if let first = problems.first {
            model.state.message = StatusMessage(text: "\(first)", isError: true, until: SystemClock().now().adding(seconds: 10))
        }
        App(terminal: terminal, model: model, runner: runner, clock: SystemClock()).run()
        for problem in problems { SafeOutput.error("earshot: \(problem)") }
    }

    private func summary(_ simulation: DemoSimulation, seed: UInt64, workspace: DemoWorkspace, posted: Int, end: Timestamp) -> String {
        let counts = simulation.counts
        let seconds = Double(end.milliseconds(since: simulation.realStart)) / 1000
        var lines = [
            "earshot demo: \(String(format: "%.0f", seconds)) s at speed \(speed.formatted()), demo time \(start) to "
                + "\(simulation.clockText(at: end)) (seed \(seed)\(replay.map { ", replaying \($0)" } ?? ""))",
            "arrivals: \(counts.arrivals) customer messages (\(counts.followUps) written again in a thread)",
        ]
        if replay != nil {
            lines.append("replies: \(counts.brandReplies) brand replies from the export, \(workspace.sentCount) sent from the inbox")
        } else {
            lines.append("replies: \(counts.teammateReplies) by teammates, \(workspace.sentCount + posted) sent (all authors), \(counts.notes) note\(counts.notes == 1 ? "" : "s")")
            lines.append("resolved: \(counts.resolved) by teammates, \(counts.claims) claimed from the queue")
        }
        if counts.rejected > 0 { lines.append("not stored: \(counts.rejected) (see the messages below)") }
        lines.append(db.map { "database: \($0) (kept)" } ?? "database: temporary, deleted (--db PATH keeps one)")
        return lines.joined(separator: "\n")
    }

    /// This program's absolute path, for the delivery command.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let argument = CommandLine.arguments[0]
        if argument.hasPrefix("/") { return argument }
        if argument.contains("/") { return FileManager.default.currentDirectoryPath + "/" + argument }
        return argument  // found on PATH, as posix_spawnp will find it again
    }
}

/// Runs the simulation on a thread of its own, twenty times a second, until stopped.
final class DemoDriver: Sendable {
    /// Only the driver's thread advances it; the mutex makes that provable.
    private let simulation: Mutex<DemoSimulation>
    private let stopped = Atomic<Bool>(false)
    /// Cuts the pause between turns short when stopping.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(simulation: sending DemoSimulation) { self.simulation = Mutex(simulation) }

    func start() {
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .acquiring) {
                simulation.withLock { $0.advance() }
                _ = wake.wait(timeout: .now() + .milliseconds(50))
            }
            finished.signal()
        }
    }

    /// Waits `seconds` (nil: until SIGINT or SIGTERM).
    func waitForStop(seconds: Double?) {
        let interrupted = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { interrupted.signal() }
            source.resume()
            sources.append(source)
        }
        if let seconds {
            _ = interrupted.wait(timeout: .now() + seconds)
        } else {
            interrupted.wait()
        }
        sources.forEach { $0.cancel() }
    }

    /// Reads the simulation (after `stop`, for the closing summary).
    func reading(_ body: (DemoSimulation) -> String) -> String { simulation.withLock { body($0) } }

    /// Stops the thread and waits until it has finished its turn.
    func stop() {
        stopped.store(true, ordering: .releasing)
        wake.signal()
        finished.wait()
    }
}

/// The demo's files: a private temporary directory holding the database (unless `--db`), the
/// delivered replies and the log, removed at the end.
final class DemoWorkspace: Sendable {
    let directory: String
    let database: String
    let sentFile: String
    let log: DemoLog

    init(database: String?) throws {
        var template = Array((NSTemporaryDirectory() + "earshot-demo-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else {
            throw CommandFailure("cannot create a temporary directory in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.database = database ?? directory + "/demo.sqlite"
        sentFile = directory + "/sent.jsonl"
        log = DemoLog()
    }

    /// Replies `earshot sample-deliver` appended.
    var sentCount: Int {
        guard let data = FileManager.default.contents(atPath: sentFile) else { return 0 }
        return data.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// A hang-up or kill still removes the temporary database (the terminal is gone anyway).
    func removeOnSignals(_ signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [directory] in
                try? FileManager.default.removeItem(atPath: directory)
                _exit(128 + number)
            }
            source.resume()
            Self.keep.append(source)
        }
    }

    /// Signal sources must outlive the scope that made them.
    nonisolated(unsafe) static var keep: [DispatchSourceSignal] = []
}

/// Problems during the demo, kept in memory: the screen is the TUI's while it runs, so they
/// are printed after it closes.
final class DemoLog: Sendable {
    private let stored = Mutex<[String]>([])

    func write(_ line: String) {
        stored.withLock { if $0.count < 1000 { $0.append(line) } }
    }

    var lines: [String] { stored.withLock { $0 } }
}
