import EarshotCore
import Testing

@Suite struct LatencyTests {
    static let base = Timestamp(secondsSinceEpoch: 1_700_000_000)
    static func t(_ minutes: Int64) -> Timestamp { base.adding(seconds: minutes * 60) }
    static let minute: Int64 = 60_000

    @Test func firstResponseReplyTimeAndResolutionPerCycle() {
        let entries: [TimelineEntry] = [
            .customerMessage(at: Self.t(0)), .customerMessage(at: Self.t(5)), .reply(at: Self.t(30), responder: "ann"),
            .customerMessage(at: Self.t(60)), .reply(at: Self.t(80), responder: "bob"), .resolved(at: Self.t(120), by: "ann"),
            // The customer writes again: a new cycle.
            .cycleStarted(at: Self.t(180)), .customerMessage(at: Self.t(180)), .reply(at: Self.t(190), responder: "bob"),
        ]
        let latency = LatencyCalculator.latency(of: entries)
        let expected: [LatencySample] = [
            LatencySample(kind: .firstResponse, start: Self.t(0), end: Self.t(30), responder: "ann", cycle: 1),
            LatencySample(kind: .reply, start: Self.t(0), end: Self.t(30), responder: "ann", cycle: 1),
            LatencySample(kind: .reply, start: Self.t(60), end: Self.t(80), responder: "bob", cycle: 1),
            LatencySample(kind: .resolution, start: Self.t(0), end: Self.t(120), responder: "ann", cycle: 1),
            LatencySample(kind: .firstResponse, start: Self.t(180), end: Self.t(190), responder: "bob", cycle: 2),
            LatencySample(kind: .reply, start: Self.t(180), end: Self.t(190), responder: "bob", cycle: 2),
        ]
        #expect(latency.samples == expected)
        #expect(latency.samples.map(\.milliseconds) == [30, 30, 20, 120, 10, 10].map { $0 * Self.minute })
        #expect(latency.replies.map(\.responder) == ["ann", "bob", "bob"])
        #expect(latency.waitingSince == nil)
    }

    @Test func historyRecordedOutOfOrderMeasuresByMessageTimes() {
        // An import stored our reply before the customer tweet it answered.
        let latency = LatencyCalculator.latency(of: [.reply(at: Self.t(30), responder: "@Acme^JK"), .customerMessage(at: Self.t(0))])
        #expect(latency.samples.first == LatencySample(kind: .firstResponse, start: Self.t(0), end: Self.t(30), responder: "@Acme^JK", cycle: 1))
    }

    @Test func aConversationStillWaitingIsReportedNotDropped() {
        let latency = LatencyCalculator.latency(of: [
            .customerMessage(at: Self.t(0)), .reply(at: Self.t(10), responder: "ann"), .customerMessage(at: Self.t(20)),
            .customerMessage(at: Self.t(25)),
        ])
        #expect(latency.waitingSince == Self.t(20))
        #expect(latency.samples.filter { $0.kind == .reply }.count == 1)
    }

    @Test func aReplyBeforeAnyCustomerMessageIsNoSampleButIsAReplySent() {
        let latency = LatencyCalculator.latency(of: [.reply(at: Self.t(0), responder: "ann"), .customerMessage(at: Self.t(5))])
        #expect(latency.samples.isEmpty)
        #expect(latency.replies.count == 1)
        #expect(latency.waitingSince == Self.t(5))
    }

    @Test func aPersonReopeningStartsTheCycleClockAtTheReopen() {
        let latency = LatencyCalculator.latency(of: [
            .customerMessage(at: Self.t(0)), .reply(at: Self.t(5), responder: "ann"), .resolved(at: Self.t(10), by: "ann"),
            .cycleStarted(at: Self.t(100)), .resolved(at: Self.t(130), by: "bob"),
        ])
        let resolutions = latency.samples.filter { $0.kind == .resolution }
        #expect(resolutions.map(\.milliseconds) == [10 * Self.minute, 30 * Self.minute])
        #expect(resolutions.map(\.responder) == ["ann", "bob"])
    }
}

@Suite struct PercentileTests {
    @Test func nearestRankOnHandComputedSets() {
        let one = Array(Int64(1)...10)
        #expect(Percentile.nearestRank(one, 0.50) == 5)
        #expect(Percentile.nearestRank(one, 0.90) == 9)
        #expect(Percentile.nearestRank(one, 0.99) == 10)
        #expect(Percentile.nearestRank([1, 2, 3, 4], 0.5) == 2)
        #expect(Percentile.nearestRank([7], 0.99) == 7)
        #expect(Percentile.nearestRank([], 0.5) == nil)
        // 100 values: p99 is the 99th, not the maximum.
        let hundred = Array(Int64(1)...100)
        #expect(Percentile.nearestRank(hundred, 0.99) == 99)
        #expect(Percentile.nearestRank(hundred, 1.0) == 100)
    }

    /// Selection finds what sorting finds, on random sets with many repeats and on ordered ones.
    @Test func selectionAgreesWithSorting() {
        var random = SeededRandom(seed: 18)
        let quantiles = [0.5, 0.9, 0.99, 1.0]
        for size in [1, 2, 3, 7, 10, 100, 101, 999, 5_000] {
            for spread: UInt64 in [3, 1_000, 1 << 40] {
                var values = (0..<size).map { _ in Int64(random.next() % spread) }
                let sorted = values.sorted()
                let expected = quantiles.map { Percentile.nearestRank(sorted, $0) }
                #expect(Percentile.nearestRanks(selectingIn: &values, quantiles) == expected, "\(size) values below \(spread)")
                #expect(values.sorted() == sorted)
            }
            var ascending = Array(Int64(0)..<Int64(size)), descending = Array(ascending.reversed())
            let expected = quantiles.map { Percentile.nearestRank(Array(Int64(0)..<Int64(size)), $0) }
            #expect(Percentile.nearestRanks(selectingIn: &ascending, quantiles) == expected)
            #expect(Percentile.nearestRanks(selectingIn: &descending, quantiles) == expected)
        }
        var none: [Int64] = []
        #expect(Percentile.nearestRanks(selectingIn: &none, quantiles) == [nil, nil, nil, nil])
    }
}
