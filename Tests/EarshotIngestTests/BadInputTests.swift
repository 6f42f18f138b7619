import EarshotCore
@testable import EarshotIngest
import EarshotStore
import Foundation
import Testing

/// Bad input: each malformed record is reported as FILE:LINE, kept verbatim in the rejects
/// file, and the rest of the batch still goes in; the summary's exit status says how it went.
@Suite struct BadInputTests {
    static func line(_ id: String, text: String = "where is my order?", at time: String = "2024-01-15T12:05:00Z") -> String {
        #"{"platform":"x","external_id":"\#(id)","channel":"AcmeSupport","author":"dana","text":"\#(text)","created_at":"\#(time)"}"#
    }

    struct Run {
        let fixture: IngestFixture
        let summary: IngestSummary
        let messages: [String]
        let path: String
        let rejectsPath: String

        var rejectsFile: [UInt8]? { FileManager.default.contents(atPath: rejectsPath).map { Array($0) } }
    }

    /// Ingests `bytes` as a file with the real pipeline.
    static func ingest(_ bytes: [UInt8], name: String = "feed.jsonl", format: IngestFormat? = nil) throws -> Run {
        let fixture = try IngestFixture()
        let path = fixture.directory.file(name)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        nonisolated(unsafe) var messages: [String] = []
        let pipeline = fixture.pipeline(.init(format: format)) { messages.append($0) }
        let rejects = RejectsSink(path: path + ".rejects")
        let summary = pipeline.ingest(.file(path), rejects: rejects)
        return Run(fixture: fixture, summary: summary, messages: messages, path: path, rejectsPath: path + ".rejects")
    }

    static func ingest(_ text: String, name: String = "feed.jsonl", format: IngestFormat? = nil) throws -> Run {
        try ingest(Array(text.utf8), name: name, format: format)
    }

    @Test func aGoodFileGoesInWholeWithStatusZero() throws {
        let run = try Self.ingest([Self.line("1"), Self.line("2"), Self.line("3")].joined(separator: "\n") + "\n")
        #expect(run.summary.mentionsStored == 3)
        #expect(run.summary.exitStatus == 0)
        #expect(run.messages.isEmpty)
        #expect(run.rejectsFile == nil)
    }

    @Test func invalidUTF8IsRejectedAndTheRestGoesIn() throws {
        var bytes = Array((Self.line("1") + "\n").utf8)
        bytes += Array(#"{"platform":"x","external_id":"2","channel":"AcmeSupport","author":"dana","text":"bad "#.utf8)
        bytes += [0xC3, 0x28]  // an invalid two-byte sequence
        bytes += Array(#"","created_at":"2024-01-15T12:05:00Z"}"#.utf8) + [0x0A]
        bytes += Array((Self.line("3") + "\n").utf8)
        let run = try Self.ingest(bytes)
        #expect(run.summary.mentionsStored == 2)
        #expect(run.summary.rejected == 1)
        #expect(run.summary.exitStatus == 1)
        #expect(run.messages.count == 1)
        #expect(run.messages.first?.hasPrefix("\(run.path):2: not valid JSON: invalid UTF-8 in a string at byte ") == true)
        // The rejects file holds the record byte for byte, invalid sequence included.
        let expected = Array(bytes[Array((Self.line("1") + "\n").utf8).count...].prefix { $0 != 0x0A }) + [0x0A]
        #expect(run.rejectsFile == expected)
    }

    @Test func aRawNULByteAndAnEscapedNULAreRejected() throws {
        let raw = Self.line("1").replacingOccurrences(of: "order?", with: "order\u{0}?")
        let escaped = Self.line("2", text: #"nul \u0000 here"#)
        let run = try Self.ingest([raw, escaped, Self.line("3")].joined(separator: "\n"))
        #expect(run.summary.mentionsStored == 1)
        #expect(run.messages.count == 2)
        #expect(run.messages[0].hasPrefix("\(run.path):1: not valid JSON: unescaped control character U+0000"))
        #expect(run.messages[1] == "\(run.path):2: text contains a NUL character (U+0000); remove it and ingest the line again")
    }

    @Test func escapeCharactersAreStoredVerbatimForTheTerminalLayerToNeutralise() throws {
        let hostile = #"\u001b]0;pwned\u0007\u001b[2J\u202e"#
        let run = try Self.ingest(Self.line("1", text: hostile))
        #expect(run.summary.mentionsStored == 1)
        let stored = try run.fixture.store.read { try $0.mention(platform: .x, externalID: "1") }
        #expect(stored?.text == "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{202E}")
    }

    @Test func aOneMegabyteLineIsRejectedWithoutLosingItsNeighbours() throws {
        let huge = Self.line("2", text: String(repeating: "a", count: 1 << 20))
        let run = try Self.ingest([Self.line("1"), huge, Self.line("3")].joined(separator: "\n") + "\n")
        #expect(run.summary.mentionsStored == 2)
        #expect(run.summary.rejected == 1)
        #expect(run.messages == ["\(run.path):2: line is \(huge.utf8.count) bytes, over the 262144-byte limit for one mention"])
        #expect(run.rejectsFile?.count == huge.utf8.count + 1)
        #expect(run.rejectsFile == Array((huge + "\n").utf8))
    }

    @Test func anEmptyFileReadsNothingAndSaysSo() throws {
        let run = try Self.ingest("")
        #expect(run.summary.exitStatus == 2)
        #expect(run.messages == ["\(run.path): the input is empty; nothing to ingest"])
        let blank = try Self.ingest("\n\n  \n")
        #expect(blank.summary.exitStatus == 2)
    }

    @Test func truncatedJSONIsRejected() throws {
        let truncated = String(Self.line("2").dropLast(12))
        let run = try Self.ingest([Self.line("1"), truncated].joined(separator: "\n"))
        #expect(run.summary.mentionsStored == 1)
        #expect(run.messages == ["\(run.path):2: the line is cut off: the JSON ends inside a string"])
    }

    @Test func wrongTypesAndMissingFieldsNameTheField() throws {
        let lines = [
            #"{"platform":"x","external_id":"1","channel":"AcmeSupport","author":"dana","text":42,"created_at":"2024-01-15T12:05:00Z"}"#,
            #"{"platform":"x","channel":"AcmeSupport","author":"dana","text":"hi","created_at":"2024-01-15T12:05:00Z"}"#,
            #"{"platform":"x","external_id":"","channel":"AcmeSupport","author":"dana","text":"hi","created_at":"2024-01-15T12:05:00Z"}"#,
            #"{"platform":"myspace","external_id":"4","channel":"AcmeSupport","author":"dana","text":"hi","created_at":"2024-01-15T12:05:00Z"}"#,
            #"["not","an","object"]"#,
            #"{"platform":"x","external_id":"6","channel":"AcmeSupport","author":"dana","text":"hi","created_at":"yesterday"}"#,
            #"{"platform":"x","external_id":7.5,"channel":"AcmeSupport","author":"dana","text":"hi","created_at":"2024-01-15T12:05:00Z"}"#,
            #"{"platform":"x","external_id":1455,"channel":"AcmeSupport","author":"dana","text":"numeric ids are fine","created_at":"2024-01-15T12:05:00Z"}"#,
        ]
        let run = try Self.ingest(lines.joined(separator: "\n"))
        let path = run.path
        #expect(run.messages == [
            "\(path):1: text must be a string, got number",
            "\(path):2: missing external_id",
            "\(path):3: external_id is empty",
            "\(path):4: invalid platform \"myspace\": expected one of x, twitter-v1, mastodon, bluesky, twcs",
            "\(path):5: expected a JSON object (one mention per line), got array",
            "\(path):6: created_at \"yesterday\" is not an ISO 8601 time such as 2024-01-15T12:05:00Z",
            "\(path):7: external_id must be a string or a whole number, got 7.5",
        ])
        #expect(run.summary.mentionsStored == 1)
        #expect(try run.fixture.store.read { try $0.mention(platform: .x, externalID: "1455") } != nil)
        #expect(run.summary.exitStatus == 1)
    }

    @Test func everyRecordRejectedMeansNothingCouldBeRead() throws {
        let run = try Self.ingest("{oops\n{\"also\": \"bad\"}\n", format: .jsonl)
        #expect(run.summary.rejected == 2)
        #expect(run.summary.exitStatus == 2)
    }

    @Test func duplicateIdsAreStoredOnce() throws {
        let run = try Self.ingest([Self.line("1"), Self.line("1", text: "changed?"), Self.line("2")].joined(separator: "\n"))
        #expect(run.summary.mentionsStored == 2)
        #expect(run.summary.duplicates == 1)
        #expect(run.summary.exitStatus == 0)
        #expect(try run.fixture.store.read { try $0.mention(platform: .x, externalID: "1") }?.text == "where is my order?")
    }

    @Test func timestampsInOtherZonesAreConvertedAndZonelessOnesReadAsUTC() throws {
        let run = try Self.ingest([
            Self.line("1", at: "2024-01-15T21:05:00+09:00"),
            Self.line("2", at: "2024-01-15T07:05:00.250-05:00"),
            Self.line("3", at: "2024-01-15T12:05:00"),
            Self.line("4", at: "2024-01-15 12:05:00"),
        ].joined(separator: "\n"))
        #expect(run.summary.mentionsStored == 4)
        let times = try run.fixture.store.read { reader in
            try ["1", "2", "3", "4"].map { try reader.mention(platform: .x, externalID: $0)?.createdAt.iso8601 }
        }
        #expect(times == ["2024-01-15T12:05:00.000Z", "2024-01-15T12:05:00.250Z", "2024-01-15T12:05:00.000Z", "2024-01-15T12:05:00.000Z"])
    }

    @Test func aTWCSFileWithQuotedNewlinesAndBareCarriageReturnsImports() throws {
        let csv = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n"
            + "\"1\",\"AcmeSupport\",\"False\",\"Tue Oct 31 22:14:00 +0000 2017\",\"@115712 Sorry!\nWe'll fix it ^JK\",\"\",\"2\"\r\n"
            + "\"2\",\"115712\",\"True\",\"Tue Oct 31 22:10:47 +0000 2017\",\"@AcmeSupport line one\rline two &amp; more\",\"1\",\"\"\r\n"
            + "3,115712,True,Tue Oct 31 22:20:00 +0000 2017,\"@AcmeSupport \"\"thanks\"\"\",,1\n"
            + "4,115712,Maybe,Tue Oct 31 22:20:00 +0000 2017,broken,,\n"
        let run = try Self.ingest(csv, name: "twcs.csv")
        #expect(run.summary.mentionsStored == 2)
        #expect(run.summary.repliesStored == 1)
        // Line 6: the first data row spans lines 2 and 3 (a quoted newline; a bare \r is not a line).
        #expect(run.messages == ["\(run.path):6: inbound \"maybe\" is neither True nor False"])
        let (first, third, reply) = try run.fixture.store.read { reader in
            (try reader.mention(platform: .twcs, externalID: "2"), try reader.mention(platform: .twcs, externalID: "3"),
             try reader.reply(platform: .twcs, platformID: "1"))
        }
        #expect(first?.text == "@AcmeSupport line one\rline two & more")
        #expect(third?.text == "@AcmeSupport \"thanks\"")
        #expect(reply?.text == "@115712 Sorry!\nWe'll fix it ^JK")
        #expect(first?.conversationID == third?.conversationID)
        // The rejects file starts with the header, so it can be fixed and imported again.
        let rejects = String(decoding: run.rejectsFile ?? [], as: UTF8.self)
        #expect(rejects == "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n4,115712,Maybe,Tue Oct 31 22:20:00 +0000 2017,broken,,\n")
    }

    /// Kept, not lost and not an error: a brand post naming the tweet, moved into its thread when
    /// the tweet is ingested and then the reply again.
    @Test func aBrandReplyToATweetOutsideTheInputIsKeptAsABrandPostUntilItsTweetComes() throws {
        let header = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
        let reply = header + "10,AcmeSupport,False,Tue Oct 31 22:14:00 +0000 2017,@9 hello ^AB,,99\n"
        let fixture = try IngestFixture(defaultChannel: nil)
        let replyFile = fixture.directory.file("partial.csv")
        try reply.write(toFile: replyFile, atomically: true, encoding: .utf8)
        nonisolated(unsafe) var messages: [String] = []
        let pipeline = fixture.pipeline { messages.append($0) }
        let first = pipeline.ingest(.file(replyFile), rejects: RejectsSink(path: replyFile + ".rejects"))
        #expect(first.rejected == 0 && first.postsStored == 1 && first.exitStatus == 0)
        #expect(messages.count == 1 && messages[0].hasPrefix("\(replyFile):2: note: brand reply 10 answers tweet 99"))
        #expect(try fixture.counts().brandPosts == 1)

        let tweetFile = fixture.directory.file("earlier.csv")
        try (header + "99,115712,True,Tue Oct 31 22:10:00 +0000 2017,@AcmeSupport where is it?,10,\n")
            .write(toFile: tweetFile, atomically: true, encoding: .utf8)
        _ = pipeline.ingest(.file(tweetFile), rejects: RejectsSink(path: tweetFile + ".rejects"))
        let again = pipeline.ingest(.file(replyFile), rejects: RejectsSink(path: replyFile + ".rejects"))
        #expect(again.repliesStored == 1)
        #expect(try fixture.counts().brandPosts == 0)
        try fixture.store.read { reader in
            let tweet = try #require(try reader.mention(platform: .twcs, externalID: "99"))
            #expect(try reader.replies(in: tweet.conversationID).map(\.platformID) == ["10"])
        }
    }

    @Test func anUnreadableOrUnrecognisableFileIsAFailureOfTheSource() throws {
        let fixture = try IngestFixture()
        nonisolated(unsafe) var messages: [String] = []
        let pipeline = fixture.pipeline { messages.append($0) }
        let missing = fixture.directory.file("missing.jsonl")
        let summary = pipeline.ingest(.file(missing), rejects: RejectsSink(path: missing + ".rejects"))
        #expect(summary.exitStatus == 2)
        #expect(messages == ["\(missing): cannot read: No such file or directory"])

        let run = try Self.ingest("just some words\nmore words\n", name: "notes.txt")
        #expect(run.summary.exitStatus == 2)
        #expect(run.messages.first?.contains("cannot tell the format") == true)
        #expect(run.messages.first?.contains("--format jsonl|x-v2|twitter-v1|mastodon|bluesky|twcs") == true)
    }
}
