import EarshotCore
import EarshotIngest
import EarshotStore
import EarshotService
import Foundation

/// The life around the person running `earshot demo`: customers writing (generated, or a real
/// export replayed), simulated teammates claiming, answering, noting, resolving and taking
/// breaks, the clock rules and routing. Everything goes through the real service and the real
/// ingest path, so the TUI, the stats and the delivery see what they would see on a real day.
///
/// Time: the service keeps the real clock, so every stored time is real. `speed` compresses
/// the simulated gaps (arrivals, thinking, typing): demo time runs `speed` times faster than
/// the clock from `startOfDay`. The SLA targets the caller gives the service should be
/// `compressed(_:by:)` by the same factor, so the SLA picture keeps a real day's proportions.
///
/// Not thread-safe: `prepare()` and `advance()` are called from one thread.
public final class DemoSimulation {
    public struct Options: Sendable {
        /// The person running the demo: a supervisor who gets work like everyone else.
        public var login: String
        public var speed: Double = 10
        public var seed: UInt64 = 1
        /// The demo time of day at the start, in seconds after midnight.
        public var startOfDay: Double = 9 * 3600
        /// Conversations already waiting at the start (the night's mail).
        public var backlog = 20
        /// A real export to feed instead of generated customers; its brand replies are the
        /// team's answers, so the simulated teammates stay away.
        public var replay: DemoReplay?
        /// Longest quiet stretch of a replay, in the export's seconds; longer ones are cut short.
        public var maximumReplayGap: Double = 300

        public init(login: String) { self.login = login }
    }

    /// What happened so far.
    public struct Counts: Equatable, Sendable {
        /// Customer messages (follow-ups included), backlog included: stored through ingest, or
        /// posted on a live channel's platform for its connector to read.
        public var arrivals = 0
        /// Of those, customers writing again in an existing thread.
        public var followUps = 0
        /// Replies the simulated teammates queued.
        public var teammateReplies = 0
        /// Brand replies from a replayed export.
        public var brandReplies = 0
        public var notes = 0
        public var claims = 0
        /// Conversations the teammates resolved.
        public var resolved = 0
        /// Records that could not be stored (each logged).
        public var rejected = 0
        /// Customer posts made on a live platform (the demo's Mastodon stub) for its connector to read.
        public var livePosts = 0

        public init() {}
    }

    public let service: InboxService
    public let options: Options
    /// Channels whose customers post on a live platform instead of being ingested here (the
    /// demo's stubs): the account's connector reads them as it reads the real platform. The
    /// closure posts and returns the platform's id for the post.
    public var livePosting: [Platform: (DemoMention, Timestamp) -> String] = [:]
    /// Live posts not yet read back by their connector: once stored, their conversation is
    /// known, and teammates' answers and the customers' follow-ups can refer to them.
    private var livePending: [(platform: Platform, id: String, mention: DemoMention)] = []
    public let teammates: [DemoTeammate]
    public private(set) var counts = Counts()
    /// When the simulation started, on the service's clock.
    public let realStart: Timestamp
    let log: (String) -> Void
    private let applier: IngestApplier
    private var generator: DemoGenerator
    private var random: DemoRandom
    private var schedule = DemoSchedule()
    /// The latest generated message in each conversation, for answers and follow-ups.
    private var latest: [ConversationID: DemoMention] = [:]
    private var mates: [MateState]
    private var needsRouting = false
    private var lastTick: Timestamp
    private var replayOffsets: [Double] = []

    private struct MateState {
        var id: ResponderID?
        var onBreakUntil: Double?
        /// When they finish what they are answering now; the next answer starts after.
        var busyUntil: Double = 0
        /// Conversations they mean to answer or resolve.
        var planned: Set<ConversationID> = []
        /// When they answered each conversation, to tell a new customer message from their own.
        var answeredAt: [ConversationID: Timestamp] = [:]
    }

    enum Action: Equatable {
        case arrival
        case replay(Int)
        case followUp(DemoFollowUp, ConversationID)
        case nudge(ConversationID)
        case look(Int)
        case answer(Int, ConversationID)
        case resolve(Int, ConversationID)
    }

    public init(service: InboxService, options: Options, log: @escaping (String) -> Void = { _ in }) {
        self.service = service
        self.options = options
        self.log = log
        teammates = options.replay == nil ? DemoTeammates.roster(besides: options.login) : []
        mates = Array(repeating: MateState(), count: teammates.count)
        applier = IngestApplier(clock: service.clock, triage: ClassifierTriage())
        applier.sla = service.sla
        generator = DemoGenerator(seed: options.seed, from: options.startOfDay)
        // A second stream for the team, so their choices do not shift the customers' posts.
        random = DemoRandom(seed: options.seed ^ 0x7EA3_3A7E_5EED_0001)
        realStart = service.clock.now()
        lastTick = realStart
    }

    /// SLA targets divided by `speed`: a four-hour target becomes 24 minutes at speed 10.
    public static func compressed(_ sla: SLAPolicy, by speed: Double) -> SLAPolicy {
        var compressed = sla
        for (priority, target) in sla.targets {
            compressed.targets[priority] = SLATarget(
                firstResponse: target.firstResponse.map { max(1000, Int64(Double($0) / speed)) },
                reply: target.reply.map { max(1000, Int64(Double($0) / speed)) },
                businessHoursOnly: target.businessHoursOnly)
        }
        return compressed
    }

    // MARK: - Time

    /// Demo seconds since midnight of the first demo day at real time `time`.
    public func demoTime(at time: Timestamp) -> Double {
        options.startOfDay + Double(time.milliseconds(since: realStart)) / 1000 * options.speed
    }

    /// The real time at which demo time `demo` comes.
    public func realTime(atDemo demo: Double) -> Timestamp {
        realStart.adding(milliseconds: Int64(((demo - options.startOfDay) / options.speed * 1000).rounded()))
    }

    /// The demo time now, as `HH:MM` (a day later shows as `+1 HH:MM`).
    public func clockText(at time: Timestamp) -> String {
        let demo = demoTime(at: time)
        let day = Int(demo / 86_400)
        let minutes = Int(demo.truncatingRemainder(dividingBy: 86_400) / 60)
        let text = String(format: "%02d:%02d", minutes / 60, minutes % 60)
        return day > 0 ? "+\(day) \(text)" : text
    }

    /// True when a replay has fed its last item.
    public var isFinished: Bool { options.replay != nil && schedule.isEmpty }

    // MARK: - Setting up

    /// Adds the person (supervisor) and the teammates, fills the backlog, routes it, and plans
    /// the first arrivals and looks.
    public func prepare() throws {
        let me = options.login
        let existing = try service.store.read { try $0.responder(login: me) }
        if existing == nil || existing?.removedAt != nil {
            try service.addResponder(NewResponder(
                login: me, displayName: Self.displayName(of: me), initials: Self.initials(of: me), role: .supervisor,
                availability: .available, capacity: 5), by: me)
        } else {
            try service.updateResponder(me, ResponderChanges(role: .supervisor, capacity: 5, availability: .available), by: me)
        }
        for (index, mate) in teammates.enumerated() {
            let responder: Responder
            if try service.store.read({ try $0.responder(login: mate.login) }) != nil {
                responder = try service.updateResponder(
                    mate.login, ResponderChanges(displayName: mate.name, initials: mate.initials, role: .agent,
                                                 capacity: mate.capacity, availability: .available), by: me)
            } else {
                responder = try service.addResponder(NewResponder(
                    login: mate.login, displayName: mate.name, initials: mate.initials, role: .agent,
                    availability: .available, capacity: mate.capacity), by: me)
            }
            mates[index].id = responder.id
            schedule.add(.look(index), at: options.startOfDay + random.uniform(1...20))
        }
        let start = options.startOfDay
        if let replay = options.replay {
            replayOffsets = replay.offsets(maximumGap: options.maximumReplayGap)
            if !replay.items.isEmpty { schedule.add(.replay(0), at: start) }
            return
        }
        // The night's mail, spread over the ten hours before the start, all in one go.
        let times = (0..<options.backlog).map { _ in start - random.uniform(60...(10 * 3600)) }.sorted()
        for time in times {
            apply(generator.mention(at: time), at: time)
        }
        try route()
        schedule.add(.arrival, at: generator.nextArrival(after: start))
    }

    static func displayName(of login: String) -> String {
        guard let entry = getpwnam(login), let gecos = entry.pointee.pw_gecos,
              let name = String(validatingCString: gecos)?.split(separator: ",").first, !name.isEmpty
        else { return login.prefix(1).uppercased() + login.dropFirst() }
        return String(name)
    }

    static func initials(of login: String) -> String {
        let letters = login.filter { $0.isASCII && $0.isLetter }
        return letters.isEmpty ? "ME" : String(letters.prefix(2)).uppercased()
    }

    // MARK: - Running

    /// Does everything due up to now on the service's clock: arrivals, the team's actions,
    /// routing, and the clock rules once a second.
    public func advance() {
        let now = service.clock.now()
        let demoNow = demoTime(at: now)
        while let (time, action) = schedule.popDue(at: demoNow) {
            perform(action, at: time)
        }
        adoptLivePosts()
        do {
            if needsRouting { try route() }
            if now.milliseconds(since: lastTick) >= 1000 {
                lastTick = now
                try service.tick()
            }
        } catch {
            log("routing: \(error)")
        }
    }

    /// Live posts their connector has stored: their conversations are the simulation's now.
    private func adoptLivePosts() {
        guard !livePending.isEmpty else { return }
        livePending.removeAll { pending in
            guard let stored = try? service.store.read({ try $0.mention(platform: pending.platform, externalID: pending.id) }) else { return false }
            latest[stored.conversationID] = pending.mention
            return true
        }
    }

    private func route() throws {
        needsRouting = false
        if service.policy.routing != .manual { try service.route() }
    }

    private func perform(_ action: Action, at time: Double) {
        do {
            switch action {
            case .arrival:
                let mention = generator.mention(at: time)
                if let conversation = apply(mention, at: time), mention.intent == .question || mention.intent == .complaint,
                   random.chance(0.15) {
                    schedule.add(.nudge(conversation), at: time + random.uniform(1200...3000))
                }
                schedule.add(.arrival, at: generator.nextArrival(after: time))
            case let .replay(index):
                try replay(index, at: time)
            case let .followUp(reason, conversation):
                guard let previous = latest[conversation] else { return }
                apply(generator.followUp(reason, to: previous), at: time)
            case let .nudge(id):
                guard let previous = latest[id], let conversation = try service.store.read({ try $0.conversation(id) }),
                      conversation.status == .open, conversation.waitingSince != nil, conversation.lastReplyAt == nil
                else { return }
                apply(generator.followUp(.nudge, to: previous), at: time)
            case let .look(index):
                try look(index, at: time)
            case let .answer(index, id):
                try answer(index, id, at: time)
            case let .resolve(index, id):
                try resolve(index, id, at: time)
            }
        } catch {
            log("\(action): \(error)")
        }
    }

    /// Stores a generated post through the ingest path (Earshot JSON Lines, the parser and the
    /// applier `earshot ingest` uses), stamped with the real time its demo time maps to.
    @discardableResult
    private func apply(_ mention: DemoMention, at time: Double) -> ConversationID? {
        if let post = livePosting[mention.channel.platform] {
            let id = post(mention, realTime(atDemo: time))
            livePending.append((mention.channel.platform, id, mention))
            counts.livePosts += 1
            counts.arrivals += 1
            if mention.followUp != nil { counts.followUps += 1 }
            return nil
        }
        let line = mention.jsonLine(createdAt: realTime(atDemo: time))
        switch EarshotJSONL.parse(RawRecord(bytes: Array(line.utf8), line: 1)) {
        case let .success(item):
            guard let outcome = store(item) else { return nil }
            if case let .stored(conversation) = outcome {
                latest[conversation] = mention
                if mention.followUp != nil { counts.followUps += 1 }
                return conversation
            }
            return nil
        case let .failure(problem):
            counts.rejected += 1
            log("generated post refused: \(problem.message): \(line)")
            return nil
        }
    }

    @discardableResult
    private func store(_ item: IncomingItem) -> ApplyOutcome? {
        do {
            let outcome = try service.store.write { writer in try applier.apply(item, in: writer) }
            switch outcome {
            case .stored:
                if case .brandReply = item { counts.brandReplies += 1 } else { counts.arrivals += 1 }
                needsRouting = true
            case let .rejected(message):
                counts.rejected += 1
                log("not stored: \(message)")
            case .duplicate, .deferred, .posted:
                break
            }
            return outcome
        } catch {
            applier.forgetCaches()
            counts.rejected += 1
            log("not stored: \(error)")
            return nil
        }
    }

    private func replay(_ index: Int, at time: Double) throws {
        guard let replay = options.replay, replay.items.indices.contains(index) else { return }
        let item = DemoReplay.item(replay.items[index], at: realTime(atDemo: time))
        store(item)
        let next = index + 1
        if replay.items.indices.contains(next) {
            schedule.add(.replay(next), at: options.startOfDay + replayOffsets[next])
        }
    }

    // MARK: - The team

    /// A teammate glances at the inbox: back from (or off to) a break, picks up what is
    /// theirs, claims from the queue when it backs up, and (the first of them) clears
    /// old spam and reposts out of the way.
    private func look(_ index: Int, at time: Double) throws {
        let mate = teammates[index]
        defer { schedule.add(.look(index), at: max(time, mates[index].onBreakUntil ?? time) + random.uniform(15...40)) }
        try service.reportActivity(of: mate.login)
        if let until = mates[index].onBreakUntil {
            guard time >= until else { return }
            mates[index].onBreakUntil = nil
            try service.setAvailability(.available, of: mate.login, by: mate.login)
        } else if random.chance(0.005), !mates.contains(where: { $0.onBreakUntil != nil }) {
            mates[index].onBreakUntil = time + random.uniform(300...1200)
            try service.setAvailability(.away, of: mate.login, by: mate.login)
            return
        }
        let mine = try service.queue(.mine, limit: 20, for: mate.login)
        for row in mine where !mates[index].planned.contains(row.conversation.id) {
            plan(index, row.conversation.id, at: time)
        }
        // Routing hands work out up to capacity; when everyone is full (a burst), a teammate
        // takes one more from the queue by hand.
        if mine.count <= mate.capacity, random.chance(0.5),
           let row = try service.queue(.unassigned, limit: 1, for: mate.login).first {
            do {
                try service.claim(row.conversation.id, by: mate.login)
                counts.claims += 1
                plan(index, row.conversation.id, at: time)
            } catch ServiceError.alreadyClaimed {
                // Someone was quicker: that happens.
            }
        }
        if index == 0, random.chance(0.2) {
            let now = service.clock.now()
            for row in try service.queue(.aside, limit: 5, for: mate.login)
            where row.assignee == nil
                && Double(now.milliseconds(since: row.conversation.lastCustomerMessageAt)) / 1000 * options.speed > 600 {
                try service.resolve(row.conversation.id, by: mate.login)
            }
        }
    }

    /// Plans an answer after whatever they are answering now.
    private func plan(_ index: Int, _ id: ConversationID, at time: Double) {
        mates[index].planned.insert(id)
        let start = max(time, mates[index].busyUntil)
        let done = start + random.uniform(teammates[index].pace)
        mates[index].busyUntil = done
        schedule.add(.answer(index, id), at: done)
    }

    private func answer(_ index: Int, _ id: ConversationID, at time: Double) throws {
        let mate = teammates[index]
        guard let conversation = try service.store.read({ try $0.conversation(id) }),
              conversation.assigneeID == mates[index].id, conversation.status != .resolved
        else {
            // Reassigned, resolved by someone else, or released while they were busy.
            mates[index].planned.remove(id)
            return
        }
        if let until = mates[index].onBreakUntil {
            schedule.add(.answer(index, id), at: until + random.uniform(10...60))
            return
        }
        guard conversation.waitingSince != nil else {
            schedule.add(.resolve(index, id), at: time + random.uniform(10...40))
            return
        }
        let mention = latest[id] ?? fallbackMention(for: conversation)
        try service.sendReply(id, text: DemoTeammates.answer(to: mention, random: &random), confirmed: true, by: mate.login)
        counts.teammateReplies += 1
        // On the same scale as the customers' message times (their demo times, mapped), so a
        // message that comes even a moment later counts as newer.
        mates[index].answeredAt[id] = realTime(atDemo: time)
        if random.chance(0.12) {
            try service.addNote(id, text: DemoTeammates.note(random: &random), by: mate.login)
            counts.notes += 1
        }
        let thanks = mention.intent == .praise || mention.followUp == .thanks
        schedule.add(.resolve(index, id), at: time + random.uniform(thanks ? 10...40 : 40...150))
        // What the customer does once the answer reaches them.
        if !thanks {
            let roll = random.unit()
            if roll < 0.3 {
                schedule.add(.followUp(.thanks, id), at: time + random.uniform(120...1500))
            } else if roll < 0.42 {
                schedule.add(.followUp(.stillBroken, id), at: time + random.uniform(120...1500))
            }
        }
    }

    private func resolve(_ index: Int, _ id: ConversationID, at time: Double) throws {
        let mate = teammates[index]
        guard let conversation = try service.store.read({ try $0.conversation(id) }),
              conversation.assigneeID == mates[index].id, conversation.status != .resolved
        else {
            mates[index].planned.remove(id)
            return
        }
        if let answered = mates[index].answeredAt[id], conversation.lastCustomerMessageAt > answered {
            // The customer wrote again before they closed it: answer that first.
            plan(index, id, at: time)
            return
        }
        try service.resolve(id, by: mate.login)
        counts.resolved += 1
        mates[index].planned.remove(id)
        mates[index].answeredAt[id] = nil
    }

    /// For a conversation the simulation did not write (one the person reassigned from an
    /// earlier demo run): an English question about an order, from the stored customer.
    private func fallbackMention(for conversation: Conversation) -> DemoMention {
        let handle = (try? service.store.read { try $0.customer(conversation.customerID) })?.handle ?? "there"
        let customer = DemoCustomer(
            number: 0, channel: DemoGenerator.channels[0], handle: handle, name: "", language: .english, isScammer: false,
            lastPostID: nil)
        return DemoMention(
            externalID: "", customer: customer, text: "", intent: .question, topic: .other, subject: "other", kind: .mention, values: [:])
    }
}

/// The simulation's agenda: actions by demo time, first in first out at equal times.
struct DemoSchedule {
    private var entries: [(time: Double, order: Int, action: DemoSimulation.Action)] = []
    private var added = 0

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(_ action: DemoSimulation.Action, at time: Double) {
        added += 1
        // Kept sorted, latest first, so the next action is popped from the end.
        let index = entries.partitionIndex { $0.time < time || ($0.time == time && $0.order < added) }
        entries.insert((time, added, action), at: index)
    }

    mutating func popDue(at time: Double) -> (Double, DemoSimulation.Action)? {
        guard let last = entries.last, last.time <= time else { return nil }
        entries.removeLast()
        return (last.time, last.action)
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for an array where every element
    /// that does comes after every element that does not.
    fileprivate func partitionIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
