import EarshotCore
@testable import EarshotStore
import EarshotTestSupport
import Foundation
import GRDB
import Testing

/// A writer killed with SIGKILL in the middle of a batch leaves a database that opens,
/// passes `PRAGMA integrity_check`, and holds every committed row and nothing partial.
@Suite(.serialized) struct CrashRecoveryTests {
    @Test(arguments: [3, 7, 12])
    func aWriterKilledMidBatchLosesNothingCommitted(killAfterCommits: Int) throws {
        let directory = try TemporaryDirectory("earshot-crash")
        let path = directory.file("crash.sqlite")
        let batchSize = 400
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("earshot-bench"))
        writer.arguments = ["writer", "--db", path, "--batch-size", String(batchSize)]
        let output = Pipe()
        writer.standardOutput = output
        writer.standardError = FileHandle.nullDevice
        try writer.run()

        // Read "committed N" lines until enough batches are in, then kill during the next one.
        var lastCommitted = 0
        var pending = ""
        let reader = output.fileHandleForReading
        while lastCommitted < killAfterCommits * batchSize {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending += String(decoding: chunk, as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = pending[..<newline]
                if let count = Int(line.dropFirst("committed ".count)) { lastCommitted = count }
                pending = String(pending[pending.index(after: newline)...])
            }
        }
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(writer.terminationReason == .uncaughtSignal)
        #expect(lastCommitted >= killAfterCommits * batchSize)

        let store = try SQLiteInboxStore(path: path, mode: .mustExist)
        #expect(try store.integrityCheck().isEmpty)
        let (mentions, ingested, maxIndex) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM mention") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE kind = 'ingested'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT max(CAST(substr(external_id, 7) AS INTEGER)) FROM mention") ?? -1)
        }
        // Every batch reported committed is there; a batch cut short left nothing behind.
        #expect(mentions >= lastCommitted)
        #expect(mentions % batchSize == 0)
        #expect(ingested == mentions)
        #expect(maxIndex == mentions - 1)
    }
}
