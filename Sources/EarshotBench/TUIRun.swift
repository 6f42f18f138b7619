import EarshotCore
import EarshotService
import EarshotStore
import EarshotTUI
import Foundation

/// `earshot-bench tui-run --db PATH`: one measured start of the inbox in the terminal, wired as
/// `earshot tui` wires single-user mode (store, service, `LocalInbox`, `EffectRunner`, the
/// outbox deliverer's thread), drawing onto a 120x40 `MemoryTerminal` instead of ncurses.
/// Prints a `TUIRunResult` as JSON; `earshot-bench tui` spawns it once per run.
struct TUIRun {
    let path: String
    /// The parent's CLOCK_MONOTONIC just before it spawned this process.
    let spawned: UInt64?
    let presses: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--db", "--spawned", "--presses"])
        guard let path = options.extra["--db"] else { throw BenchUsage("tui-run needs --db PATH") }
        self.path = path
        spawned = try options.extra["--spawned"].map { value in
            guard let nanoseconds = UInt64(value) else { throw BenchUsage("--spawned needs nanoseconds") }
            return nanoseconds
        }
        presses = try options.extra["--presses"].map { try BenchUsage.int($0, "--presses") } ?? 1_000
    }

    func run() throws {
        let entered = Self.monotonicNanoseconds()
        let origin = spawned ?? entered
        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        let opened = Self.monotonicNanoseconds()
        let service = InboxService(store: store, clock: SystemClock())
        let api = LocalInbox(service: service, login: TUIBenchmark.login)
        let runner = EffectRunner(api: api)
        let deliverer = OutboxDeliverer(service: service, log: { _ in })
        deliverer.start()
        defer { deliverer.stop() }
        let delivering = Self.monotonicNanoseconds()
        let me = try api.send(Inbox.Summary()).me
        let terminal = MemoryTerminal(width: 120, height: 40)
        // A real terminal keeps one previous frame to diff against, not a test's history.
        terminal.historyLimit = 1
        let app = App(
            terminal: terminal, model: AppModel(login: me.login, keymap: .standard, size: terminal.size),
            runner: runner, clock: SystemClock())
        let wired = Self.monotonicNanoseconds()
        app.start()
        app.settle()  // the first frame with the first window in it
        let framed = Self.monotonicNanoseconds()
        let rssFirst = Self.memory("VmRSS")
        try check(app, terminal, "the first frame")
        let firstRows = app.model.state.queue.rows.count

        // Keys only from here on: the 250 ms tick (event poll) would land on a random key.
        app.tickInterval = Int64.max / 4
        // Wall time, and this thread's CPU time: on a shared machine the difference is time
        // spent preempted, which the app does not cause.
        var lastCPU = 0.0
        func press(_ key: Key) -> (seconds: Double, read: Bool) {
            let queue = app.model.state.queue
            let before = (queue.rows.count, queue.rows.first?.conversation.id, queue.rows.last?.conversation.id)
            terminal.feed(keys: key)
            let cpuStarted = Self.threadCPUNanoseconds()
            let started = Self.monotonicNanoseconds()
            app.step(waiting: 0)
            app.settle()  // handled, its reads answered and drawn
            let seconds = Double(Self.monotonicNanoseconds() - started) / 1e9
            lastCPU = Double(Self.threadCPUNanoseconds() - cpuStarted) / 1e9
            let after = app.model.state.queue
            return (seconds, before != (after.rows.count, after.rows.first?.conversation.id, after.rows.last?.conversation.id))
        }
        // mine → unassigned → open: the largest view a responder scrolls.
        let switchView = [press(.character("v")).seconds, press(.character("v")).seconds]
        guard app.model.state.queue.view == .open else { throw BenchUsage("v v led to \(app.model.state.queue.view), not open") }
        var down: [Double] = [], downReads: [Double] = [], up: [Double] = [], upReads: [Double] = []
        var moved = 0, downCPU: [Double] = [], upCPU: [Double] = []
        for _ in 0..<presses {
            let selected = app.model.state.queue.selectedRow?.conversation.id
            let (seconds, read) = press(.character("j"))
            down.append(seconds)
            downCPU.append(lastCPU)
            if read { downReads.append(seconds) }
            if app.model.state.queue.selectedRow?.conversation.id != selected { moved += 1 }
        }
        let rowsAfterDown = app.model.state.queue.rows.count
        for _ in 0..<presses {
            let (seconds, read) = press(.character("k"))
            up.append(seconds)
            upCPU.append(lastCPU)
            if read { upReads.append(seconds) }
        }
        try check(app, terminal, "j and k")
        // The parts of a j that reads: the read-ahead window alone, and a frame alone.
        var windowRead: [Double] = [], frame: [Double] = []
        let state = app.model.state
        let middle = state.queue.rows.dropFirst(state.queue.rows.count / 2).first
        let request = QueueWindowRequest(view: state.queue.view, filter: state.queue.filter,
                                         anchor: middle.map { .after($0.position) } ?? .first, limit: 54)
        for _ in 0..<20 { windowRead.append(try Self.seconds { _ = try api.send(request) }) }
        for _ in 0..<20 { frame.append(try Self.seconds { _ = AppView.render(state, keymap: app.model.keymap) }) }
        let bottom = press(.character("G")).seconds
        try check(app, terminal, "G")
        let openThread = press(.enter).seconds
        if !app.model.state.queue.rows.isEmpty {
            try check(app, terminal, "Enter")
            guard app.model.state.thread?.thread != nil else { throw BenchUsage("Enter did not load the thread") }
        }

        // Memory as a responder's session leaves it, before the load below (which ingests).
        let (rssAfterKeys, peakRSS) = (Self.memory("VmRSS"), Self.memory("VmHWM"))
        let underLoad = try TUIUnderLoad(app: app, terminal: terminal, store: store).run()

        var result = TUIRunResult(
            toMain: Double(entered - origin) / 1e9, openStore: Double(opened - entered) / 1e9,
            deliverer: Double(delivering - opened) / 1e9, summary: Double(wired - delivering) / 1e9, appStart: Double(framed - wired) / 1e9,
            firstFrame: Double(framed - origin) / 1e9, firstRows: firstRows, view: "open", moved: moved, rowsAfterDown: rowsAfterDown,
            switchView: switchView, down: down, downCPU: downCPU, downReads: downReads, up: up, upCPU: upCPU, upReads: upReads,
            windowRead: windowRead, frame: frame, bottom: bottom, openThread: openThread, rssAfterFirstFrameMB: rssFirst,
            rssAfterKeysMB: rssAfterKeys, peakRSSMB: peakRSS)
        result.keysUnderLoad = underLoad.keys
        result.supervisorRefreshes = underLoad.refreshes
        result.arrivalsUnderLoad = underLoad.arrivals
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
    }

    /// The frame shows the inbox and no error: a failed read would otherwise time as a fast key.
    private func check(_ app: App, _ terminal: MemoryTerminal, _ stage: String) throws {
        if let message = app.model.state.message, message.isError {
            throw BenchUsage("after \(stage): \(message.text)")
        }
        guard terminal.lines.contains(where: { $0.contains("Queue: ") }) else {
            throw BenchUsage("after \(stage) the screen shows no queue:\n" + terminal.lines.joined(separator: "\n"))
        }
    }

    static func seconds(_ body: () throws -> Void) throws -> Double {
        let started = monotonicNanoseconds()
        try body()
        return Double(monotonicNanoseconds() - started) / 1e9
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// A line of /proc/self/status (VmRSS, VmHWM) in MiB.
    static func memory(_ field: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1024
        }
        return 0
    }
}
