import EarshotCore
@testable import EarshotIngest
import EarshotStore
import Foundation
import Testing

/// The Customer Support on Twitter history import, over the project's own fixture of the
/// same shape as the dataset, and (when present) over the shared 5,000-row sample.
@Suite struct TWCSImportTests {
    static func fixturePath() throws -> String {
        try #require(Bundle.module.url(forResource: "twcs_sample", withExtension: "csv", subdirectory: "Fixtures")).path
    }

    func importFile(_ path: String, into fixture: IngestFixture) -> (IngestSummary, [String]) {
        nonisolated(unsafe) var messages: [String] = []
        let pipeline = fixture.pipeline { messages.append($0) }
        let summary = pipeline.ingest(.file(path), rejects: RejectsSink(path: fixture.directory.file("twcs.rejects")))
        return (summary, messages)
    }

    @Test func historyBecomesChannelsCustomersConversationsAndSentReplies() throws {
        let fixture = try IngestFixture(defaultChannel: nil, triage: ClassifierTriage())
        let path = try Self.fixturePath()
        let (summary, messages) = importFile(path, into: fixture)
        #expect(summary.mentionsStored == 6)
        #expect(summary.repliesStored == 3)
        // Line numbers count the quoted newline in tweet 5.
        // A real export is a sample of a longer history: a customer tweet to another account is
        // a note, the brand's own post (13) and its answer to a tweet outside the file (14) are
        // kept as brand posts, and nothing of it is an error.
        #expect(messages == [
            "\(path):12: note: customer tweet 10 is not stored: it @mentions no brand of this export and no brand answered it",
            "\(path):14: note: brand reply 12 answers tweet 999, which is neither in this input nor stored: kept as a brand post "
                + "(ingest the file that holds that tweet, then this one again, to put it in its thread)",
        ])
        #expect(summary.postsStored == 2)
        #expect(summary.notes == 1)
        #expect(summary.rejected == 0)
        #expect(summary.exitStatus == 0)
        let counts = try fixture.counts()
        #expect(counts.channels == 2)
        #expect(counts.customers == 4)
        #expect(counts.conversations == 4)
        #expect(counts.brandPosts == 2)

        try fixture.store.read { reader in
            let channels = try reader.channels().map(\.handle).sorted()
            #expect(channels == ["AcmeSupport", "GlobexHelp"])
            // Tweets 2 and 3 and our replies 1 and 4 are one conversation; the reply to our reply joined it.
            let first = try #require(try reader.mention(platform: .twcs, externalID: "2"))
            #expect(try reader.mention(platform: .twcs, externalID: "3")?.conversationID == first.conversationID)
            let replies = try reader.replies(in: first.conversationID)
            #expect(replies.map(\.platformID) == ["1", "4"])
            #expect(replies.first?.text == "@100001 Sorry to hear that! Can you DM us your order number? ^JK")
            #expect(replies.first?.sentAt == TimestampParsing.twitterClassic("Tue Oct 31 22:14:00 +0000 2017"))
            let authors = try replies.map { try reader.responder($0.authorID)?.login }
            #expect(authors == ["@AcmeSupport^JK", "@AcmeSupport^MR"])
            let conversation = try #require(try reader.conversation(first.conversationID))
            #expect(conversation.status == .pending)
            #expect(conversation.waitingSince == nil)
            // Entities are decoded on the way in.
            #expect(replies.last?.text == "@100001 Got it & it ships today. -MR")

            // A quoted newline survives; another customer answering in the thread gets their own conversation.
            let crash = try #require(try reader.mention(platform: .twcs, externalID: "5"))
            #expect(crash.text == "@GlobexHelp the app crashes on login\nevery single time")
            let bystander = try #require(try reader.mention(platform: .twcs, externalID: "8"))
            #expect(bystander.conversationID != crash.conversationID)
            #expect(try reader.channel(try #require(try reader.conversation(bystander.conversationID)).channelID)?.handle == "GlobexHelp")
            // A tweet that names only another customer (an anonymised number) has no brand: rejected above.
            #expect(try reader.mention(platform: .twcs, externalID: "10") == nil)
            // Triage ran on the new conversations.
            let thanks = try #require(try reader.mention(platform: .twcs, externalID: "9"))
            #expect(try reader.conversation(thanks.conversationID)?.triageClass == .praise)
        }
    }

    @Test func reimportingChangesNothing() throws {
        let fixture = try IngestFixture(defaultChannel: nil)
        let path = try Self.fixturePath()
        _ = importFile(path, into: fixture)
        let before = try fixture.counts()
        let (again, _) = importFile(path, into: fixture)
        #expect(again.mentionsStored == 0)
        #expect(again.repliesStored == 0)
        #expect(again.duplicates == 11)
        #expect(try fixture.counts() == before)
    }

    @Test func signaturesBecomeInitials() {
        #expect(TWCSAdapter.signatureInitials(in: "We're on it ^JK") == "JK")
        #expect(TWCSAdapter.signatureInitials(in: "DM us ^ab https://t.co/x") == "AB")
        #expect(TWCSAdapter.signatureInitials(in: "Thanks! -MR") == "MR")
        #expect(TWCSAdapter.signatureInitials(in: "No signature here") == nil)
        #expect(TWCSAdapter.signatureInitials(in: "price ^ 5") == nil)
    }

    static let sharedSample = ["/work/shared/data/twcs/twcs_sample_5000.csv", "../shared/data/twcs/twcs_sample_5000.csv"]
        .first { FileManager.default.fileExists(atPath: $0) }

    /// The counts recorded in docs/ingest.md; skipped where the shared data is absent.
    @Test(.enabled(if: sharedSample != nil, "the shared TWCS sample is not on this machine"))
    func theSharedSampleImportsWithTheDocumentedCounts() throws {
        let fixture = try IngestFixture(defaultChannel: nil, triage: ClassifierTriage())
        let (summary, messages) = importFile(try #require(Self.sharedSample), into: fixture)
        #expect(summary.mentionsStored == 2_771)
        #expect(summary.repliesStored == 2_196)
        // 21 standalone brand posts and 5 answers to tweets outside the sample are brand posts;
        // 7 customer tweets to other accounts are notes: a clean import, exit status 0.
        #expect(summary.postsStored == 26)
        #expect(summary.notes == 7)
        #expect(summary.rejected == 0)
        #expect(summary.exitStatus == 0)
        #expect(messages.count == 12)
        let counts = try fixture.counts()
        #expect(counts.channels == 76)
        #expect(counts.customers == 1_441)
        #expect(counts.conversations == 1_611)
        let (again, _) = importFile(try #require(Self.sharedSample), into: fixture)
        #expect(again.mentionsStored + again.repliesStored == 0)
        #expect(try fixture.counts() == counts)
    }
}
