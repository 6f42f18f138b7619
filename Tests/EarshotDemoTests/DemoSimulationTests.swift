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
            service = InboxService(store: store, clock: clock, sla: DemoSimulation.compressed(SLAPolicy(), by: speed))
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
