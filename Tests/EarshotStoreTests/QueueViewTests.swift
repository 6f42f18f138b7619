import EarshotCore
@testable import EarshotStore
import GRDB
import Testing

@Suite struct QueueViewTests {
    static let views: [QueueView] = [
        .mine(ResponderID(1)), .unassigned, .allOpen, .breached(now: Timestamp(secondsSinceEpoch: 5)),
        .snoozed, .setAside, .resolved(since: Timestamp(secondsSinceEpoch: 0)),
    ]

    static let cursor = QueueCursor(sortKey: 10, id: ConversationID(3))
    static let starts: [QueueStart] = [.first, .last, .after(cursor), .before(cursor)]
    static let narrowings: [QueueNarrowing] = [
        .none,
        QueueNarrowing(channelIDs: [ChannelID(1), ChannelID(2)], label: "refund", triageClass: .complaint, priority: .high, search: "or"),
        QueueNarrowing(channelIDs: [ChannelID(1), ChannelID(2)], label: "refund", triageClass: .complaint, priority: .high, search: "order"),
    ]

    /// Each view's window is an index range: no table scan and no sort step, from the top, the
    /// bottom (read backwards), after or before a row, with or without every filter.
    @Test(arguments: views)
    func everyViewIsServedByAnIndex(view: QueueView) throws {
        let fixture = try StoreFixture()
        for start in Self.starts {
            for narrowing in Self.narrowings {
                let query = QueueQuery(view: view, start: start, narrowing: narrowing, limit: 50)
                let plan = try fixture.sqlite.pool.read { db in
                    try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + query.sql, arguments: StatementArguments(query.arguments))
                        .map { $0["detail"] as String }
                }
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(view) \(start) sorts: \(plan)")
                if narrowing.searchesByIndex {
                    // The search index drives the walk, newest first, each candidate's row by its key.
                    #expect(plan.first?.hasPrefix("SCAN conversation_search VIRTUAL TABLE") == true, "\(view) \(start): \(plan)")
                    #expect(plan.dropFirst().contains { $0.hasPrefix("SEARCH conversation USING INTEGER PRIMARY KEY") }, "\(plan)")
                    #expect(plan.filter { $0.hasPrefix("SCAN") }.count == 1, "\(view) \(start) scans: \(plan)")
                } else {
                    #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(view) \(start) scans: \(plan)")
                    // The view's own index drives the walk (the first line is the outer loop).
                    #expect(plan.first?.contains(Self.index(of: view)) == true, "\(view) \(start) \(narrowing): \(plan)")
                }
            }
        }
    }

    /// The index `Migrations` made for each view.
    static func index(of view: QueueView) -> String {
        switch view {
        case .mine: "conversation_mine"
        case .unassigned: "conversation_unassigned"
        case .snoozed: "conversation_snoozed"
        case .resolved: "conversation_recent"
        case .allOpen, .breached, .setAside: "conversation_open"
        }
    }

    @Test(arguments: StoreKind.available)
    func windowsPageThroughTheUnassignedQueueInDueOrder(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let base = fixture.clock.now()
        var expected: [ConversationID] = []
        // Due times deliberately out of insertion order, with ties broken by id.
        for offset in [50, 10, 30, 10, 40, 20, 60] {
            expected.append(try fixture.openConversation(due: base.adding(seconds: Int64(offset))).id)
        }
        let noClock = try fixture.openConversation(due: nil)
        _ = try fixture.openConversation(due: base, triage: .spam)
        let order = [1, 3, 5, 2, 4, 0, 6].map { expected[$0] } + [noClock.id]

        var seen: [ConversationID] = []
        var cursor: QueueCursor?
        while true {
            let window = try fixture.store.read { try $0.queue(.unassigned, after: cursor, limit: 3) }
            if window.isEmpty { break }
            seen += window.map(\.id)
            cursor = QueueCursor(after: window.last!, in: .unassigned)
        }
        #expect(seen == order)
    }

    @Test(arguments: StoreKind.available)
    func viewsSelectTheRightConversations(kind: StoreKind) throws {
        let fixture = try StoreFixture(kind)
        let now = fixture.clock.now()
        let alice = try fixture.addResponder("alice")
        let overdue = try fixture.openConversation(due: now.adding(seconds: -60))
        let later = try fixture.openConversation(due: now.adding(seconds: 600))
        let spam = try fixture.openConversation(due: nil, triage: .spam)
        var mine = try fixture.openConversation(due: now.adding(seconds: 30))
        var snoozed = try fixture.openConversation(due: nil)
        var resolved = try fixture.openConversation(due: nil)
        mine.assigneeID = alice.id
        snoozed.status = .snoozed
        snoozed.snoozedUntil = now.adding(seconds: 3600)
        resolved.status = .resolved
        resolved.updatedAt = now
        try fixture.store.write { writer in
            for changed in [mine, snoozed, resolved] {
                try writer.updateConversation(changed, because: EventDraft(.statusChanged, by: .system, at: now))
            }
        }
        func ids(_ view: QueueView) throws -> Set<ConversationID> {
            Set(try fixture.store.read { try $0.queue(view, after: nil, limit: 50) }.map(\.id))
        }
        #expect(try ids(.unassigned) == [overdue.id, later.id])
        #expect(try ids(.mine(alice.id)) == [mine.id])
        #expect(try ids(.allOpen) == [overdue.id, later.id, mine.id])
        #expect(try ids(.breached(now: now)) == [overdue.id])
        #expect(try ids(.setAside) == [spam.id])
        #expect(try ids(.snoozed) == [snoozed.id])
        #expect(try ids(.resolved(since: now.adding(seconds: -1))) == [resolved.id])
        #expect(try ids(.resolved(since: now.adding(seconds: 1))) == [])
    }
}
