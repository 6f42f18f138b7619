import EarshotCore
@testable import EarshotIngest
import EarshotStore
import EarshotTestSupport

/// A triage that labels by a keyword, so threading tests control the class.
struct KeywordTriage: IngestTriage {
    var calls = 0
    mutating func triage(_ request: TriageInput, at time: Timestamp) -> (TriageClass, String) {
        calls += 1
        if request.referencesChannelPost { return (.broadcast, "test: repost") }
        if request.text.contains("?") { return (.question, "test: question mark") }
        return (.other, "test: nothing matched")
    }
}

/// A real store in a temp directory with an applier wired to it.
final class IngestFixture {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
    let applier: IngestApplier

    init(defaultChannel: String? = "AcmeSupport", triage: any IngestTriage = KeywordTriage()) throws {
        directory = try TemporaryDirectory("earshot-ingest")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        applier = IngestApplier(clock: clock, triage: triage, defaultChannel: defaultChannel)
    }

    @discardableResult
    func apply(_ item: IncomingItem) throws -> ApplyOutcome {
        try store.write { writer in try applier.apply(item, in: writer) }
    }

    func conversation(of externalID: String, platform: Platform = .x) throws -> Conversation? {
        try store.read { reader in
            guard let mention = try reader.mention(platform: platform, externalID: externalID) else { return nil }
            return try reader.conversation(mention.conversationID)
        }
    }

    func counts() throws -> StoreCounts { try store.read { try $0.counts() } }

    func pipeline(_ options: IngestPipeline.Options = .init(), report: @escaping (String) -> Void = { _ in }) -> IngestPipeline {
        IngestPipeline(store: store, applier: applier, options: options, report: report)
    }
}

/// Builds mentions tersely: `mention("2", by: "dana", replyingTo: "1")`.
func mention(
    _ id: String, by author: String = "dana", at seconds: Int64 = 0, text: String = "where is my order?",
    replyingTo parent: String? = nil, thread: String? = nil, kind: MentionKind? = nil,
    referenced: String? = nil, referencedAuthor: String? = nil, platform: Platform = .x
) -> IncomingItem {
    .mention(IncomingMention(
        platform: platform, externalID: id, authorHandle: author, text: text,
        createdAt: Timestamp(secondsSinceEpoch: 1_600_000_000 + seconds),
        kind: kind ?? (parent == nil ? .mention : .reply), inReplyToExternalID: parent, platformConversationID: thread,
        referencedExternalID: referenced, referencedAuthorHandle: referencedAuthor, rawPayload: "{\"id\":\"\(id)\"}"))
}

func brandReply(_ id: String, to parent: String?, at seconds: Int64, initials: String? = "JK", platform: Platform = .x) -> IncomingItem {
    .brandReply(IncomingBrandReply(
        platform: platform, externalID: id, channelHandle: "AcmeSupport", text: "@dana on it ^\(initials ?? "")",
        createdAt: Timestamp(secondsSinceEpoch: 1_600_000_000 + seconds), inReplyToExternalID: parent,
        signatureInitials: initials, rawPayload: "{\"id\":\"\(id)\"}"))
}
