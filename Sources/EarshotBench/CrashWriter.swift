import EarshotCore
import EarshotStore
import Foundation

/// Writes mentions in batches, one transaction each, and prints `committed N` after
/// each commit. The crash tests SIGKILL it at a random moment and then check that the
/// database opens, passes integrity_check and holds exactly the committed batches.
struct CrashWriter {
    var path = ""
    var batches = 0
    var batchSize = 500

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchUsage("\(flag) needs a value") }
            switch flag {
            case "--db": path = value
            case "--batches": batches = try BenchUsage.int(value, flag)
            case "--batch-size": batchSize = try BenchUsage.int(value, flag)
            default: throw BenchUsage("unknown option \(flag)")
            }
        }
        if path.isEmpty { throw BenchUsage("--db PATH is required") }
    }

    func run() throws {
        let clock = SystemClock()
        let store = try SQLiteInboxStore(path: path)
        let rows = SyntheticMentions(customers: 1)
        let (channel, customer, conversation) = try store.write { writer in
            let channel = try writer.insertChannel(
                platform: .x, handle: "AcmeSupport", displayName: "Acme",
                because: EventDraft(.channelAdded, by: .system, at: clock.now()))
            let customer = try writer.insertCustomer(
                platform: .x, handle: "customer0", displayName: "Customer", firstSeen: clock.now(),
                because: EventDraft(.customerAdded, by: .ingest, at: clock.now()))
            let conversation = try writer.insertConversation(
                NewConversation(channelID: channel.id, customerID: customer.id, startedAt: clock.now()),
                because: EventDraft(.opened, by: .ingest, at: clock.now()))
            return (channel, customer, conversation)
        }
        var committed = 0
        var batch = 0
        while batches == 0 || batch < batches {
            let first = committed
            try store.write { writer in
                for index in first..<(first + batchSize) {
                    _ = try writer.insertMention(
                        NewMention(
                            platform: .x, externalID: rows.externalID(index), channelID: channel.id,
                            customerID: customer.id, conversationID: conversation.id, text: rows.text(index),
                            createdAt: rows.createdAt(index), rawPayload: rows.rawPayload(index)),
                        because: EventDraft(.ingested, by: .ingest, at: clock.now()))
                }
            }
            committed += batchSize
            batch += 1
            // Unbuffered, so the test sees each commit the moment it happens.
            FileHandle.standardOutput.write(Data("committed \(committed)\n".utf8))
        }
    }
}

struct BenchUsage: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    static func int(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw BenchUsage("\(flag) needs a whole number, got \(text)") }
        return value
    }
}
