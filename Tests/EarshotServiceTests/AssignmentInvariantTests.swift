import EarshotCore
import EarshotService
import EarshotStore
import EarshotTestSupport
import Testing

/// Random operation sequences with the manual clock; after every step the invariants of
/// issue 4 are checked against the store itself.
@Suite struct AssignmentInvariantTests {
    static let logins = ["ann", "bob", "cat", "dev"]

    /// 1,000 sequences of 12 steps, in ten chunks that run in parallel (100 on PostgreSQL, where
    /// each sequence's fresh database costs more than its steps).
    @Test(arguments: 0..<10)
    func invariantsHoldOverAThousandRandomSequences(chunk: Int) throws {
        let perChunk = ServiceFixture.storeIsPostgres ? 10 : 100
        for seed in (chunk * 100 + 1)...(chunk * 100 + perChunk) {
            try runSequence(seed: UInt64(seed), length: 12)
        }
    }

    /// Runs one sequence, checking the invariants after every step.
    func runSequence(seed: UInt64, length: Int) throws {
        var random = SeededRandom(seed: seed)
        let policies: [RoutingPolicy] = [.roundRobin, .balanced, .manual]
        let fixture = try ServiceFixture {
            $0.routing = policies[Int(seed % 3)]
            $0.sticky = seed % 2 == 0
            $0.onOffline = seed % 4 < 2 ? .keep : .release
            $0.returnToQueueMinutes = seed % 5 == 0 ? 10 : 0
            $0.idleAwayMinutes = seed % 7 == 0 ? 5 : 0
        }
        for (index, login) in Self.logins.enumerated() {
            try fixture.responder(
                login, role: index == 0 ? .supervisor : .agent, capacity: Int.random(in: 0...3, using: &random),
                availability: [Availability.available, .away, .offline][Int.random(in: 0...2, using: &random)])
        }
        var conversations: [ConversationID] = []
        for _ in 0..<3 { conversations.append(try fixture.conversation()) }

        for step in 0..<length {
            let actor = Self.logins.randomElement(using: &random)!
            let target = conversations.randomElement(using: &random)!
            let automatic = fixture.service.policy.routing != .manual
            let lastEvent = try fixture.store.read { try $0.counts().events }
            // Whether a routing pass ran in this step: explicitly, on the clock, or as the drain
            // an operation triggers when routing is automatic (only if the operation went through).
            var routingRan = false
            do {
                switch Int.random(in: 0..<14, using: &random) {
                case 0, 1:
                    let triage: TriageClass = [.question, .complaint, .spam, .broadcast, .praise][Int.random(in: 0...4, using: &random)]
                    let customer = try fixture.customer("c\(Int.random(in: 0...3, using: &random))")
                    conversations.append(try fixture.conversation(
                        customer: customer, triage: triage, priority: Priority(rawValue: Int.random(in: 0...3, using: &random))!))
                    // Ingest routes what it brought in when routing is automatic.
                    if automatic { try fixture.service.route(); routingRan = true }
                case 2: try fixture.service.claim(target, by: actor)
                case 3:
                    try fixture.service.assign(target, to: Self.logins.randomElement(using: &random)!, by: actor)
                    routingRan = automatic
                case 4: try fixture.service.release(target, by: actor); routingRan = automatic
                case 5: try fixture.service.resolve(target, by: actor); routingRan = automatic
                case 6: try fixture.service.reopen(target, by: actor); routingRan = automatic
                case 7:
                    try fixture.service.snooze(target, until: fixture.clock.now().adding(seconds: 600), by: actor)
                    routingRan = automatic
                case 8:
                    let availability = [Availability.available, .away, .offline][Int.random(in: 0...2, using: &random)]
                    try fixture.service.setAvailability(availability, of: actor, by: actor)
                    routingRan = automatic
                case 9:
                    try fixture.service.updateResponder(
                        Self.logins.randomElement(using: &random)!,
                        ResponderChanges(capacity: Int.random(in: 0...4, using: &random)), by: "ann")
                    routingRan = automatic
                case 10:
                    fixture.clock.advance(minutes: Int64.random(in: 1...12, using: &random))
                    try fixture.service.tick()
                    routingRan = automatic
                case 11: try fixture.service.reportActivity(of: actor)
                case 12: try fixture.service.addNote(target, text: "checked", by: actor)
                default: try fixture.service.route(); routingRan = true
                }
            } catch is ServiceError {
                // Refusals are part of the game: permissions, wrong states.
            }
            try check(fixture, routingRan: routingRan, eventsBefore: lastEvent, context: "seed \(seed) step \(step)")
        }
    }

    func check(_ fixture: ServiceFixture, routingRan: Bool, eventsBefore: Int, context: String) throws {
        let responders = try fixture.service.responders()
        let byLogin = Dictionary(uniqueKeysWithValues: responders.map { ($0.0.login, $0) })
        // Routing never goes to away or offline responders, never over capacity: every
        // assignment the system made in this step is checked against the state it left.
        let routedThisStep = try fixture.store.read { try $0.events(after: EventID(Int64(eventsBefore)), limit: 10_000) }
            .filter { $0.kind == .assigned && $0.actor == .system }
        for event in routedThisStep {
            let (responder, load) = try #require(byLogin[event.detail["to"] ?? ""], "\(context)")
            #expect(responder.availability == .available, "\(context): routed to \(responder.login) who is \(responder.availability)")
            #expect(load <= responder.capacity, "\(context): \(responder.login) carries \(load) over capacity \(responder.capacity)")
        }
        // After routing ran, nothing routable waits while someone has room.
        if routingRan {
            let someoneHasRoom = responders.contains { $0.0.availability == .available && $0.load < $0.0.capacity }
            let backlog = try fixture.store.read { try $0.queue(.unassigned, after: nil, limit: 1) }
            #expect(!(someoneHasRoom && !backlog.isEmpty), "\(context): \(backlog.first?.id.description ?? "") waits while someone has room")
        }
        // One owner, and the event log agrees with the row: replaying assignment events of every
        // conversation this step touched gives the stored assignee (no lost or doubled update).
        let touched = Set(try fixture.store.read { try $0.events(after: EventID(Int64(eventsBefore)), limit: 10_000) }
            .compactMap(\.conversationID))
        try fixture.store.read { reader in
            for id in touched {
                let conversation = try #require(try reader.conversation(id), "\(context)")
                var owner: String?
                for event in try reader.events(for: id) {
                    switch event.kind {
                    case .claimed:
                        if case let .responder(login) = event.actor { owner = login }
                    case .assigned: owner = event.detail["to"]
                    case .released: owner = nil
                    default: break
                    }
                }
                let stored = try conversation.assigneeID.flatMap { try reader.responder($0) }?.login
                #expect(owner == stored, "\(context): conversation \(id) log says \(owner ?? "nobody"), row says \(stored ?? "nobody")")
            }
        }
    }
}
