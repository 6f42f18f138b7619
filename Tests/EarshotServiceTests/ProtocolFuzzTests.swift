import EarshotCore
@testable import EarshotService
import EarshotStore
import EarshotTestSupport
import Foundation
import Testing

/// Mutated real requests through a real daemon over its Unix socket, for a bounded time: the
/// framer, the decoder, the hello and every request handler see garbage, and the daemon must
/// neither crash nor hang nor stop serving well-formed requests. Its seed is printed;
/// `EARSHOT_FUZZ_SEED=N make fuzz` replays a run.
@Suite(.serialized) struct ProtocolFuzzTests {
    /// One real request of every kind the daemon serves (docs/protocol.md), the corpus.
    static let requests: [String] = [
        #"{"hello":{"protocol":2,"client":"earshot"}}"#,
        #"{"id":1,"method":"whoami"}"#,
        #"{"id":2,"method":"claim","params":{"conversation":1}}"#,
        #"{"id":3,"method":"assign","params":{"conversation":1,"to":"dana"}}"#,
        #"{"id":4,"method":"release","params":{"conversation":1}}"#,
        #"{"id":5,"method":"resolve","params":{"conversation":2}}"#,
        #"{"id":6,"method":"reopen","params":{"conversation":2}}"#,
        #"{"id":7,"method":"snooze","params":{"conversation":3,"until":"2031-01-15T12:00:00Z"}}"#,
        #"{"id":8,"method":"priority","params":{"conversation":1,"priority":"high"}}"#,
        #"{"id":9,"method":"label","params":{"conversation":1,"label":"billing","add":true}}"#,
        #"{"id":10,"method":"note","params":{"conversation":1,"text":"called them back"}}"#,
        #"{"id":11,"method":"draft.save","params":{"conversation":1,"text":"@cust on it"}}"#,
        #"{"id":12,"method":"draft.get","params":{"conversation":1}}"#,
        #"{"id":13,"method":"reply.send","params":{"conversation":1,"text":"@cust sorted","confirmed":true,"basedOn":1700000000000}}"#,
        #"{"id":14,"method":"reply.cancel","params":{"reply":1}}"#,
        #"{"id":15,"method":"reply.retry","params":{"reply":1}}"#,
        #"{"id":16,"method":"reply.get","params":{"reply":1}}"#,
        #"{"id":17,"method":"outbox","params":{"all":true}}"#,
        #"{"id":18,"method":"supervisor"}"#,
        #"{"id":19,"method":"stats","params":{"by":"channel","since":"2023-01-01T00:00:00Z"}}"#,
        #"{"id":20,"method":"route","params":{"policy":"round_robin"}}"#,
        #"{"id":21,"method":"responder.login","params":{"responder":1}}"#,
        #"{"id":22,"method":"queue","params":{"view":"open","limit":50}}"#,
        #"{"id":23,"method":"queue","params":{"view":"open","limit":40,"anchor":{"after":{"sortKey":1700000600000,"id":2}},"filter":{"channel":"AcmeSupport","label":"billing","triageClass":"complaint","priority":"high","search":"parcel"}}}"#,
        #"{"id":24,"method":"thread","params":{"conversation":1}}"#,
        #"{"id":25,"method":"summary"}"#,
        #"{"id":26,"method":"events","params":{"after":0,"limit":100}}"#,
        #"{"id":27,"method":"presence.set","params":{"conversation":1,"state":"composing"}}"#,
        #"{"id":28,"method":"presence.get","params":{"conversation":1}}"#,
        #"{"id":29,"method":"responder.list","params":{"all":true}}"#,
        #"{"id":30,"method":"responder.set","params":{"login":"dana","changes":{"capacity":4}}}"#,
        #"{"id":31,"method":"activity"}"#,
        #"{"id":32,"method":"class","params":{"conversation":2,"class":"question"}}"#,
        #"{"id":33,"method":"responder.add","params":{"responder":{"login":"eve","displayName":"Eve","initials":"EV","role":"agent","availability":"available","capacity":3}}}"#,
        #"{"id":34,"method":"responder.remove","params":{"login":"eve"}}"#,
    ]

    @Test func mutatedRequestsNeverCrashHangOrStopTheDaemon() throws {
        let budget = FuzzBudget.fromEnvironment()
        print("fuzz protocol: seed \(budget.seed), \(budget.seconds) s")
        let fixture = try ServiceFixture { $0.routing = .manual }
        let (server, me) = try fixture.daemon()
        try fixture.responder("dana")
        for _ in 0..<3 { _ = try fixture.conversation() }
        try server.start()
        defer { server.stop() }

        let corpus = Self.requests.map { Array($0.utf8) }
        var mutator = Mutator(seed: budget.seed, maximumLength: 64 << 10)
        let watchdog = FuzzWatchdog(target: "protocol")
        defer { watchdog.stop() }
        let startMemory = residentMemoryBytes()
        let deadline = Date().addingTimeInterval(budget.seconds)
        var connections = 0
        var lines = 0
        while Date() < deadline || connections < 10 {
            // A garbage request may remove or demote this very user: put them back, so the
            // well-formed probe below tests the daemon, not the fuzzer's luck.
            try restore(me, in: fixture.service)
            let batch = (0..<Int.random(in: 1...24, using: &mutator.random)).map { _ in mutator.mutate(corpus) }
            // Usually a proper hello first, so the mutations reach the request handlers.
            let hello = Bool.random(using: &mutator.random) || connections % 3 != 0 ? [corpus[0]] : []
            let payload = (hello + batch).joined(separator: [0x0A]) + [0x0A]
            watchdog.begin(payload)
            try sendAndDrain(payload, to: server.socketPath)
            // Whatever that connection sent, a well-formed client is still served.
            try probe(server.socketPath, connection: connections, seed: budget.seed)
            watchdog.end()
            connections += 1
            lines += batch.count
        }
        let grown = residentMemoryBytes() - startMemory
        print("fuzz protocol: \(connections) connections, \(lines) mutated messages, memory +\(grown >> 20) MiB")
        #expect(grown < 512 << 20, "memory grew by \(grown >> 20) MiB (seed \(budget.seed))")
        #expect(server.isRunning)
    }

    private func restore(_ login: String, in service: InboxService) throws {
        let current = try service.store.read { try $0.responder(login: login) }
        if current?.role != .supervisor || current?.availability != .available {
            _ = try service.updateResponder(login, ResponderChanges(role: .supervisor, availability: .available), by: "admin")
        }
    }

    /// Sends the payload, then reads until the daemon has answered everything or hung up.
    private func sendAndDrain(_ payload: [UInt8], to path: String) throws {
        let socket = try UnixSocket.connect(to: path)
        defer { socket.close() }
        try? socket.write(payload)
        shutdown(socket.descriptor, Int32(SHUT_WR))
        try setReceiveTimeout(socket, seconds: 30)
        while true {
            guard let bytes = try? socket.read(), !bytes.isEmpty else { return }
        }
    }

    private func probe(_ path: String, connection: Int, seed: UInt64) throws {
        let client = try DaemonConnection(path: path)
        defer { client.close() }
        try setReceiveTimeout(client.socket, seconds: 30)
        let whoami = try? client.call(Inbox.WhoAmI()).response
        #expect(whoami?.login != nil, "after connection \(connection) (seed \(seed)) the daemon no longer answers whoami")
    }

    private func setReceiveTimeout(_ socket: UnixSocket, seconds: Int) throws {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(socket.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
