import EarshotCore
@testable import EarshotIngest
import EarshotStore
import Foundation
import Testing

/// One bad record costs that record only: the framers pick up again at the next record
/// boundary and the message says what is wrong with which line (issue 13, item 5).
@Suite struct RecoveryTests {
    /// One X API v2 page on one line, holding one mention.
    static func xPage(_ id: Int) -> String {
        #"{"data":[{"id":"\#(id)","author_id":"77","created_at":"2024-03-05T09:15:30.000Z","text":"@AcmeSupport where is order \#(id)?"}],"includes":{"users":[{"id":"77","username":"kim","name":"Kim"}]},"meta":{"result_count":1}}"#
    }

    static func twcsRow(_ id: Int, text: String? = nil) -> String {
        "\(id),\(100_000 + id % 50),True,Tue Oct 31 22:10:47 +0000 2017,\(text ?? "@AcmeSupport where is order \(id)?"),,"
    }

    static let twcsHeader = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"

    @Test func aCutOffPageInAFileOfOnePagePerLineCostsThatPageOnly() throws {
        var lines = (1...9).map(Self.xPage)
        // Line 4 stops inside the text string, as a write killed mid-page leaves it.
        lines[3] = String(lines[3].prefix(120))
        let run = try BadInputTests.ingest(lines.joined(separator: "\n") + "\n", name: "pages.json", format: .xV2)
        #expect(run.summary.mentionsStored == 8)
        #expect(run.summary.rejected == 1)
        #expect(run.messages == [
            "\(run.path):4: the record is cut off: the JSON ends inside a string; "
                + "expected an X API v2 response page (an object with data, includes, meta)",
        ])
        #expect(run.rejectsFile == Array((lines[3] + "\n").utf8))
    }

    @Test func aPageCutOffOutsideAStringCostsThatPageOnly() throws {
        var lines = (1...5).map(Self.xPage)
        lines[2] = #"{"data":[{"id":"3","author_id":"77"},"#
        let run = try BadInputTests.ingest(lines.joined(separator: "\n"), name: "pages.json", format: .xV2)
        #expect(run.summary.mentionsStored == 4)
        #expect(run.messages.count == 1)
        #expect(run.messages.first?.hasPrefix("\(run.path):3: the record is cut off: the JSON ends before its value is closed") == true)
    }

    @Test func anUnclosedQuoteInACSVCostsThatRowOnly() throws {
        var rows = (1...1_000).map { Self.twcsRow($0) }
        rows[1] = Self.twcsRow(2, text: "\"@AcmeSupport this quote is never closed")
        let run = try BadInputTests.ingest(([Self.twcsHeader] + rows).joined(separator: "\n") + "\n", name: "history.csv")
        #expect(run.summary.mentionsStored == 999)
        #expect(run.summary.rejected == 1)
        #expect(run.messages.count == 1)
        #expect(run.messages.first?.hasPrefix("\(run.path):3: a quoted field on this line is not closed") == true)
        // The rejects file is importable as it is: the header, then the bad row alone.
        #expect(run.rejectsFile == Array((Self.twcsHeader + "\n" + rows[1] + "\n").utf8))
    }

    @Test func aCSVRowWithTooManyFieldsIsRejectedNotCut() throws {
        let rows = [Self.twcsRow(1), Self.twcsRow(2) + ",extra", Self.twcsRow(3)]
        let run = try BadInputTests.ingest(([Self.twcsHeader] + rows).joined(separator: "\n"), name: "history.csv")
        #expect(run.summary.mentionsStored == 2)
        #expect(run.messages == ["\(run.path):3: has 8 fields where the header has 7 (a comma in an unquoted field?)"])
    }

    @Test func aQuotedFieldOverTheLimitIsCutAtItsFirstLineAndTheRestReadAgain() {
        // With no later quote to close it, the unclosed field would take every following line.
        let input = "a,b\n1,\"open\n" + (2...40).map { "\($0),x" }.joined(separator: "\n") + "\n"
        var framer = CSVFramer(limit: 64)
        let records = Array(input.utf8).withUnsafeBufferPointer { framer.feedRecords($0) } + framer.finishRecords()
        #expect(records.count == 41)
        #expect(records[1].raw.lossyText == "1,\"open")
        #expect(records[1].fields == nil)
        #expect(records.dropFirst(2).map { $0.fields?.first } == (2...40).map { String($0) })
        #expect(records.dropFirst(2).map(\.raw.line) == Array(3...41))
    }

    @Test func aLoneCarriageReturnEndsAJSONLLine() throws {
        let lines = [BadInputTests.line("1"), "{broken", BadInputTests.line("3")]
        let run = try BadInputTests.ingest(lines.joined(separator: "\r") + "\r")
        #expect(run.summary.mentionsStored == 2)
        #expect(run.messages.count == 1)
        #expect(run.messages.first?.hasPrefix("\(run.path):2: not valid JSON") == true)
        #expect(run.rejectsFile == Array("{broken\n".utf8))
    }

    @Test func aCRLFSplitAcrossChunksIsOneLineBreak() {
        var framer = LineFramer(limit: 1_000)
        let first = Array("{\"a\":1}\r".utf8), second = Array("\n{\"b\":2}\n".utf8)
        let records = first.withUnsafeBufferPointer { framer.feed($0) }
            + second.withUnsafeBufferPointer { framer.feed($0) } + framer.finish()
        #expect(records.map(\.lossyText) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(records.map(\.line) == [1, 2])
    }
}
