import EarshotCore
import EarshotService
import EarshotStore
import EarshotTUI
import Foundation
import Testing

/// Through the daemon the TUI applies the events it pushes: another client's claim reaches the
/// screen with no tick and no request from the TUI (its clock is stopped here), as fast as the
/// daemon pushes it.
@Suite(.serialized) struct PushedEventsTests {
    @Test func anotherClientsClaimReachesTheScreenWithoutTheTUIAsking() throws {
        let fixture = try AppFixture()
        let id = try fixture.mention("kim", "Where is my order 1234?", minutesAgo: 30)
        // The daemon knows clients by the kernel: this process's user is the TUI's responder.
        let me = try #require(loginName(of: geteuid()))
        try fixture.service.addResponder(
            NewResponder(login: me, displayName: "Me", initials: "ME", role: .agent, availability: .available, capacity: 5), by: "root")
        let server = DaemonServer(service: fixture.service, socketPath: fixture.directory.file("earshot.sock"), log: { _ in })
        server.pollInterval = 0.01
        try server.start()
        defer { server.stop() }

        let runner = EffectRunner(
            api: RemoteInbox(connection: try DaemonConnection(path: server.socketPath)), socketPath: server.socketPath)
        let app = App(terminal: fixture.terminal, model: AppModel(login: me, keymap: .standard, size: fixture.terminal.size),
                      runner: runner, clock: fixture.clock)
        app.start()
        app.settle()
        fixture.terminal.feed(keys: .character("v"))  // mine is empty; unassigned holds kim
        while !fixture.terminal.pendingEvents.isEmpty { app.step(waiting: 0) }
        app.settle()
        #expect(fixture.screen.contains("@kim"))
        // The first tick learns where the log ends; after it the clock stands still: no tick
        // polls the log from here on.
        fixture.clock.advance(milliseconds: 300)
        app.step(waiting: 0)
        app.settle()
        app.tickInterval = Int64.max / 4

        // Someone else claims kim's conversation (another client, straight into the service).
        try fixture.service.claim(id, by: "eli")
        let deadline = Date().addingTimeInterval(5)
        while fixture.screen.contains("@kim") && Date() < deadline {
            app.step(waiting: 5)
        }
        #expect(!fixture.screen.contains("@kim"), "the claim never reached the screen:\n\(fixture.screen)")
    }

    /// A stream of others' changes reloads the window for every batch and the status bar's
    /// counts at most once a second (the tick catches up): a busy inbox costs one screen two
    /// round trips per batch no more.
    @Test func aStreamOfEventsReadsTheCountsAtMostOnceASecond() {
        var model = AppModel(login: "dana", keymap: .standard, size: (width: 120, height: 40))
        let start = Timestamp(secondsSinceEpoch: 1_795_000_000)
        _ = model.handle(.tick(start))
        func batch(_ id: Int64) -> EventBatch {
            EventBatch(events: [Event(id: EventID(id), at: start, kind: .claimed, actor: .responder(login: "eli"),
                                      conversationID: ConversationID(1), detail: [:])], lastID: EventID(id))
        }
        let first = model.handle(.eventsArrived(batch(1)))
        let second = model.handle(.eventsArrived(batch(2)))
        #expect(first.contains(.loadSummary))
        #expect(!second.contains(.loadSummary))
        #expect(second.contains { if case .loadQueue = $0 { true } else { false } }, "the window is read for every batch")
        #expect(!model.handle(.tick(start.adding(milliseconds: 500))).contains(.loadSummary))
        #expect(model.handle(.tick(start.adding(milliseconds: 1_000))).contains(.loadSummary), "the tick catches up")
    }
}
