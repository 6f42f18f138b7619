import EarshotCore
@testable import EarshotIngest
import Foundation
import Testing

/// A time that cannot be is rejected with its line and why, in every format (issue 13,
/// item 10): no zone is 25 hours from UTC, no post was written in year 0, and a Unix time
/// has no second 60.
@Suite struct DateRangeTests {
    @Test(arguments: [
        ("2024-01-15T12:05:00+25:00", "has offset +25:00; offsets run from -14:00 to +14:00"),
        ("2024-01-15T12:05:00-14:30", "has offset -14:30; offsets run from -14:00 to +14:00"),
        ("0000-01-15T12:05:00Z", "has year 0000; years run from 1970 to 9999"),
        ("2024-01-15T12:05:60Z", "has second 60; seconds run 00 to 59"),
        ("2023-02-29T12:05:00Z", "has day 29; that month has 28 days"),
    ])
    func impossibleISOTimesAreRefusedWithTheReason(text: String, reason: String) {
        #expect(TimestampParsing.iso8601(text) == nil)
        #expect(TimestampParsing.impossibility(iso8601: text) == reason)
    }

    @Test func possibleExtremesStillParse() {
        #expect(TimestampParsing.iso8601("2024-01-15T12:05:59+14:00") != nil)
        #expect(TimestampParsing.iso8601("1970-01-01T00:00:00Z")?.0 == Timestamp(millisecondsSinceEpoch: 0))
        #expect(TimestampParsing.twitterClassic("Wed Oct 10 20:19:24 +0000 2018") == Timestamp(secondsSinceEpoch: 1_539_202_764))
    }

    @Test(arguments: [
        ("Wed Oct 10 20:19:24 +2500 2018", "has offset +25:00; offsets run from -14:00 to +14:00"),
        ("Wed Oct 10 20:19:24 +0000 0000", "has year 0000; years run from 1970 to 9999"),
        ("Wed Oct 10 20:19:60 +0000 2018", "has second 60; seconds run 00 to 59"),
    ])
    func impossibleTwitterTimesAreRefusedWithTheReason(text: String, reason: String) {
        #expect(TimestampParsing.twitterClassic(text) == nil)
        #expect(TimestampParsing.impossibility(twitterClassic: text) == reason)
    }

    @Test func aJSONLLineWithSecond60IsRejectedWithItsLine() throws {
        let lines = [BadInputTests.line("1"), BadInputTests.line("2", at: "2024-01-15T12:05:60Z"), BadInputTests.line("3")]
        let run = try BadInputTests.ingest(lines.joined(separator: "\n"))
        #expect(run.summary.mentionsStored == 2)
        #expect(run.messages == [#"\#(run.path):2: created_at "2024-01-15T12:05:60Z" has second 60; seconds run 00 to 59"#])
    }

    @Test func aTWCSRowWithAnOffsetOf25HoursIsRejectedWithItsLine() throws {
        let csv = [
            RecoveryTests.twcsHeader,
            RecoveryTests.twcsRow(1),
            "2,100002,True,Wed Oct 10 20:19:24 +2500 2018,@AcmeSupport hello?,,",
        ].joined(separator: "\n")
        let run = try BadInputTests.ingest(csv, name: "history.csv")
        #expect(run.summary.mentionsStored == 1)
        #expect(run.messages == [#"\#(run.path):3: created_at "Wed Oct 10 20:19:24 +2500 2018" has offset +25:00; offsets run from -14:00 to +14:00"#])
    }

    @Test func platformPagesNameTheImpossibleTime() throws {
        let page = #"{"data":[{"id":"1","author_id":"77","created_at":"0000-03-05T09:15:30.000Z","text":"hi"}],"includes":{"users":[{"id":"77","username":"kim"}]}}"#
        let problems = AdapterOutput(XV2Adapter(), page).problems
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains(#"created_at "0000-03-05T09:15:30.000Z" has year 0000"#) == true)
        let status = #"[{"id_str":"5","created_at":"Wed Oct 10 20:19:60 +0000 2018","text":"@AcmeSupport hi","user":{"screen_name":"kim"}}]"#
        #expect(AdapterOutput(TwitterV1Adapter(), status).problems.first?.message
            .contains(#"created_at "Wed Oct 10 20:19:60 +0000 2018" has second 60"#) == true)
    }
}
