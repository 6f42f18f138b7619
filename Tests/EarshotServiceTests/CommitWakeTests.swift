import EarshotCore
@testable import EarshotService
import EarshotStore
import Foundation
import Testing

/// The daemon pushes a change as soon as it is committed, not at its next look at the log.
@Suite struct CommitWakeTests {
    @Test func aCommitInTheDaemonIsPushedWithoutWaitingForThePoll() throws {
        let fixture = try ServiceFixture()
        let (server, me) = try fixture.daemon()
        // Ten minutes between looks: only the commit's wake can bring the event in time.
        server.pollInterval = 600
        let id = try fixture.conversation(customer: try fixture.customer("kim"))
        try server.start()
        defer { server.stop() }
        let socket = try UnixSocket.connect(to: server.socketPath, timeout: 10)
        defer { socket.close() }
        try socket.write(Array(RawWire.hello.utf8) + [0x0A])
        var framer = MessageFramer()
        var kinds: [String] = []
        var welcomed = false
        while !kinds.contains("claimed") {
            let bytes = try socket.read()  // times out after 10 s: the wake did not come
            try #require(!bytes.isEmpty, "the daemon closed the connection")
            for case let .message(line) in framer.feed(bytes) {
                let message = try RawWire.object(line)
                if message["hello"] != nil, !welcomed {
                    welcomed = true
                    _ = try fixture.service.claim(id, by: me)
                }
                if let event = message["event"] as? [String: Any], let kind = event["kind"] as? String { kinds.append(kind) }
            }
        }
        #expect(kinds.last == "claimed")
    }

    @Test func commitsBetweenTwoLooksWakeOnce() {
        let signal = CommitSignal()
        #expect(!signal.wait(seconds: 0.01))
        signal.signal()
        signal.signal()
        #expect(signal.wait(seconds: 5))
        #expect(!signal.wait(seconds: 0.01), "two commits before one look are one wake")
    }
}
