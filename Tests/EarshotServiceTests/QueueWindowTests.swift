import EarshotCore
@testable import EarshotService
import EarshotStore
import Testing
import Foundation

/// Queue windows as the TUI pages through them: from the top, the bottom, after and before a
/// row, narrowed by filters and search, each row with its SLA mark.
@Suite struct QueueWindowTests {
    let fixture: ServiceFixture
    let other: Channel

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        try fixture.responder("ann")
        try fixture.responder("bob")
        let at = fixture.clock.now()
        other = try fixture.store.write { writer in
            try writer.insertChannel(
                platform: .mastodon, handle: "acme_help", displayName: "Acme on Mastodon",
                because: EventDraft(.channelAdded, by: .system, at: at))
        }
    }

    /// An open conversation as ingest would store it, with the given preview and customer.
    @discardableResult
    func open(
        _ preview: String, customer: String? = nil, channel: ChannelID? = nil, triage: TriageClass = .question,
        priority: Priority = .normal, dueInMinutes: Int64? = nil
    ) throws -> ConversationID {
        let customerID = try fixture.customer(customer)
        let at = fixture.clock.now()
        let channelID = channel ?? fixture.channel.id
        return try fixture.store.write { writer in
            try writer.insertConversation(
                NewConversation(
                    channelID: channelID, customerID: customerID, priority: priority, triageClass: triage, startedAt: at,
                    slaDueAt: dueInMinutes.map { at.adding(seconds: $0 * 60) }, preview: preview),
                because: EventDraft(.opened, by: .ingest, at: at)).id
        }
    }

    /// A varied inbox: due times out of order, ties, no due time, every priority, spam, a
    /// second channel, assigned, snoozed and resolved conversations.
    func populate() throws {
        let dues: [Int64?] = [50, 10, 30, 10, nil, 40, -20, 20, 60, nil, -5, 10, 35, 45, -60, 15, 25, 5, nil, 55]
        for (index, due) in dues.enumerated() {
            try open(
                "message \(index) about order #\(index)", channel: index % 4 == 0 ? other.id : nil,
                triage: index % 5 == 0 ? .complaint : .question, priority: Priority(rawValue: index % 4)!, dueInMinutes: due)
        }
        for index in 0..<3 { try open("WIN a free prize \(index)", triage: .spam) }
        for id in [2, 5, 9, 13].map(ConversationID.init) { try fixture.service.assign(id, to: "ann", by: "admin") }
        try fixture.service.assign(ConversationID(7), to: "bob", by: "admin")
        try fixture.service.snooze(ConversationID(4), until: fixture.clock.now().adding(seconds: 3600), by: "admin")
        try fixture.service.snooze(ConversationID(11), until: fixture.clock.now().adding(seconds: 600), by: "admin")
        for id in [3, 8, 17].map(ConversationID.init) {
            fixture.clock.advance(seconds: 1)
            try fixture.service.resolve(id, by: "admin")
        }
    }

    func window(_ view: QueueViewName, _ anchor: QueueAnchor = .first, limit: Int = 10_000, filter: QueueFilter = QueueFilter(), as login: String = "ann") throws -> [QueueRow] {
        try LocalInbox(service: fixture.service, login: login).send(QueueWindowRequest(view: view, filter: filter, anchor: anchor, limit: limit))
    }

    /// Pages down from the top and up from the bottom, `size` rows at a time.
    func pages(_ view: QueueViewName, size: Int, filter: QueueFilter = QueueFilter()) throws -> (down: [[QueueRow]], up: [[QueueRow]]) {
        var down = [try window(view, .first, limit: size, filter: filter)]
        while let last = down.last?.last {
            let next = try window(view, .after(last.position), limit: size, filter: filter)
            if next.isEmpty { break }
            down.append(next)
        }
        var up = [try window(view, .last, limit: size, filter: filter)]
        while let first = up.last?.first {
            let previous = try window(view, .before(first.position), limit: size, filter: filter)
            if previous.isEmpty { break }
            up.append(previous)
        }
        return (down.filter { !$0.isEmpty }, up.filter { !$0.isEmpty })
    }

    @Test(arguments: QueueViewName.allCases)
    func pagesDownAndUpTogetherAreTheWholeViewInOrder(view: QueueViewName) throws {
        try populate()
        let whole = try window(view).map(\.conversation.id)
        #expect(!whole.isEmpty, "\(view) is empty: the test would prove nothing")
        for size in [1, 3, 4, 100] {
            let (down, up) = try pages(view, size: size)
            #expect(down.flatMap { $0 }.map(\.conversation.id) == whole, "\(view) down by \(size)")
            // Pages up come bottom page first; each page is in view order.
            #expect(up.reversed().flatMap { $0 }.map(\.conversation.id) == whole, "\(view) up by \(size)")
            #expect(down.allSatisfy { $0.count <= size } && up.allSatisfy { $0.count <= size })
            #expect(try window(view, .last, limit: size).map(\.conversation.id) == Array(whole.suffix(size)))
        }
    }

    @Test func theOpenViewIsInDueOrderWithTiesByIdAndNoDueTimeLast() throws {
        try populate()
        let rows = try window(.open)
        let keys = rows.map { ($0.conversation.slaDueAt?.millisecondsSinceEpoch ?? .max, $0.conversation.id.rawValue) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(rows.allSatisfy { $0.position.id == $0.conversation.id })
        #expect(rows.allSatisfy { $0.position.sortKey == ($0.conversation.slaDueAt?.millisecondsSinceEpoch ?? .max) })
        #expect(rows.allSatisfy { $0.conversation.status == .open && $0.conversation.triageClass.isRoutable })
        // Rows name their channel, customer and assignee.
        let assigned = try #require(rows.first { $0.conversation.id == ConversationID(2) })
        #expect(assigned.assignee == "ann")
        #expect(assigned.customer == "customer2")
        #expect(rows.first { $0.conversation.id == ConversationID(1) }?.channel == "acme_help")
        #expect(rows.first { $0.conversation.id == ConversationID(2) }?.channel == "AcmeSupport")
    }

    @Test func mineIsTheCallersAndTheResolvedViewIsNewestFirst() throws {
        try populate()
        #expect(Set(try window(.mine).map(\.conversation.id.rawValue)) == [2, 5, 9, 13])
        #expect(try window(.mine, as: "bob").map(\.conversation.id.rawValue) == [7])
        #expect(try window(.resolved).map(\.conversation.id.rawValue) == [17, 8, 3])
        #expect(try window(.snoozed).map(\.conversation.id.rawValue) == [11, 4])
        #expect(try window(.aside).count == 3)
    }

    /// Each filter gives exactly the rows of the whole view that match it, in the view's order
    /// (a search long enough for the index: newest first), whether read at once or page by page.
    @Test func filtersAndSearchNarrowTheViewInSQL() throws {
        try populate()
        try fixture.service.label(ConversationID(6), "Refund", add: true, by: "admin")
        try fixture.service.label(ConversationID(10), "refund", add: true, by: "admin")
        try fixture.service.label(ConversationID(10), "vip", add: true, by: "admin")
        try open("100% sure it broke", customer: "Kim_Lee", dueInMinutes: 70)
        try open("it broke again", customer: "kimberly", dueInMinutes: 80)
        let whole = try window(.open)
        let cases: [(QueueFilter, (QueueRow) -> Bool)] = [
            (QueueFilter(channel: "ACME_HELP"), { $0.channel == "acme_help" }),
            (QueueFilter(channel: "@AcmeSupport"), { $0.channel == "AcmeSupport" }),
            (QueueFilter(channel: "nobody"), { _ in false }),
            (QueueFilter(label: "REFUND"), { $0.conversation.labels.contains("refund") }),
            (QueueFilter(triageClass: .complaint), { $0.conversation.triageClass == .complaint }),
            (QueueFilter(priority: .urgent), { $0.conversation.priority == .urgent }),
            (QueueFilter(channel: "AcmeSupport", priority: .high), { $0.channel == "AcmeSupport" && $0.conversation.priority == .high }),
            // Search: the preview or the customer's handle, any ASCII letter case; `%` and `_` are literal.
            (QueueFilter(search: "ORDER #1"), { $0.conversation.preview.lowercased().contains("order #1") }),
            (QueueFilter(search: "kim"), { $0.customer.lowercased().contains("kim") }),
            (QueueFilter(search: "@kim_"), { $0.customer == "Kim_Lee" }),
            (QueueFilter(search: "0%"), { $0.conversation.preview.contains("0%") }),
            (QueueFilter(search: "_"), { $0.customer.contains("_") }),
            (QueueFilter(search: "BROKE"), { $0.conversation.preview.contains("broke") }),
        ]
        for (filter, matches) in cases {
            let byIndex = QueueNarrowing(search: filter.search).searchesByIndex
            let matching = whole.filter(matches).map(\.conversation.id)
            let expected = byIndex ? matching.sorted { $0.rawValue > $1.rawValue } : matching
            #expect(try window(.open, filter: filter).map(\.conversation.id) == expected, "\(filter)")
            let (down, up) = try pages(.open, size: 2, filter: filter)
            #expect(down.flatMap { $0 }.map(\.conversation.id) == expected, "\(filter) paged down")
            #expect(up.reversed().flatMap { $0 }.map(\.conversation.id) == expected, "\(filter) paged up")
        }
        #expect(try window(.open, filter: QueueFilter(search: "kim")).count == 2)
        #expect(try window(.open, filter: QueueFilter(label: "refund")).map(\.conversation.id.rawValue) == [6, 10])
    }

    @Test func rowsCarryTheirSLAMarkAtTheServiceClock() throws {
        // Normal priority: first response within 4 hours, warning from 75% (3 hours).
        let now = fixture.clock.now()
        let due = fixture.service.sla.dueAt(waitingSince: now, kind: .firstResponse, priority: .normal)
        let timed = try open("where is it?", dueInMinutes: due.map { $0.milliseconds(since: now) / 60_000 })
        let untimed = try open("thanks!")
        let resolved = try open("all good", dueInMinutes: 240)
        try fixture.service.resolve(resolved, by: "admin")
        func mark(_ id: ConversationID) throws -> SLAMark? {
            try window(.open).first { $0.conversation.id == id }?.sla
        }
        #expect(try mark(timed) == .ok)
        #expect(try mark(untimed) == SLAMark.none)
        #expect(try window(.resolved).first?.sla == SLAMark.none)
        fixture.clock.advance(minutes: 179)
        #expect(try mark(timed) == .ok)
        fixture.clock.advance(minutes: 2)
        #expect(try mark(timed) == .warning)
        fixture.clock.advance(minutes: 59)
        #expect(try mark(timed) == .breached)  // due now: the breached view's rule
        #expect(try window(.breached).map(\.conversation.id) == [timed])
    }

    @Test func badRequestsAreRefusedWithAMessage() throws {
        // A view is a name from a fixed list, refused where the request is read.
        let error = try #require(throws: DecodingError.self) {
            try JSONDecoder().decode(QueueWindowRequest.self, from: Data(#"{"view": "later"}"#.utf8))
        }
        #expect(InboxError.badParams("queue", error).message
            == #"queue: "view" must be one of mine, unassigned, open, breached, snoozed, aside, resolved, not "later" (docs/protocol.md)"#)
        #expect(throws: InboxError(ServiceError.invalid("limit must be between 1 and 10000"))) { try window(.open, limit: 0) }
        #expect(throws: InboxError(ServiceError.notAResponder(login: "mallory"))) { try window(.open, as: "mallory") }
    }
}
