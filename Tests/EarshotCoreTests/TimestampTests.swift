import EarshotCore
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test func formatsAsUTCISO8601WithMilliseconds() {
        // Tue Oct 31 22:10:47 +0000 2017 is 1509487847 seconds after the epoch.
        let time = Timestamp(millisecondsSinceEpoch: 1_509_487_847_123)
        #expect(time.iso8601 == "2017-10-31T22:10:47.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
    }

    @Test func formatsTimesBeforeTheEpoch() {
        #expect(Timestamp(millisecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    @Test func arithmeticIsExactInMilliseconds() {
        let start = Timestamp(secondsSinceEpoch: 100)
        let later = start.adding(seconds: 90).adding(milliseconds: 1)
        #expect(later.milliseconds(since: start) == 90_001)
        #expect(start < later)
        #expect(start.milliseconds(since: later) == -90_001)
    }

    @Test func roundTripsThroughDate() {
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_250)
        #expect(Timestamp(time.date) == time)
    }
}

@Suite struct ClockTests {
    @Test func manualClockMovesOnlyWhenTold() {
        let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_000))
        #expect(clock.now() == Timestamp(secondsSinceEpoch: 1_000))
        clock.advance(minutes: 2)
        clock.advance(seconds: 1)
        #expect(clock.now() == Timestamp(secondsSinceEpoch: 1_121))
        clock.set(Timestamp(secondsSinceEpoch: 5))
        #expect(clock.now() == Timestamp(secondsSinceEpoch: 5))
    }

    @Test func systemClockIsCloseToTheWallClock() {
        let difference = SystemClock().now().milliseconds(since: Timestamp(Date()))
        #expect(abs(difference) < 5_000)
    }
}
