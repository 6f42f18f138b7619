import EarshotCore
import EarshotStore
import Foundation

/// Inserts N mentions through `InboxStore` (each with its `ingested` event, in
/// transactions of 10,000) and compares with sqlite3's own `.import` of the same rows
/// as CSV into the same table of a fresh database.
struct StoreBenchmark {
    let count: Int
    let directory: String?
    /// `--skip-baseline` times only the store, for profiling it alone.
    let skipBaseline: Bool

    init(arguments: [String]) throws {
        let options = try BenchOptions(arguments, extraFlags: ["--skip-baseline"])
        (count, directory, skipBaseline) = (options.count, options.directory, options.flags.contains("--skip-baseline"))
    }

    func run() throws {
        let dir = directory ?? NSTemporaryDirectory() + "earshot-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }

        let rows = SyntheticMentions(customers: 10_000)
        let storeSeconds = try timeStoreInsert(path: dir + "/store.sqlite", rows: rows)
        if skipBaseline {
            print(String(format: "store: insert %@ mentions: %.2f s (%.0f mentions/s)",
                         count.formatted(), storeSeconds, Double(count) / storeSeconds))
            return
        }
        let importSeconds = try timeSQLiteImport(dir: dir, rows: rows)
        BenchReport.line(
            name: "store: insert \(count.formatted()) mentions",
            value: storeSeconds, baselineName: "sqlite3 .import of the same rows", baseline: importSeconds,
            rate: Double(count) / storeSeconds, unit: "mentions/s")
    }

    private func timeStoreInsert(path: String, rows: SyntheticMentions) throws -> Double {
        let store = try SQLiteInboxStore(path: path)
        let at = rows.start
        let conversationsPerCustomer = 10
        // Setup (untimed): the channel, customers and conversations the mentions belong to.
        let (channel, conversations) = try store.write { writer in
            let channel = try writer.insertChannel(
                platform: .x, handle: "AcmeSupport", displayName: "Acme",
                because: EventDraft(.channelAdded, by: .system, at: at))
            var conversations: [(CustomerID, ConversationID)] = []
            for customerIndex in 0..<rows.customers {
                let customer = try writer.insertCustomer(
                    platform: .x, handle: "customer\(customerIndex)", displayName: "Customer \(customerIndex)",
                    firstSeen: at, because: EventDraft(.customerAdded, by: .ingest, at: at))
                for _ in 0..<conversationsPerCustomer {
                    let conversation = try writer.insertConversation(
                        NewConversation(channelID: channel.id, customerID: customer.id, startedAt: at),
                        because: EventDraft(.opened, by: .ingest, at: at))
                    conversations.append((customer.id, conversation.id))
                }
            }
            return (channel, conversations)
        }
        let started = DispatchTime.now()
        let batchSize = 10_000
        var next = 0
        while next < count {
            let end = min(next + batchSize, count)
            try store.write { writer in
                for index in next..<end {
                    let customer = rows.customerIndex(index)
                    let (customerID, conversationID) =
                        conversations[customer * conversationsPerCustomer + index % conversationsPerCustomer]
                    _ = try writer.insertMention(
                        NewMention(
                            platform: .x, externalID: rows.externalID(index), channelID: channel.id,
                            customerID: customerID, conversationID: conversationID, text: rows.text(index),
                            createdAt: rows.createdAt(index), rawPayload: rows.rawPayload(index)),
                        because: EventDraft(.ingested, by: .ingest, at: rows.createdAt(index)))
                }
            }
            next = end
        }
        try store.checkpoint()
        return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    }

    /// The baseline: the same mention rows as CSV, loaded by sqlite3's shell into the
    /// mention table of a fresh Earshot database (same columns, same unique index).
    private func timeSQLiteImport(dir: String, rows: SyntheticMentions) throws -> Double {
        let csvPath = dir + "/mentions.csv"
        guard FileManager.default.createFile(atPath: csvPath, contents: nil) else {
            throw BenchUsage("cannot create \(csvPath)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: csvPath))
        var buffer = ""
        for index in 0..<count {
            let fields: [String] = [
                String(index + 1), "x", rows.externalID(index), "1", String(rows.customerIndex(index) + 1), "1", "1",
                "mention", rows.text(index), String(rows.createdAt(index).millisecondsSinceEpoch), "", "",
                rows.rawPayload(index),
            ]
            buffer += fields.map(CSV.quote).joined(separator: ",") + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        try handle.close()

        let dbPath = dir + "/import.sqlite"
        _ = try SQLiteInboxStore(path: dbPath)  // same schema as the store's
        let started = DispatchTime.now()
        try Shell.run("/usr/bin/sqlite3", [
            dbPath, "PRAGMA synchronous=NORMAL;", ".import --csv \(csvPath) mention", "PRAGMA wal_checkpoint(TRUNCATE);",
        ])
        return Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
    }
}

enum CSV {
    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

enum Shell {
    static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchUsage("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}

/// One benchmark line: the figure, its baseline and the ratio between them.
enum BenchReport {
    /// One figure beside its baseline; with `goal` (seconds, at most), whether it is reached.
    static func line(name: String, value: Double, baselineName: String, baseline: Double, rate: Double? = nil, unit: String = "",
                     goal: Double? = nil) {
        let rateText = rate.map { String(format: " (%.0f %@)", $0, unit) } ?? ""
        let goalText = goal.map { " | goal ≤ \(seconds($0)): \(value <= $0 ? "met" : "MISSED")" } ?? ""
        print(String(format: "%@: %@%@ | baseline, %@: %@ | ratio %.2fx",
                     name, seconds(value), rateText, baselineName, seconds(baseline), value / baseline) + goalText)
    }

    /// Seconds with two decimals, or milliseconds for figures under a tenth of a second.
    static func seconds(_ value: Double) -> String {
        value < 0.1 ? String(format: "%.3f ms", value * 1000) : String(format: "%.2f s", value)
    }
}
