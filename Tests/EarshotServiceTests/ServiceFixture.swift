import Foundation
import EarshotCore
@testable import EarshotService
import EarshotStore
import EarshotTestSupport
import Testing

/// A real store, a manual clock, and a service over them. The store is a SQLite file in a temp
/// directory, or with EARSHOT_TEST_STORE=postgres a fresh PostgreSQL database (`make test` runs
/// this suite both ways: the service's rules hold on either store).
final class ServiceFixture {
    let directory: TemporaryDirectory
    let store: any InboxStore
    let clock = ManualClock(Timestamp(secondsSinceEpoch: 1_700_000_000))
    var service: InboxService
    let channel: Channel
    private var customerCount = 0

    init(store given: (any InboxStore)? = nil, _ configure: (inout AssignmentPolicy) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory("earshot-service")
        if let given {
            store = given
        } else if Self.storeIsPostgres {
            store = try PostgresInboxStore(location: TestPostgres.freshDatabase("service"), listen: false)
        } else {
            store = try SQLiteInboxStore(path: directory.file("inbox.sqlite"))
        }
        var policy = AssignmentPolicy()
        configure(&policy)
        service = InboxService(store: store, clock: clock, policy: policy)
        let at = clock.now()
        channel = try store.write { writer in
            try writer.insertChannel(
                platform: .x, handle: "AcmeSupport", displayName: "Acme", because: EventDraft(.channelAdded, by: .system, at: at))
        }
        // The team lead who sets the team up (bootstrap): offline with no capacity, so routing never picks them.
        try service.addResponder(
            NewResponder(login: "admin", displayName: "Admin", initials: "AD", role: .supervisor, availability: .offline, capacity: 0),
            by: "root")
    }

    @discardableResult
    func responder(
        _ login: String, role: ResponderRole = .agent, capacity: Int = 3, availability: Availability = .available
    ) throws -> Responder {
        try service.addResponder(
            NewResponder(login: login, displayName: login.capitalized, initials: String(login.prefix(2)).uppercased(),
                         role: role, availability: availability, capacity: capacity),
            by: "admin")
    }

    func customer(_ handle: String? = nil) throws -> CustomerID {
        customerCount += 1
        let name = handle ?? "customer\(customerCount)"
        let at = clock.now()
        return try store.write { writer in
            if let existing = try writer.customer(platform: .x, handle: name) { return existing.id }
            return try writer.insertCustomer(
                platform: .x, handle: name, displayName: name, firstSeen: at,
                because: EventDraft(.customerAdded, by: .ingest, at: at)).id
        }
    }

    /// A new open conversation straight into the store (as ingest would), not routed.
    @discardableResult
    func conversation(
        customer: CustomerID? = nil, triage: TriageClass = .question, priority: Priority = .normal, due: Timestamp? = nil
    ) throws -> ConversationID {
        let customerID = try customer ?? self.customer()
        let at = clock.now()
        return try store.write { writer in
            try writer.insertConversation(
                NewConversation(
                    channelID: channel.id, customerID: customerID, priority: priority, triageClass: triage,
                    startedAt: at, slaDueAt: due, preview: "help?"),
                because: EventDraft(.opened, by: .ingest, at: at)).id
        }
    }

    func get(_ id: ConversationID) throws -> Conversation {
        try #require(try store.read { try $0.conversation(id) })
    }

    func assignee(_ id: ConversationID) throws -> String? {
        try store.read { reader in
            guard let owner = try reader.conversation(id)?.assigneeID else { return nil }
            return try reader.responder(owner)?.login
        }
    }

    func lastEvent(_ id: ConversationID) throws -> Event? {
        try store.read { try $0.events(for: id).last }
    }
}

extension ServiceFixture {
    /// EARSHOT_TEST_STORE=postgres: the suite runs on PostgreSQL.
    static var storeIsPostgres: Bool { ProcessInfo.processInfo.environment["EARSHOT_TEST_STORE"] == "postgres" }

    /// Another store over the same database (another process's, or this one after a restart).
    func reopenedStore() throws -> any InboxStore {
        if let postgres = store as? PostgresInboxStore { return try PostgresInboxStore(location: postgres.location, listen: false) }
        return try SQLiteInboxStore(path: (store as! SQLiteInboxStore).path, mode: .mustExist)
    }

    /// A daemon over this fixture's service, on a socket in its folder (not started yet), with
    /// this test process's own user as a supervisor: the daemon knows clients by the kernel.
    func daemon() throws -> (server: DaemonServer, me: String) {
        let me = try #require(loginName(of: geteuid()))
        try service.addResponder(
            NewResponder(login: me, displayName: "Me", initials: "ME", role: .supervisor, availability: .available, capacity: 5),
            by: "admin")
        let server = DaemonServer(service: service, socketPath: directory.file("earshot.sock"), log: { _ in })
        server.pollInterval = 0.01
        return (server, me)
    }
}

/// Raw wire lines for protocol edge cases: what a client of another language would see.
enum RawWire {
    static func object(_ line: [UInt8]) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw CocoaError(.propertyListReadCorrupt)
        }
        return object
    }

    /// Sends `lines` on a fresh connection and reads `count` messages back (fewer if it closes),
    /// leaving out pushed events and presence (what happened just before may still be pushed).
    static func exchange(_ lines: [String], expecting count: Int, path: String) throws -> [[String: Any]] {
        let socket = try UnixSocket.connect(to: path)
        defer { socket.close() }
        try socket.write(Array(lines.joined(separator: "\n").utf8) + [0x0A])
        var framer = MessageFramer()
        var messages: [[String: Any]] = []
        while messages.count < count {
            let bytes = try socket.read()
            if bytes.isEmpty { break }
            for case let .message(line) in framer.feed(bytes) {
                let message = try object(line)
                if message["event"] == nil, message["presence"] == nil { messages.append(message) }
            }
        }
        return messages
    }

    static let hello = #"{"hello":{"protocol":\#(WireProtocol.version)}}"#

}
