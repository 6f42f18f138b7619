import EarshotCore
import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// PostgreSQL out of reach and back, through a TCP relay the test cuts (killing it drops every
/// connection and refuses new ones, as a server or network going down does): requests fail with
/// a message a person can act on, and once the database answers again the same store serves
/// requests and hears other daemons' commits without a restart.
@Suite(.serialized, .enabled(if: TestPostgres.isEnabled, "EARSHOT_NO_POSTGRES=1: PostgreSQL tests skipped"))
struct PostgresOutageTests {
    static let relayScript = """
        import socket, sys, threading
        port, target = int(sys.argv[1]), int(sys.argv[2])
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", port))
        server.listen(64)
        print(server.getsockname()[1], flush=True)
        def pipe(a, b):
            try:
                while True:
                    data = a.recv(65536)
                    if not data: break
                    b.sendall(data)
            except OSError: pass
            for s in (a, b):
                try: s.shutdown(socket.SHUT_RDWR)
                except OSError: pass
        while True:
            client, _ = server.accept()
            upstream = socket.create_connection(("127.0.0.1", target))
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        """

    /// Starts the relay on `port` (0: any free one) towards `target`; its port.
    static func startRelay(port: Int, target: Int) throws -> (Process, Int) {
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        relay.arguments = ["-c", relayScript, String(port), String(target)]
        let output = Pipe()
        relay.standardOutput = output
        relay.standardError = FileHandle.nullDevice
        try relay.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        return (relay, Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) ?? port)
    }

    @Test func aLostDatabaseIsReportedClearlyAndServesAgainWhenItIsBack() throws {
        let direct = try TestPostgres.freshDatabase("outage")
        var (relay, port) = try Self.startRelay(port: 0, target: direct.port)
        defer { relay.terminate() }
        var relayed = direct
        relayed.port = port
        let store = try PostgresInboxStore(location: relayed)
        let fixture = try ServiceFixture(store: store) { $0.routing = .manual }
        try fixture.responder("ann")
        let first = try fixture.conversation()

        // The database goes away.
        kill(relay.processIdentifier, SIGKILL)
        relay.waitUntilExit()
        var failure = ""
        do { try fixture.service.claim(first, by: "ann") } catch { failure = "\(error)" }
        #expect(failure.contains("cannot be reached"), "\(failure)")
        #expect(failure.contains("the daemon tries again"), "\(failure)")
        #expect(!failure.contains("password"), "\(failure)")

        // It comes back on the same address: the next request is served, no restart.
        (relay, _) = try Self.startRelay(port: port, target: direct.port)
        var claimed = false
        let deadline = Date().addingTimeInterval(10)
        while !claimed && Date() < deadline {
            claimed = (try? fixture.service.claim(first, by: "ann")) != nil
            if !claimed { usleep(100_000) }
        }
        #expect(claimed)
        #expect(try fixture.assignee(first) == "ann")

        // The commit listener has come back too: another daemon's write wakes this store.
        let other = try PostgresInboxStore(location: direct, listen: false)
        defer { other.close() }
        var heard = false
        while !heard && Date() < deadline.addingTimeInterval(5) {
            while store.commits.wait(seconds: 0) {}
            try other.write { writer in _ = try writer.appendEvent(EventDraft(.statusChanged, by: .system, at: fixture.clock.now())) }
            heard = store.commits.wait(seconds: 1)
        }
        #expect(heard, "a commit through another store was heard after the outage")
    }
}
