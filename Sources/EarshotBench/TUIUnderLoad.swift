import EarshotCore
import EarshotIngest
import EarshotStore
import EarshotTUI
import Foundation
import Synchronization

/// Keys while the app is busy: the supervisor pane shown (its snapshot, a statistics pass over
/// the whole store, read at once and every 5 seconds on the effect thread) and customers
/// writing at 200 mentions a second through ingest, as a live fetcher would. Each key is timed
/// from its arrival to its frame drawn: what a supervisor feels (issue 14: p99 ≤ 10 ms).
struct TUIUnderLoad {
    let app: App
    let terminal: MemoryTerminal
    let store: SQLiteInboxStore
    var seconds = 8.0
    var mentionsPerSecond = 200.0

    struct Result {
        var keys: [Double] = []
        var refreshes = 0
        var arrivals = 0
    }

    func run() throws -> Result {
        // Back from the thread to the queue (q at the queue would quit), then the supervisor pane.
        if app.model.state.focus != .queue {
            terminal.feed(keys: .character("q"))
            app.step(waiting: 0)
            app.settle()
        }
        terminal.feed(keys: .character("S"))
        app.step(waiting: 0)
        guard app.model.state.supervisor != nil else { throw BenchUsage("S did not open the supervisor pane (is the bench responder a supervisor?)") }
        app.tickInterval = 250  // the 5-second refresh and the event poll run as in a real session

        let stop = Atomic<Bool>(false)
        let arrivals = Atomic<Int>(0)
        let writer = Thread { [store, mentionsPerSecond] in
            let applier = IngestApplier(clock: SystemClock(), triage: ClassifierTriage(), defaultChannel: "AcmeSupport")
            let gap = 1 / mentionsPerSecond
            var next = Date()
            var index = 0
            while !stop.load(ordering: .relaxed) {
                index += 1
                let item = IncomingItem.mention(IncomingMention(
                    platform: .x, externalID: "underload-\(getpid())-\(index)", authorHandle: "live\(index % 500)",
                    text: "@AcmeSupport where is my order \(index)?", createdAt: SystemClock().now(), rawPayload: "{}"))
                if (try? store.write({ writer in try applier.apply(item, in: writer) })) != nil {
                    arrivals.add(1, ordering: .relaxed)
                }
                next += gap
                let wait = next.timeIntervalSinceNow
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }

        var result = Result()
        var lastSnapshot = app.model.state.supervisor?.snapshot?.now
        let deadline = Date().addingTimeInterval(seconds)
        var down = true
        while Date() < deadline {
            // j and k in turn: the selection moves in the pane's list of conversations in trouble.
            terminal.feed(keys: .character(down ? "j" : "k"))
            down.toggle()
            let started = TUIRun.monotonicNanoseconds()
            app.step(waiting: 0)
            result.keys.append(Double(TUIRun.monotonicNanoseconds() - started) / 1e9)
            let snapshot = app.model.state.supervisor?.snapshot?.now
            if snapshot != lastSnapshot {
                result.refreshes += 1
                lastSnapshot = snapshot
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop.store(true, ordering: .relaxed)
        result.arrivals = arrivals.load(ordering: .relaxed)
        return result
    }
}
