import EarshotCore
import EarshotStore
import EarshotTestSupport

/// A real SQLite store in a temp directory, with one channel and one customer ready.
struct StoreFixture {
    let directory: TemporaryDirectory
    let store: SQLiteInboxStore
    let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
    let channel: Channel
    let customer: Customer

    init() throws {
        directory = try TemporaryDirectory("earshot-store")
        store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        let at = clock.now()
        (channel, customer) = try store.write { writer in
            let channel = try writer.insertChannel(
                platform: .x, handle: "AcmeSupport", displayName: "Acme Support",
                because: EventDraft(.channelAdded, by: .system, at: at))
            let customer = try writer.insertCustomer(
                platform: .x, handle: "dana", displayName: "Dana", firstSeen: at,
                because: EventDraft(.customerAdded, by: .ingest, at: at))
            return (channel, customer)
        }
    }

    func openConversation(due: Timestamp? = nil, triage: TriageClass = .question) throws -> Conversation {
        let at = clock.now()
        return try store.write { writer in
            try writer.insertConversation(
                NewConversation(
                    channelID: channel.id, customerID: customer.id, triageClass: triage, startedAt: at,
                    slaDueAt: due, preview: "where is my order?"),
                because: EventDraft(.opened, by: .ingest, at: at))
        }
    }

    func newMention(_ externalID: String, in conversation: Conversation) -> NewMention {
        NewMention(
            platform: .x, externalID: externalID, channelID: channel.id, customerID: customer.id,
            conversationID: conversation.id, text: "@AcmeSupport where is my order?",
            createdAt: clock.now(), rawPayload: #"{"id":"\#(externalID)"}"#)
    }

    func addResponder(_ login: String, role: ResponderRole = .agent) throws -> Responder {
        let at = clock.now()
        return try store.write { writer in
            try writer.insertResponder(
                NewResponder(login: login, displayName: login.capitalized, initials: String(login.prefix(2)).uppercased(),
                             role: role, availability: .available, capacity: 3),
                because: EventDraft(.responderAdded, by: .system, at: at))
        }
    }
}
