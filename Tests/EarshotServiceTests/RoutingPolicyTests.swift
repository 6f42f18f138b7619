import EarshotCore
import EarshotService
import EarshotStore
import Testing

@Suite struct RoutingPolicyTests {
    @Test func roundRobinGoesToTheLeastRecentlyAssigned() throws {
        let fixture = try ServiceFixture { $0.routing = .roundRobin; $0.sticky = false }
        try fixture.responder("ann")
        try fixture.responder("bob")
        try fixture.responder("cat")
        var ids: [ConversationID] = []
        for _ in 0..<6 { ids.append(try fixture.conversation()) }
        let assignments = try fixture.service.route()
        #expect(assignments.map(\.login) == ["ann", "bob", "cat", "ann", "bob", "cat"])
        #expect(assignments.map(\.conversation) == ids)

        // Later passes: the one whose last assignment is oldest goes first.
        fixture.clock.advance(minutes: 1)
        try fixture.service.claim(try fixture.conversation(), by: "cat")
        fixture.clock.advance(minutes: 1)
        let next = try fixture.conversation()
        #expect(try fixture.service.route().map(\.login) == ["ann"])
        fixture.clock.advance(minutes: 1)
        let after = try fixture.conversation()
        #expect(try fixture.service.route().map(\.login) == ["bob"])
        #expect(try fixture.assignee(next) == "ann" && fixture.assignee(after) == "bob")
    }

    @Test func balancedGoesToTheFewestOpenThenTheLeastRecentlyAssigned() throws {
        let fixture = try ServiceFixture { $0.routing = .manual; $0.sticky = false }
        try fixture.responder("ann", capacity: 5)
        try fixture.responder("bob", capacity: 5)
        let a1 = try fixture.conversation()
        let a2 = try fixture.conversation()
        try fixture.service.assign(a1, to: "ann", by: "admin")
        try fixture.service.assign(a2, to: "ann", by: "admin")
        fixture.clock.advance(minutes: 1)
        let fresh = try fixture.conversation()
        #expect(try fixture.service.route(policy: .balanced).map(\.login) == ["bob"])
        #expect(try fixture.assignee(fresh) == "bob")
        // ann 2, bob 1: bob again; then tie at 2: ann was assigned longer ago.
        let second = try fixture.conversation()
        fixture.clock.advance(minutes: 1)
        let third = try fixture.conversation()
        #expect(try fixture.service.route(policy: .balanced).map(\.login) == ["bob", "ann"])
        #expect(try fixture.assignee(second) == "bob")
        #expect(try fixture.assignee(third) == "ann")
    }

    @Test func stickyRoutingPrefersTheCustomersLastHandlerWhenTheyHaveRoom() throws {
        let fixture = try ServiceFixture { $0.routing = .balanced }
        try fixture.responder("ann", capacity: 1)
        try fixture.responder("bob", capacity: 1)
        let regular = try fixture.customer("regular")
        let first = try fixture.conversation(customer: regular)
        try fixture.service.assign(first, to: "bob", by: "admin")
        try fixture.service.resolve(first, by: "bob")
        // ann has fewer conversations in the past, but the customer's last handler was bob.
        let again = try fixture.conversation(customer: regular)
        let routed = try fixture.service.route()
        #expect(routed.first?.login == "bob")
        #expect(routed.first?.sticky == true)
        #expect(try fixture.assignee(again) == "bob")

        // bob is full now: the customer's next conversation goes to ann.
        let third = try fixture.conversation(customer: regular)
        #expect(try fixture.service.route().first?.login == "ann")
        #expect(try fixture.assignee(third) == "ann")
    }

    @Test func routingRespectsCapacityAvailabilityAndLeavesSpamAndBroadcastsAlone() throws {
        let fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann", capacity: 2)
        try fixture.responder("bob", capacity: 5, availability: .away)
        try fixture.responder("cat", capacity: 5, availability: .offline)
        let spam = try fixture.conversation(triage: .spam)
        let broadcast = try fixture.conversation(triage: .broadcast)
        var normal: [ConversationID] = []
        for _ in 0..<4 { normal.append(try fixture.conversation()) }
        let routed = try fixture.service.route(policy: .balanced)
        #expect(routed.map(\.login) == ["ann", "ann"])
        #expect(try fixture.assignee(spam) == nil && fixture.assignee(broadcast) == nil)
        #expect(try fixture.store.read { try $0.queue(.unassigned, after: nil, limit: 10) }.map(\.id) == Array(normal.suffix(2)))
    }

    @Test func theBacklogDrainsByPriorityThenNearestBreachThenAge() throws {
        let fixture = try ServiceFixture { $0.routing = .manual; $0.sticky = false }
        try fixture.responder("ann", capacity: 10)
        let now = fixture.clock.now()
        let oldNormal = try fixture.conversation()
        let lateNormal = try fixture.conversation(due: now.adding(seconds: 600))
        let soonNormal = try fixture.conversation(due: now.adding(seconds: 60))
        let urgent = try fixture.conversation(priority: .urgent)
        let high = try fixture.conversation(priority: .high, due: now.adding(seconds: 900))
        let low = try fixture.conversation(priority: .low, due: now)
        let newNormal = try fixture.conversation()
        let order = try fixture.service.route(policy: .balanced).map(\.conversation)
        #expect(order == [urgent, high, soonNormal, lateNormal, oldNormal, newNormal, low])
    }

    @Test func freedCapacityDrainsTheBacklogAtOnce() throws {
        let fixture = try ServiceFixture { $0.routing = .balanced }
        try fixture.responder("ann", capacity: 1)
        let first = try fixture.conversation()
        let waiting = try fixture.conversation()
        try fixture.service.route()
        #expect(try fixture.assignee(first) == "ann" && fixture.assignee(waiting) == nil)
        try fixture.service.resolve(first, by: "ann")
        #expect(try fixture.assignee(waiting) == "ann")

        // Raising capacity and becoming available drain too.
        let third = try fixture.conversation()
        try fixture.service.route()
        #expect(try fixture.assignee(third) == nil)
        try fixture.service.updateResponder("ann", ResponderChanges(capacity: 2), by: "admin")
        #expect(try fixture.assignee(third) == "ann")
        try fixture.service.setAvailability(.away, of: "ann", by: "ann")
        try fixture.responder("bob", capacity: 1, availability: .away)
        let fourth = try fixture.conversation()
        try fixture.service.route()
        #expect(try fixture.assignee(fourth) == nil)
        try fixture.service.setAvailability(.available, of: "bob", by: "bob")
        #expect(try fixture.assignee(fourth) == "bob")
    }

    @Test func goingOfflineKeepsOrReleasesWorkByPolicy() throws {
        for policy in [OfflinePolicy.keep, .release] {
            let fixture = try ServiceFixture { $0.routing = .manual; $0.onOffline = policy }
            try fixture.responder("ann")
            let id = try fixture.conversation()
            try fixture.service.claim(id, by: "ann")
            try fixture.service.setAvailability(.offline, of: "ann", by: "ann")
            #expect(try fixture.assignee(id) == (policy == .keep ? "ann" : nil))
            if policy == .release {
                let event = try #require(try fixture.lastEvent(id))
                #expect(event.kind == .released && event.actor == .system && event.detail["reason"] == "offline")
            }
        }
    }

    @Test func removingAResponderReturnsTheirWorkToTheQueue() throws {
        let fixture = try ServiceFixture { $0.routing = .balanced }
        try fixture.responder("ann", capacity: 2)
        let id = try fixture.conversation()
        try fixture.service.route()
        #expect(try fixture.service.removeResponder("ann", by: "admin") == [id])
        #expect(try fixture.assignee(id) == nil)
        #expect(throws: ServiceError.notAResponder(login: "ann")) { try fixture.service.claim(id, by: "ann") }
        try fixture.responder("bob", capacity: 2)
        #expect(try fixture.assignee(id) == "bob")
    }

    @Test func idleRespondersBecomeAwayAndGetNoNewWork() throws {
        let fixture = try ServiceFixture { $0.routing = .balanced; $0.idleAwayMinutes = 15 }
        try fixture.responder("ann")
        try fixture.service.reportActivity(of: "ann")
        fixture.clock.advance(minutes: 14)
        #expect(try fixture.service.tick().wentAway.isEmpty)
        fixture.clock.advance(minutes: 2)
        #expect(try fixture.service.tick().wentAway == ["ann"])
        let id = try fixture.conversation()
        try fixture.service.tick()
        #expect(try fixture.assignee(id) == nil)
    }

    @Test func untouchedAssignmentsReturnToTheQueue() throws {
        let fixture = try ServiceFixture { $0.routing = .manual; $0.returnToQueueMinutes = 10 }
        try fixture.responder("ann")
        let untouched = try fixture.conversation()
        let worked = try fixture.conversation()
        try fixture.service.claim(untouched, by: "ann")
        try fixture.service.claim(worked, by: "ann")
        fixture.clock.advance(minutes: 6)
        try fixture.service.addNote(worked, text: "looking into it", by: "ann")
        fixture.clock.advance(minutes: 5)
        #expect(try fixture.service.tick().returnedToQueue == [untouched])
        #expect(try fixture.assignee(untouched) == nil)
        #expect(try fixture.assignee(worked) == "ann")
        #expect(try fixture.lastEvent(untouched)?.detail["reason"] == "untouched 10 min")
    }

    @Test func respondersAreManagedBySupervisorsAfterTheFirst() throws {
        let fixture = try ServiceFixture()
        try fixture.responder("ann")
        #expect(throws: ServiceError.supervisorsOnly(action: "adding responders")) {
            try fixture.service.addResponder(NewResponder(login: "zed", displayName: "Zed", initials: "Z"), by: "ann")
        }
        #expect(throws: ServiceError.self) {
            try fixture.service.addResponder(NewResponder(login: "Bad Login", displayName: "x", initials: "BL"), by: "admin")
        }
        #expect(throws: ServiceError.supervisorsOnly(action: "changing responders")) {
            try fixture.service.updateResponder("ann", ResponderChanges(capacity: 9), by: "ann")
        }
        // Anyone may change their own availability.
        #expect(try fixture.service.setAvailability(.away, of: "ann", by: "ann").availability == .away)
    }
}
