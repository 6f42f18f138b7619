import EarshotCore
import EarshotService
import EarshotStore
import EarshotTestSupport
import EarshotTUI
import Foundation

/// The whole TUI over a real SQLite store, in memory: a MemoryTerminal for the screen, a
/// manual clock for time, the service in-process (as single-user mode runs it).
final class AppFixture {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_795_000_000))  // 2026-11-17
    var service: InboxService
    let terminal: MemoryTerminal
    private(set) var app: App!
    let channel: Channel

    /// Screens are drawn in UTC. The zone is set once for the whole test process, and not at
    /// all when it already runs in UTC (`make test` runs it so): `setenv` while other suites'
    /// threads read the environment (every date formatter does) is a data race in glibc, which
    /// can corrupt the heap. A fixture per test used to set it each time.
    private static let utc: Void = {
        if getenv("TZ").map({ String(cString: $0) }) != "UTC" {
            setenv("TZ", "UTC", 1)
            NSTimeZone.resetSystemTimeZone()
        }
    }()

    init(width: Int = 120, height: Int = 40, colors: Bool = true) throws {
        _ = Self.utc
        directory = try TemporaryDirectory("earshot-app")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        var policy = AssignmentPolicy()
        policy.routing = .manual
        service = InboxService(store: store, clock: clock, policy: policy)
        service.administrators = ["root"]
        let at = clock.now()
        channel = try store.write { writer in
            try writer.insertChannel(platform: .x, handle: "AcmeSupport", displayName: "Acme", because: EventDraft(.channelAdded, by: .system, at: at))
        }
        for (login, initials, role) in [("dana", "DK", ResponderRole.supervisor), ("eli", "EL", .agent)] {
            try service.addResponder(
                NewResponder(login: login, displayName: login.capitalized, initials: initials, role: role, availability: .available, capacity: 5),
                by: "root")
        }
        terminal = MemoryTerminal(width: width, height: height, colorsEnabled: colors)
    }

    /// A customer message opening a conversation, `minutesAgo` before now.
    @discardableResult
    func mention(_ handle: String, _ text: String, minutesAgo: Int64 = 5, triage: TriageClass = .question) throws -> ConversationID {
        let at = clock.now().adding(seconds: -minutesAgo * 60)
        let channel = self.channel.id
        return try store.write { writer in
            let customer = try writer.customer(platform: .x, handle: handle)
                ?? writer.insertCustomer(platform: .x, handle: handle, displayName: handle, firstSeen: at,
                                         because: EventDraft(.customerAdded, by: .ingest, at: at))
            let (conversation, _) = try writer.openConversation(
                NewConversation(channelID: channel, customerID: customer.id, triageClass: triage, startedAt: at,
                                slaDueAt: at.adding(seconds: 3600), preview: text),
                with: NewMention(
                    platform: .x, externalID: UUID().uuidString, channelID: channel, customerID: customer.id,
                    conversationID: ConversationID(0), cycle: 1, kind: .mention, text: text, createdAt: at,
                    inReplyToExternalID: nil, platformConversationID: nil, rawPayload: "{}"),
                because: EventDraft(.opened, by: .ingest, at: at, detail: ["message_at": String(at.millisecondsSinceEpoch)]))
            return conversation.id
        }
    }

    /// Starts the app as `login` and draws the first frame.
    func start(as login: String = "dana") {
        let model = AppModel(login: login, keymap: .standard, size: terminal.size)
        app = App(terminal: terminal, model: model, runner: EffectRunner(api: LocalInbox(service: service, login: login)), clock: clock)
        app.start()
        app.settle()
    }

    /// Feeds keys and runs the loop until they are all handled.
    func press(_ keys: Key...) {
        terminal.feed(keys.map { .key($0) })
        drain()
    }

    func type(_ text: String) {
        terminal.type(text)
        drain()
    }

    func drain() {
        // Effects run off the loop: the screen is looked at once their answers are in.
        while !terminal.pendingEvents.isEmpty { app.step(waiting: 0) }
        app.settle()
    }

    /// Lets `milliseconds` pass on the clock, ticking as the real loop would.
    func wait(milliseconds: Int64) {
        var left = milliseconds
        while left > 0 {
            let step = min(left, 250)
            clock.advance(milliseconds: step)
            left -= step
            app.step(waiting: 0)
            app.settle()
        }
    }

    var screen: String { terminal.lines.joined(separator: "\n") }
}
