import EarshotCore
import EarshotService
import EarshotTestSupport
@testable import EarshotTUI
import Foundation
import Testing

/// The TUI's effects through a daemon that once sends what cannot be read: the person is told,
/// and the next read works on the same connection (no "nothing in open" with a dead link).
@Suite struct UnreadableAnswerTests {
    @Test func anUnreadableQueueAnswerIsShownAsAnErrorAndTheNextLoadWorks() throws {
        let directory = try TemporaryDirectory("earshot-tui-fake")
        let path = directory.file("fake.sock")
        let listener = try UnixSocket.listen(at: path)
        defer { listener.close() }
        let script = [
            #"{"hello":{"login":"dana","name":"Dana","protocol":\#(WireProtocol.version),"role":"agent"}}"#,
            String(repeating: "x", count: WireProtocol.maximumMessageBytes + 1),
            #"{"id":2,"result":[]}"#,
        ]
        let served = Thread {
            guard let client = try? listener.accept() else { return }
            defer { client.close() }
            var pending: [UInt8] = []
            var next = 0
            while next < script.count, let bytes = try? client.read(), !bytes.isEmpty {
                pending += bytes
                while next < script.count, let end = pending.firstIndex(of: 0x0A) {
                    pending.removeSubrange(...end)
                    try? client.write(Array(script[next].utf8) + [0x0A])
                    next += 1
                }
            }
            _ = try? client.read()
        }
        served.start()
        let runner = EffectRunner(api: RemoteInbox(connection: try DaemonConnection(path: path)), socketPath: path)
        let load = AppEffect.loadQueue(QueueWindowRequest(view: .open, limit: 60), .replace(keep: nil, requested: 60))
        let first = runner.run(load)
        guard case let .queueFailed(text)? = first.first else {
            Issue.record("expected a failure, got \(first)")
            return
        }
        #expect(text == "the daemon's answer to queue could not be read (over the 1048576-byte message limit); try again")
        let second = runner.run(load)
        guard case let .queueLoaded(rows, _)? = second.first else {
            Issue.record("the next load did not work: \(second)")
            return
        }
        #expect(rows.isEmpty)
        #expect(runner.connection == .daemon(path))
    }
}
