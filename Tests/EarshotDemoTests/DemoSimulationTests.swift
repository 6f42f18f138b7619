import EarshotCore
import EarshotIngest
import EarshotDemo
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// The simulated day on a real store and a manual clock: the team sets up, the backlog is
/// routed, customers write, teammates answer at their pace and resolve, and the same seed
/// gives the same day.
struct DemoSimulationTests {
    final class Run {
        let directory: TemporaryDirectory
        let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
        let service: InboxService
        let simulation: DemoSimulation
        let log = Log()
        var problems: [String] { log.lines }

        final class Log {
            var lines: [String] = []
        }

        init(seed: UInt64, speed: Double = 60, replay: DemoReplay? = nil) throws {
            directory = try TemporaryDirectory("earshot-demo-sim")
            let store = try SQLiteInboxStore(path: directory.file("demo.sqlite"))
            var service = InboxService(store: store, clock: clock, sla: DemoSimulation.compressed(SLAPolicy(), by: speed))
            service.waveWatch = WaveWatch(settings: .compressed(by: speed))
            self.service = service
            var options = DemoSimulation.Options(login: "me")
            options.seed = seed
            options.speed = speed
            options.replay = replay
            simulation = DemoSimulation(service: service, options: options) { [log] in log.lines.append($0) }
            try simulation.prepare()
        }

        /// Runs `seconds` of real time in half-second steps, delivering the outbox as the
        /// deliverer would (every reply succeeds).
        func run(seconds: Int) throws {
            for _ in 0..<(seconds * 2) {
                clock.advance(milliseconds: 500)
                simulation.advance()
                while let request = try service.beginNextDelivery() {
                    try service.finishDelivery(ReplyID(request.replyID), outcome: .delivered(platformID: "sample-\(request.replyID)"))
                }
            }
        }

        func count(_ view: QueueViewName, for login: String = "me") throws -> Int {
            try service.queue(view, limit: 500, for: login).count
        }
    }

    @Test func theTeamIsSetUpAndTheBacklogRoutedBeforeTheFirstFrame() throws {
        let run = try Run(seed: 1)
        let responders = try run.service.responders()
        let me = try #require(responders.first { $0.0.login == "me" })
        #expect(me.0.role == .supervisor)
        #expect(me.0.availability == .available)
        #expect(me.0.capacity == 5)
        #expect(Set(responders.map(\.0.login)) == Set(["me"] + DemoTeammates.roster.map(\.login)))
        for mate in responders where mate.0.login != "me" {
            #expect(mate.0.role == .agent && mate.0.availability == .available && mate.0.capacity >= 3)
        }
        #expect(run.simulation.counts.arrivals == 20)
        // Routing gave the person work too, and the team the rest (capacity 19 in all).
        #expect(me.load > 0)
        #expect(try run.count(.open) > 0)
        #expect(try run.count(.unassigned) == 0)
    }

    @Test func customersWriteAndTeammatesAnswerResolveAndNeverTouchThePersonsWork() throws {
        let run = try Run(seed: 2)
        try run.run(seconds: 180)  // three demo hours at speed 60
        let counts = run.simulation.counts
        #expect(counts.arrivals > 150, "about 90 an hour from 9:00, plus bursts: \(counts)")
        #expect(counts.teammateReplies > 60, "\(counts)")
        #expect(counts.resolved > 40, "\(counts)")
        #expect(counts.followUps > 5, "\(counts)")
        #expect(counts.rejected == 0, "\(run.problems)")
        #expect(run.problems.isEmpty, "\(run.problems)")
        let (teamReplies, mine) = try run.service.store.read { reader -> ([Reply], [Conversation]) in
            let me = try #require(try reader.responder(login: "me"))
            var replies: [Reply] = []
            var conversations: [Conversation] = []
            for id in 1...Int64(5000) {
                guard let conversation = try reader.conversation(ConversationID(id)) else { break }
                replies += try reader.replies(in: conversation.id)
                if conversation.assigneeID == me.id { conversations.append(conversation) }
            }
            return (replies, conversations)
        }
        #expect(teamReplies.count == counts.teammateReplies)
        // Delivered, except those still in their five-second undo window.
        let undoStart = run.clock.now().adding(seconds: -5)
        #expect(teamReplies.allSatisfy { $0.state == .sent || ($0.state == .queued && ($0.queuedAt ?? undoStart) > undoStart) })
        #expect(teamReplies.filter { $0.state == .sent }.count > counts.teammateReplies * 9 / 10)
        for reply in teamReplies {
            #expect(ReplyLength.measure(reply.text).isValid)
            #expect(reply.text.range(of: #" \^[A-Z]{2}$"#, options: .regularExpression) != nil, "signed: \(reply.text)")
        }
        // The person's conversations wait for them: nobody else answers or closes them.
        #expect(!mine.isEmpty)
        for conversation in mine {
            #expect(conversation.status != .resolved)
            #expect(!teamReplies.contains { $0.conversationID == conversation.id })
        }
    }

    /// Issue 19: on the demo's traffic, each burst (an outage: everyone quotes its error code)
    /// forms a wave within a minute of its fifth post, and answering it sends each customer one
    /// reply in their language, within 140.
    @Test(.timeLimit(.minutes(3))) func aBurstFormsAWaveWithinAMinuteOfItsFifthPostAndIsAnsweredPerCustomer() throws {
        let run = try Run(seed: 2)
        let window = run.service.waveWatch.settings.window
        var answered: [Int64: WaveAnswerReport] = [:]
        // Six demo hours at speed 60, a demo minute at a time; each wave is answered as soon as it forms.
        for _ in 0..<360 {
            try run.run(seconds: 1)
            for wave in try run.service.store.read({ try $0.activeWaves() }) where answered[wave.id] == nil {
                answered[wave.id] = try run.service.answerWave(wave.id, variants: Self.answers, by: "me")
            }
        }
        let (waves, mentions) = try run.service.store.read { reader in
            (try Set(answered.keys).compactMap { try reader.wave($0) }, try reader.customerMessages(afterMention: 0, limit: 100_000))
        }
        // The outages: posts quoting a server error, by code.
        let outage = Dictionary(grouping: mentions.filter { message in DemoBurst.codes.contains { message.text.contains("error \($0)") || message.text.contains("エラー\($0)") } }) {
            message in DemoBurst.codes.first { message.text.contains($0) } ?? ""
        }
        #expect(outage.values.contains { $0.count >= 5 }, "six demo hours hold at least one burst of five or more")
        for (code, posts) in outage where posts.count >= 5 {
            let times = posts.map(\.at.millisecondsSinceEpoch).sorted()
            guard let fifth = times.indices.dropFirst(4).first(where: { times[$0] - times[$0 - 4] <= window }).map({ times[$0] }) else { continue }
            let ids = Set(posts.map(\.conversationID))
            // The burst's wave: the one holding its posts.
            let wave = try #require(waves.first { wave in
                try run.service.store.read { try $0.waveMembers(wave.id) }.contains { ids.contains($0.conversationID) }
            }, "the outage quoting \(code) formed no wave")
            let lag = wave.createdAt.millisecondsSinceEpoch - fifth
            #expect(lag <= 60_000, "\(wave.name) formed \(lag) ms after the fifth post quoting \(code)")
        }
        // No wave of everyday words: most of every wave's customers quote an outage's code.
        for wave in waves {
            let members = try run.service.store.read { try $0.waveMembers(wave.id) }
            let quoting = members.filter { member in outage.values.contains { $0.contains { $0.conversationID == member.conversationID } } }
            if quoting.count * 5 < members.count * 4 {
                let texts = try members.map { member in try run.service.store.read { try $0.mentions(in: member.conversationID) }.map(\.text) }
                Issue.record("\(wave.name): \(quoting.count) of \(members.count) quote an outage: \(texts)")
            }
        }
        // Each customer answered once, in their language (while still in the wave), within 140.
        var replied = 0
        for (id, report) in answered {
            #expect(report.replies.count > 0)
            let members = Dictionary(uniqueKeysWithValues: try run.service.store.read { try $0.waveMembers(id) }.compactMap { member in
                member.replyID.map { ($0, member) }
            })
            for replyID in report.replies {
                let reply = try #require(try run.service.store.read { try $0.reply(replyID) })
                #expect(Self.answers.values.contains { reply.text.contains($0) }, "\(reply.text)")
                if let member = members[replyID] { #expect(reply.text.contains(Self.answers[member.language.rawValue] ?? "?"), "\(reply.text)") }
                #expect(ReplyLength.measure(reply.text).isValid, "\(reply.text)")
                let others = try run.service.store.read { try $0.replies(in: reply.conversationID) }.filter { reply in Self.answers.values.contains { reply.text.contains($0) } }
                #expect(others.count == 1, "one wave answer per customer")
                replied += 1
            }
        }
        print("demo waves: \(waves.map(\.name)); \(replied) customers answered")
    }

    static let answers = ["en": "Sorry! The outage is fixed, please try again.", "es": "¡Perdón! Ya está arreglado, inténtalo de nuevo.",
                          "ja": "ご迷惑をおかけしました。復旧しましたので、もう一度お試しください。"]

    @Test func theSameSeedGivesTheSameDay() throws {
        let first = try Run(seed: 5)
        let second = try Run(seed: 5)
        try first.run(seconds: 60)
        try second.run(seconds: 60)
        #expect(first.simulation.counts == second.simulation.counts)
        #expect(try first.service.store.read { try $0.counts() } == second.service.store.read { try $0.counts() })
    }

    @Test func demoTimeRunsAtTheSpeedFromTheStartOfDay() throws {
        let run = try Run(seed: 1, speed: 60)
        let start = run.simulation.realStart
        #expect(run.simulation.demoTime(at: start) == 9 * 3600)
        #expect(run.simulation.demoTime(at: start.adding(seconds: 60)) == 10 * 3600)
        #expect(run.simulation.realTime(atDemo: 10 * 3600) == start.adding(seconds: 60))
        #expect(run.simulation.clockText(at: start.adding(seconds: 90)) == "10:30")
        #expect(run.simulation.clockText(at: start.adding(seconds: 15 * 60 + 30)) == "+1 00:30")
        let sla = DemoSimulation.compressed(SLAPolicy(), by: 60)
        let normal = try #require(sla.targets[Priority.normal])
        let urgent = try #require(sla.targets[Priority.urgent])
        #expect(normal.firstResponse == Int64(4 * 60_000))
        #expect(normal.reply == Int64(8 * 60_000))
        #expect(urgent.firstResponse == Int64(15_000))
    }

    @Test func aReplayFeedsTheExportAtItsPaceWithItsBrandRepliesAndNoTeammates() throws {
        let directory = try TemporaryDirectory("earshot-demo-replay")
        let file = directory.file("twcs.csv")
        // Two customers, a brand answer a minute after each, and a year-long silence in between.
        try """
            tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
            1,115712,True,Tue Oct 31 10:00:00 +0000 2017,@AcmeHelp my order never came,2,
            2,AcmeHelp,False,Tue Oct 31 10:01:00 +0000 2017,@115712 Sorry! Sending a new one today ^JK,,1
            3,115713,True,Wed Oct 31 10:00:00 +0000 2018,@AcmeHelp is the shop open on Sunday?,4,
            4,AcmeHelp,False,Wed Oct 31 10:02:00 +0000 2018,@115713 Yes from 10 to 4 ^JK,,3

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let replay = try DemoReplay.load(file)
        #expect(replay.format == .twcs)
        #expect(replay.items.count == 4)
        #expect(replay.offsets(maximumGap: 300) == [0, 60, 360, 480])
        let run = try Run(seed: 1, speed: 60, replay: replay)
        #expect(run.simulation.teammates.isEmpty)
        #expect(try run.service.responders().map(\.0.login) == ["me"])
        try run.run(seconds: 1)
        #expect(run.simulation.counts.arrivals == 1, "the second customer writes a year (cut to five demo minutes) later")
        try run.run(seconds: 8)
        #expect(run.simulation.counts.arrivals == 2)
        #expect(run.simulation.counts.brandReplies == 2)
        #expect(run.simulation.isFinished)
        // Stamped when fed: real time, at the export's pace divided by the speed.
        let mentions = try run.service.store.read { reader in
            try (1...2).flatMap { try reader.mentions(in: ConversationID(Int64($0))) }
        }
        #expect(mentions.map(\.createdAt) == [run.simulation.realStart, run.simulation.realStart.adding(seconds: 6)])
    }
}
