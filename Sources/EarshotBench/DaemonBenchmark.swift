import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore
import EarshotTUI
import Foundation
import Synchronization

/// 50 clients connected to a daemon while mentions arrive at 200/s: how long from a change
/// (its event's time) until every client has it, and how long a claim round trip takes.
struct DaemonBenchmark {
    let clients: Int
    let rate: Int
    let seconds: Int

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraOptions: ["--clients", "--rate", "--seconds"])
        clients = try options.extra["--clients"].map { try BenchUsage.int($0, "--clients") } ?? 50
        rate = try options.extra["--rate"].map { try BenchUsage.int($0, "--rate") } ?? 200
        seconds = try options.extra["--seconds"].map { try BenchUsage.int($0, "--seconds") } ?? 10
    }

    func run() throws {
        let dir = NSTemporaryDirectory() + "earshot-daemon-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteInboxStore(path: dir + "/bench.sqlite")
        var service = InboxService(store: store, clock: SystemClock(), policy: { var p = AssignmentPolicy(); p.routing = .manual; return p }())
        let me = loginName(of: getuid()) ?? "root"
        service.administrators = [me]
        try service.addResponder(NewResponder(login: me, displayName: "Bench", initials: "BE", role: .supervisor,
                                              availability: .available, capacity: 1_000_000), by: me)
        let server = DaemonServer(service: service, socketPath: dir + "/earshot.sock", log: { _ in })
        server.pollInterval = 0.01
        server.limits.connectionsPerUser = max(64, clients + 1)  // one Unix user plays every client here
        try server.start()
        defer { server.stop() }

        // Listeners record when each event reached them.
        let latencies = Latencies()
        let stop = Flag()
        var listeners: [Thread] = []
        for _ in 0..<clients {
            let connection = try DaemonConnection(path: server.socketPath)
            let thread = Thread {
                while !stop.isSet, let event = try? connection.nextEvent() {
                    latencies.addDelivery(SystemClock().now().milliseconds(since: event.at))
                }
            }
            thread.start()
            listeners.append(thread)
        }
        // Mentions arrive at `rate` per second through the store, as ingest writes them.
        let applier = IngestApplierFeed(store: store)
        for index in 0..<200 { _ = try applier.add(index: -1 - index) }  // a backlog for the screen to show
        let claimer = try DaemonConnection(path: server.socketPath)
        let screen = try ScreenWatcher(socketPath: server.socketPath, login: me)
        screen.start()
        let interval = 1.0 / Double(rate)
        let start = Date()
        var sent = 0
        while Date().timeIntervalSince(start) < Double(seconds) {
            let id = try applier.add(index: sent)
            sent += 1
            if sent % 20 == 0 {
                let before = DispatchTime.now()
                _ = try claimer.call(Inbox.Claim(id))
                latencies.addClaim(Double(DispatchTime.now().uptimeNanoseconds - before.uptimeNanoseconds) / 1e6)
            }
            // Another client claims what a TUI shows: how long until the TUI's screen no longer does.
            if sent % 20 == 10, let shown = screen.topRow() {
                screen.expectGone(shown)
                _ = try claimer.call(Inbox.Claim(shown))
            }
            let due = start.addingTimeInterval(Double(sent) * interval)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
        }
        Thread.sleep(forTimeInterval: 0.5)
        stop.set()
        let toScreen = screen.stop()
        let (delivery, claims) = latencies.sorted()
        func percentile(_ values: [Double], _ q: Double) -> Double {
            values.isEmpty ? .nan : values[min(values.count - 1, Int((q * Double(values.count)).rounded(.up)) - 1)]
        }
        print(String(format: "daemon: %d clients, %d mentions at %d/s: change seen by every client p50 %.1f ms, p99 %.1f ms (%d deliveries; target p99 <= 100 ms)",
                     clients, sent, rate, percentile(delivery, 0.5), percentile(delivery, 0.99), delivery.count))
        let claimP99 = percentile(claims, 0.99)
        print(String(format: "daemon: claim round trip p50 %.2f ms, p99 %.2f ms (%d claims; goal p99 <= 5 ms: %@)",
                     percentile(claims, 0.5), claimP99, claims.count, claimP99 <= 5 ? "met" : "MISSED"))
        print(String(format: "daemon: another client's claim to a TUI's frame without the row, p50 %.1f ms, p99 %.1f ms (%d claims; target p99 <= 100 ms)",
                     percentile(toScreen, 0.5), percentile(toScreen, 0.99), toScreen.count))
    }
}

/// Writes one new conversation with its first mention, as ingest does.
struct IngestApplierFeed {
    let store: any InboxStore

    func add(index: Int) throws -> ConversationID {
        let now = SystemClock().now()
        return try store.write { writer in
            let channel = try writer.channel(platform: .x, handle: "Acme") ?? writer.insertChannel(
                platform: .x, handle: "Acme", displayName: "Acme", because: EventDraft(.channelAdded, by: .ingest, at: now))
            let customer = try writer.customer(platform: .x, handle: "c\(index % 100)") ?? writer.insertCustomer(
                platform: .x, handle: "c\(index % 100)", displayName: "C", firstSeen: now, because: EventDraft(.customerAdded, by: .ingest, at: now))
            let (conversation, _) = try writer.openConversation(
                NewConversation(channelID: channel.id, customerID: customer.id, startedAt: now, preview: "help?"),
                with: NewMention(platform: .x, externalID: "m\(index)", channelID: channel.id, customerID: customer.id,
                                 conversationID: ConversationID(0), text: "help?", createdAt: now, rawPayload: "{}"),
                because: EventDraft(.opened, by: .ingest, at: now, detail: ["message_at": String(now.millisecondsSinceEpoch)]))
            return conversation.id
        }
    }
}

final class Latencies: Sendable {
    private let samples = Mutex((delivery: [Double](), claims: [Double]()))
    func addDelivery(_ milliseconds: Int64) { samples.withLock { $0.delivery.append(Double(milliseconds)) } }
    func addClaim(_ milliseconds: Double) { samples.withLock { $0.claims.append(milliseconds) } }
    func sorted() -> ([Double], [Double]) { samples.withLock { ($0.delivery.sorted(), $0.claims.sorted()) } }
}

final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

/// A TUI (the real app on a memory terminal) connected to the daemon, stepping on a thread of
/// its own: it publishes the conversation on top of its unassigned view and times how long a
/// claim of it, made by another client, takes to leave its screen.
final class ScreenWatcher: Sendable {
    private struct Shared {
        var top: ConversationID?
        var awaited: (id: ConversationID, since: UInt64)?
        var latencies: [Double] = []
        var stopped = false
    }
    private let shared = Mutex(Shared())
    private let app: Mutex<App>
    private let finished = DispatchSemaphore(value: 0)

    init(socketPath: String, login: String) throws {
        let runner = EffectRunner(api: RemoteInbox(connection: try DaemonConnection(path: socketPath)), socketPath: socketPath)
        let terminal = MemoryTerminal(width: 120, height: 40)
        terminal.historyLimit = 1
        let app = App(terminal: terminal, model: AppModel(login: login, keymap: .standard, size: terminal.size), runner: runner, clock: SystemClock())
        app.start()
        terminal.feed(keys: .character("v"))  // mine is empty: the unassigned view
        app.step(waiting: 0)
        app.settle()
        self.app = Mutex(app)
    }

    func start() {
        Thread.detachNewThread { [self] in
            while !shared.withLock({ $0.stopped }) {
                // A memory terminal never waits for a key; ncurses would, as long as the loop asks.
                let wait: UInt32 = app.withLock { $0.hasEffectsOut } ? 10_000 : 30_000
                usleep(wait)
                app.withLock { app in
                    app.step(waiting: 0)
                    let rows = Set(app.model.state.queue.rows.map(\.conversation.id))
                    let now = DispatchTime.now().uptimeNanoseconds
                    shared.withLock { shared in
                        shared.top = app.model.state.queue.rows.first?.conversation.id
                        if let awaited = shared.awaited, !rows.contains(awaited.id) {
                            shared.latencies.append(Double(now - awaited.since) / 1e6)
                            shared.awaited = nil
                        }
                    }
                }
            }
            finished.signal()
        }
    }

    /// The conversation on top of the screen now, unless a claim is still awaited.
    func topRow() -> ConversationID? { shared.withLock { $0.awaited == nil ? $0.top : nil } }

    /// Starts the clock for `id`, just before another client claims it.
    func expectGone(_ id: ConversationID) {
        shared.withLock { $0.awaited = (id, DispatchTime.now().uptimeNanoseconds) }
    }

    /// Stops the TUI; the latencies measured, sorted.
    func stop() -> [Double] {
        shared.withLock { $0.stopped = true }
        finished.wait()
        return shared.withLock { $0.latencies.sorted() }
    }
}
