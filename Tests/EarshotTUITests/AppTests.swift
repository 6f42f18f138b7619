import EarshotCore
import EarshotService
import EarshotStore
import EarshotTUI
import GRDB
import Testing

/// The TUI end to end without a terminal: real store, real service, MemoryTerminal screens.
@Suite(.serialized) struct AppTests {
    func busyFixture(width: Int = 120, height: Int = 40, colors: Bool = true) throws -> AppFixture {
        let fixture = try AppFixture(width: width, height: height, colors: colors)
        try fixture.mention("kim", "Where is my order 1234? It was due Monday", minutesAgo: 90)
        try fixture.mention("mori", "注文はいつ届きますか？ 🙏 家族👨‍👩‍👧に贈り物です", minutesAgo: 50, triage: .question)
        try fixture.mention("ana", "¿Dónde está mi pedido? 🇪🇸 Café ñ e\u{301}", minutesAgo: 30, triage: .complaint)
        try fixture.mention("omar", "مرحبا، طلبي لم يصل بعد", minutesAgo: 10)
        try fixture.mention("dov", "שלום, ההזמנה שלי לא הגיעה", minutesAgo: 2, triage: .praise)
        return fixture
    }

    @Test func queueAndThreadAt120x40WithEveryKindOfScript() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.press(.character("v"))  // mine is empty; unassigned holds them
        fixture.press(.character("j"), .enter)
        Snapshot.assertMatches(fixture.terminal.screen, named: "app-thread-120x40")
        #expect(fixture.screen.contains("注文はいつ届きますか"))
    }

    @Test func queueAt80x24AndTooSmallAt40x10AndResizeRelaysAtOnce() throws {
        let fixture = try busyFixture(width: 80, height: 24)
        fixture.start()
        fixture.press(.character("v"))
        Snapshot.assertMatches(fixture.terminal.screen, named: "app-queue-80x24")
        fixture.terminal.resize(width: 40, height: 10)
        fixture.drain()
        Snapshot.assertMatches(fixture.terminal.screen, named: "app-too-small-40x10")
        #expect(fixture.screen.contains("earshot needs at least 80x24"))
        fixture.terminal.resize(width: 100, height: 30)
        fixture.drain()
        #expect(fixture.terminal.lines[0].hasPrefix("┏━ Queue: unassigned"))
        #expect(fixture.terminal.lines[0].count == 100)
    }

    @Test func theComposerCountsLikeTwitterAndRefusesToSendOver140() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.press(.character("v"), .character("g"), .enter, .character("r"))
        // "@kim " (5) + " ^DK" (4): 131 left.
        #expect(fixture.screen.contains(" 131 left "))
        fixture.type("see https://example.com/a/very/long/path/that/counts/as/23/only ")
        #expect(fixture.screen.contains(" 103 left "))
        fixture.type(String(repeating: "x", count: 84))
        #expect(fixture.screen.contains(" 19 left "))
        #expect(counterStyle(fixture, " 19 left ").contains("bold"), "20 or fewer left is bold")
        #expect(!counterStyle(fixture, " 19 left ").contains("reverse"))
        fixture.type(String(repeating: "y", count: 21))
        #expect(fixture.screen.contains(" -2 "))
        #expect(counterStyle(fixture, " -2 ").contains("reverse"), "over the limit is in reverse video")
        fixture.press(.control("s"))
        #expect(fixture.screen.contains("over 140 by 2 with your signature"))
        #expect(try fixture.service.outbox(all: true, by: "dana").isEmpty)
        fixture.press(.backspace, .backspace)
        fixture.press(.control("s"))
        #expect(fixture.screen.contains("reply queued"))
        #expect(try fixture.service.outbox(all: true, by: "dana").count == 1)
        // U within the undo window takes it back into the composer.
        fixture.press(.character("U"))
        #expect(fixture.screen.contains("reply taken back"))
        #expect(try fixture.service.outbox(all: true, by: "dana").isEmpty)
        #expect(fixture.screen.contains("Reply to #1"))
    }

    /// The style run covering the counter text `label` on the composer's title row.
    func counterStyle(_ fixture: AppFixture, _ label: String) -> String {
        let lines = fixture.terminal.lines
        guard let row = lines.lastIndex(where: { $0.contains(label) && $0.contains("Reply to") }),
              let range = lines[row].range(of: label) else { return "counter not found" }
        let column = lines[row].distance(from: lines[row].startIndex, to: range.lowerBound) + 1
        for run in fixture.terminal.screen.styleRuns() where run.hasPrefix("\(row): ") {
            let span = run.dropFirst("\(row): ".count).split(separator: " ")[0].split(separator: "-").compactMap { Int($0) }
            if span.count == 2, span[0] <= column, column <= span[1] { return run }
        }
        return "plain"
    }

    @Test func anotherRespondersChangeShowsWithinASecondWithoutMovingSelectionOrDraft() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.press(.character("v"), .character("j"), .character("j"), .enter, .character("r"))
        fixture.type("working on it")
        let selectedBefore = fixture.app.model.state.queue.selectedRow?.conversation.id
        let open = try #require(fixture.app.model.state.thread?.id)
        // Eli (another process, another responder) adds a note and a new mention arrives.
        let other = InboxService(store: try SQLiteInboxStore(path: fixture.store.path), clock: fixture.clock)
        try other.addNote(open, text: "I know this customer", by: "eli")
        try fixture.mention("newbie", "first time here, hello?", minutesAgo: 0)
        fixture.wait(milliseconds: 1_000)
        #expect(fixture.screen.contains("note by eli"))
        #expect(fixture.screen.contains("@newbie"))
        #expect(fixture.app.model.state.queue.selectedRow?.conversation.id == selectedBefore)
        #expect(fixture.app.model.state.composer?.editor.text.hasSuffix("working on it") == true)
        // The draft was saved as typed (within a second).
        #expect(try fixture.service.draft(of: open, by: "dana")?.text.hasSuffix("working on it") == true)
    }

    @Test func quittingWithAnUnsentReplyAsksFirst() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.press(.character("v"), .enter, .character("r"))
        fixture.type("half an answer")
        fixture.press(.control("c"))
        #expect(fixture.screen.contains("is unsent"))
        #expect(!fixture.app.model.state.quitting)
        fixture.press(.character("n"))
        #expect(!fixture.app.model.state.quitting)
        fixture.press(.control("c"), .character("y"))
        #expect(fixture.app.model.state.quitting)
        #expect(try fixture.service.draft(of: ConversationID(1), by: "dana")?.text.hasSuffix("half an answer") == true)
    }

    @Test func withoutColourEveryStateStillShows() throws {
        let fixture = try busyFixture(colors: false)
        try fixture.mention("late", "overdue one", minutesAgo: 300)
        fixture.start()
        fixture.press(.character("v"))
        let screen = fixture.screen
        #expect(screen.contains("▶"))  // the selection has a glyph, not just reverse video
        #expect(screen.contains("!!"))  // breached is a glyph
        #expect(!fixture.terminal.screen.styleRuns().contains { $0.contains("fg=") })
    }

    @Test func theSupervisorPaneShowsTheTeamAndReassignsWhatIsPastItsSLA() throws {
        let fixture = try busyFixture()
        let late = try fixture.mention("late", "still waiting after five hours", minutesAgo: 300)
        fixture.start(as: "eli")
        fixture.press(.character("S"))
        #expect(fixture.screen.contains("the supervisor pane is for supervisors"))
        fixture.start(as: "dana")
        fixture.press(.character("S"))
        let screen = fixture.screen
        #expect(screen.contains("Supervisor:"))
        #expect(screen.contains("waiting 6"))
        #expect(screen.contains("unassigned 6"))
        #expect(screen.contains("eli          available  0/5"))
        #expect(screen.contains("█ in ▒ out, per hour"))
        #expect(screen.contains("2 breached"))
        // The most overdue is selected first; a reassigns it.
        #expect(fixture.app.model.state.supervisor?.trouble.first?.conversation.id == late)
        fixture.press(.character("a"))
        fixture.type("eli")
        fixture.press(.enter)
        #expect(fixture.screen.contains("#\(late) assigned to eli"))
        #expect(try fixture.service.thread(late, for: "dana").assignee == "eli")
        fixture.wait(milliseconds: 500)
        #expect(fixture.screen.contains("eli          available  1/5"))
        fixture.press(.character("S"))
        #expect(fixture.screen.contains("Queue: mine"))
    }

    @Test func aCannedReplyExpandsWithTab() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.app.model.canned = CannedReplies(snippets: [
            .init(name: "shipping", text: "Sorry for the wait! It ships today.", file: "shipping.txt"),
            .init(name: "thanks", text: "Thank you!", file: "thanks.txt"),
        ])
        fixture.press(.character("v"), .enter, .character("r"))
        fixture.type("::sh")
        fixture.press(.tab)
        #expect(fixture.app.model.state.composer?.editor.text == "@kim Sorry for the wait! It ships today.")
        fixture.type(" ::")
        fixture.press(.tab)
        #expect(fixture.screen.contains("canned: shipping thanks"))
    }

    @Test func scrollingALongViewHoldsAFewScreensAndComesBackInOrder() throws {
        let fixture = try AppFixture(width: 100, height: 30)
        for index in 0..<1_200 { try fixture.mention("c\(index)", "message \(index)", minutesAgo: Int64(2_000 - index)) }
        fixture.start()
        fixture.press(.character("v"), .character("v"))  // the open view: oldest first
        let expected = try fixture.service.queueWindow(QueueWindowRequest(view: .open, limit: 1_200), for: "dana").map(\.conversation.id)
        for _ in 0..<1_000 { fixture.press(.character("j")) }
        let state = fixture.app.model.state.queue
        #expect(state.selectedRow?.conversation.id == expected[1_000])
        #expect(state.rows.count <= 200, "the window holds a few screens, not all \(state.rows.count) rows scrolled past")
        for _ in 0..<1_000 { fixture.press(.character("k")) }
        #expect(fixture.app.model.state.queue.selectedRow?.conversation.id == expected[0])
        fixture.press(.character("G"))
        #expect(fixture.app.model.state.queue.selectedRow?.conversation.id == expected.last)
        fixture.press(.character("k"))
        #expect(fixture.app.model.state.queue.selectedRow?.conversation.id == expected[expected.count - 2])
        fixture.press(.character("g"))
        #expect(fixture.app.model.state.queue.selectedRow?.conversation.id == expected[0])
    }

    @Test func availabilityTogglesWithAAndAFailedReplyIsRetriedWithR() throws {
        let fixture = try busyFixture()
        fixture.service.delivery.command = ["/bin/sh", "-c", "echo 'platform says no' >&2; exit 2"]
        fixture.service.delivery.maxAttempts = 1
        fixture.start()
        fixture.press(.character("A"))
        #expect(fixture.screen.contains("you are away"))
        #expect(fixture.screen.contains("dana (away)"))
        fixture.press(.character("A"))
        #expect(fixture.screen.contains("dana (available)"))
        // A reply that fails for good shows its error in the thread; R queues it again.
        let reply = try fixture.service.sendReply(ConversationID(1), text: "@kim on its way", by: "dana")
        fixture.clock.advance(seconds: 6)
        try OutboxDeliverer(service: fixture.service, log: { _ in }).deliverDue()
        fixture.wait(milliseconds: 500)
        fixture.press(.character("g"), .enter)
        #expect(fixture.screen.contains("[FAILED]"))
        #expect(fixture.screen.contains("delivery failed: /bin/sh exited with status 2: platform says no (R retries)"))
        fixture.press(.character("R"))
        #expect(fixture.screen.contains("reply \(reply.id) queued again"))
        #expect(try fixture.service.reply(reply.id, by: "dana").state == .queued)
    }

    /// What Tab offers after `:filter` is what the app applies: the `:` argument is parsed once,
    /// by one grammar (`:filter status:open` used to be offered, then refused by a second one).
    @Test func everyFilterTabOffersIsAppliedAndShownOnTheStatusLine() throws {
        let fixture = try busyFixture()
        fixture.start()
        let offered = CommandLineParser().completions(for: "filter ")
        #expect(!offered.isEmpty)
        for completion in offered {
            // A key without fixed values (channel:, label:) needs a value typed after it.
            let line = completion.hasSuffix(":") ? completion + "acme" : completion
            fixture.press(.character(":"))
            fixture.type(line)
            fixture.press(.enter)
            let term = String(line.dropFirst("filter ".count))
            #expect(fixture.screen.contains("filter: \(term)"), "\(line): \(fixture.terminal.lines.last ?? "")")
            #expect(!fixture.screen.contains("unknown"), "\(line) was refused")
        }
        // The filter prompt (\\) takes the same grammar, and an empty answer clears.
        fixture.press(.character("\\"))
        fixture.type("class:angry")
        fixture.press(.enter)
        #expect(fixture.screen.contains("filter class: takes one of question"))
        fixture.press(.character("\\"), .enter)
        #expect(fixture.screen.contains("filter cleared"))
    }

    /// In the demo every clock on the screen follows the demo's: at 10x, a minute of real time
    /// adds ten minutes to each wait and to the status bar's oldest, and a message's time of day
    /// is the demo's.
    @Test func theScreenClockMakesWaitsAndTimesFollowTheDemoClock() throws {
        let fixture = try busyFixture()
        fixture.start()
        let demoStart = Timestamp(secondsSinceEpoch: 1_795_000_000 - 1_795_000_000 % 86_400 + 9 * 3600)  // 09:00 that day
        fixture.app.model.state.screenClock = ScreenClock(speed: 10, realStart: fixture.clock.now(), shownStart: demoStart)
        fixture.press(.character("v"))
        // dov wrote 2 real minutes ago: 20 demo minutes; kim, 90 real minutes ago: 15 demo hours.
        #expect(fixture.screen.contains("20m @dov"), "\(fixture.screen)")
        #expect(fixture.screen.contains("oldest 15h"))
        fixture.wait(milliseconds: 60_000)
        #expect(fixture.screen.contains("30m @dov"), "a real minute is ten demo minutes")
        // The thread shows dov's message at 08:40 on the demo clock: 20 demo minutes before its 09:00 start.
        fixture.press(.character("G"), .enter)
        #expect(fixture.screen.contains("08:40 @dov"), "\(fixture.screen)")
    }

    /// t corrects the classifier on the selected conversation (the same grammar as `:class`),
    /// and the supervisor pane counts today's corrections.
    @Test func cCorrectsTheClassAndTheSupervisorPaneCountsIt() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.press(.character("v"), .character("g"))  // unassigned, kim's question first
        fixture.press(.character("t"))
        #expect(fixture.screen.contains("class of #1 (question, complaint, praise, broadcast, spam, other): "))
        fixture.type("spam")
        fixture.press(.enter)
        #expect(fixture.screen.contains("class set to spam"), "\(fixture.screen)")
        let conversation = try #require(try fixture.store.read { try $0.conversation(ConversationID(1)) })
        #expect(conversation.triageClass == .spam && conversation.triageLocked)
        #expect(!fixture.screen.contains("@kim"), "set aside, it leaves the unassigned view")
        fixture.press(.character("S"))
        fixture.wait(milliseconds: 500)
        #expect(fixture.screen.contains("classifier corrected 1× today: question→spam 1"), "\(fixture.screen)")
    }

    /// A reply a live account posted shows as sent, with the post's address on the platform.
    @Test func aDeliveredReplyShowsItsPlatformAddress() throws {
        let fixture = try busyFixture()
        let id = try fixture.mention("kim", "where is it?", minutesAgo: 1)
        _ = try fixture.service.claim(id, by: "dana")
        let reply = try fixture.service.sendReply(id, text: "on its way", basedOn: nil, confirmed: true, by: "dana")
        var service = fixture.service
        service.delivery.undoSeconds = 0
        fixture.clock.advance(minutes: 1)
        let request = try #require(try service.beginNextDelivery())
        #expect(request.replyID == reply.id.rawValue)
        try service.finishDelivery(reply.id, outcome: .delivered(platformID: "117", url: "https://mastodon.social/@acme/117"))
        _ = try fixture.service.resolve(id, by: "dana")
        fixture.start()
        // The resolved view (today's), where the answered conversation is.
        for _ in 0..<6 { fixture.press(.character("v")) }
        fixture.wait(milliseconds: 300)
        fixture.press(.enter)
        fixture.wait(milliseconds: 300)
        #expect(fixture.screen.contains("[sent]"), "\(fixture.screen)")
        #expect(fixture.screen.contains("https://mastodon.social/@acme/117"), "\(fixture.screen)")
    }

    /// The staffing strip: with no whole week of history it says so; with two weeks of 6
    /// conversations an hour, each answered 30 minutes after its claim (3 erlangs), every hour
    /// needs 4 responders, 2 more than the two available: marked.
    @Test func theSupervisorPaneShowsTheStaffingForecast() throws {
        let fixture = try busyFixture()
        fixture.start(as: "dana")
        fixture.press(.character("S"))
        fixture.wait(milliseconds: 300)
        #expect(fixture.screen.contains("STAFFING, next 12 hours: 2 available now"), "\(fixture.screen)")
        #expect(fixture.screen.contains("no complete week of history yet"), "\(fixture.screen)")

        let fresh = try AppFixture()
        let now = fresh.clock.now().millisecondsSinceEpoch / 3_600_000 * 3_600_000
        try DatabaseQueue(path: fresh.directory.file("inbox.sqlite")).write { db in
            try db.execute(sql: """
                INSERT INTO customer (id, platform, handle, display_name, first_seen) VALUES (900, 'x', 'someone', 'S', 0);
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2 * 168 * 6 - 1)
                INSERT INTO conversation (channel_id, customer_id, status, priority, triage_class, triage_reason, routable,
                    cycle, cycle_started_at, created_at, updated_at, last_customer_at, preview, assignee_id, assigned_at, last_reply_at)
                    SELECT \(fresh.channel.id), 900, 'resolved', 1, 'question', 'test', 1, 1, at, at, at, at, 'help', 1, at, at + 1800000
                    FROM (SELECT \(now) - 2 * 604800000 + i * 600000 AS at FROM n);
                INSERT INTO reply (conversation_id, cycle, author_id, text, state, created_at, updated_at, sent_at)
                    SELECT id, 1, 1, 'done', 'sent', last_reply_at, last_reply_at, last_reply_at FROM conversation WHERE customer_id = 900;
                """)
        }
        fresh.start(as: "dana")
        fresh.press(.character("S"))
        fresh.wait(milliseconds: 300)
        let screen = fresh.screen
        #expect(screen.contains("STAFFING, next 12 hours: 2 available now · 12 hours short (up to 2) !"), "\(screen)")
        #expect(screen.contains("expect 6   6   6"), "\(screen)")
        #expect(screen.contains("need   4!  4!  4!"), "\(screen)")
    }

    /// The waves pane: a burst of five about error 503 (one in Spanish) is one row; Enter lists
    /// its customers; `:wave open` names it; `:wave answer` with a canned reply and its Spanish
    /// variant queues one reply per customer; without the variant it is refused.
    @Test func theWavesPaneListsAWaveAndAnswersEachCustomer() throws {
        let fixture = try AppFixture()
        let posts = [("ann", "checkout fails with error 503"), ("bo", "error 503 at checkout again"), ("cy", "payment page error 503"),
                     ("dee", "¿el pago no funciona? error 503 desde hace rato"), ("eve", "getting error 503 when paying")]
        for (index, (handle, text)) in posts.enumerated() { try fixture.mention(handle, "@AcmeSupport " + text, minutesAgo: Int64(10 - index)) }
        try fixture.service.detectWaves()
        fixture.start(as: "dana")
        fixture.press(.character("W"))
        fixture.wait(milliseconds: 200)
        var screen = fixture.screen
        #expect(screen.contains("Waves: Enter lists one"), "\(screen)")
        #expect(screen.contains("▶ 1 \"503 error\" detected · 5 conversations · AcmeSupport · en es · oldest 10m"), "\(screen)")

        fixture.press(.enter)
        fixture.wait(milliseconds: 200)
        screen = fixture.screen
        #expect(screen.contains("Wave 1: Enter opens"), "\(screen)")
        #expect(screen.contains("@dee"), "\(screen)")
        #expect(screen.contains(" es "), "\(screen)")

        fixture.press(.character(":"))
        fixture.type("wave open checkout down")
        fixture.press(.enter)
        fixture.wait(milliseconds: 200)
        #expect(fixture.screen.contains("wave 1 \"checkout down\" is open"), "\(fixture.screen)")

        fixture.app.model.canned = CannedReplies(snippets: [.init(name: "fixed", text: "Checkout works again, sorry!", file: "fixed.txt")])
        fixture.press(.character(":"))
        fixture.type("wave answer fixed")
        fixture.press(.enter)
        fixture.wait(milliseconds: 200)
        #expect(fixture.screen.contains("wave 1 has customers writing in Span"), "\(fixture.screen)")
        fixture.app.model.canned = CannedReplies(snippets: [
            .init(name: "fixed", text: "Checkout works again, sorry!", file: "fixed.txt"),
            .init(name: "fixed.es", text: "¡El pago ya funciona, perdón!", file: "fixed.es.txt"),
        ])
        fixture.press(.character(":"))
        fixture.type("wave answer fixed")
        fixture.press(.enter)
        fixture.wait(milliseconds: 300)
        #expect(fixture.screen.contains("wave 1: 5 replies queued"), "\(fixture.screen)")
        #expect(fixture.screen.contains("answered"), "\(fixture.screen)")
        let replies = try fixture.store.read { reader in try (1...5).flatMap { try reader.replies(in: ConversationID(Int64($0))) } }
        #expect(replies.map(\.text).sorted() == [
            "@ann Checkout works again, sorry! ^DK", "@bo Checkout works again, sorry! ^DK", "@cy Checkout works again, sorry! ^DK",
            "@dee ¡El pago ya funciona, perdón! ^DK", "@eve Checkout works again, sorry! ^DK",
        ])
        fixture.press(.character("q"))
        #expect(fixture.screen.contains("Waves: Enter lists one"))
        fixture.press(.character("q"))
        #expect(fixture.screen.contains("Queue: mine"))
    }

    /// A live account in trouble is the first thing under the headline: mentions are not coming in.
    @Test func theSupervisorPaneShowsAnAccountThatIsNotHealthy() throws {
        let fixture = try busyFixture()
        let now = fixture.service.clock.now()
        fixture.service.accounts.update("acme-mastodon", platform: .mastodon, at: now) { status in
            status.channel = "acme@mastodon.social"
            status.state = .streaming
        }
        fixture.service.accounts.update("acme-backup", platform: .mastodon, at: now) { status in
            status.state = .tokenRejected
            status.lastError = "The access token is invalid (HTTP 401)"
        }
        fixture.start(as: "dana")
        fixture.press(.character("S"))
        fixture.wait(milliseconds: 300)
        let screen = fixture.screen
        #expect(screen.contains("account acme-backup: token rejected since \(now.iso8601) — The access token is invalid (HTTP 401)"), "\(screen)")
        #expect(!screen.contains("account acme-mastodon"), "a healthy account is not listed")
        for name in ["b1", "b2", "b3"] {
            fixture.service.accounts.update(name, platform: .bluesky, at: now) { $0.state = .stopped }
        }
        fixture.wait(milliseconds: 5_500)  // the pane's next read
        #expect(fixture.screen.contains("and 1 more accounts not reading: earshot account list"), "\(fixture.screen)")
    }

    /// A queue that cannot be read says so in the pane, not "nothing in VIEW" while work waits.
    @Test func aQueueThatCannotBeReadSaysSoInThePane() throws {
        let fixture = try busyFixture()
        fixture.start()
        fixture.app.model.state.queue.rows = []
        var model = fixture.app.model
        _ = model.handle(.queueFailed("the daemon's answer to queue.window could not be read; try again"))
        fixture.app.model = model
        fixture.drain()
        fixture.app.step(waiting: 0)
        #expect(fixture.screen.contains("could not read mine: the daemon's answer to queue.window could not be read"), "\(fixture.screen)")
        #expect(!fixture.screen.contains("nothing assigned to you"))
    }
}
