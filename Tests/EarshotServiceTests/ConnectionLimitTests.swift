import EarshotCore
@testable import EarshotService
import Foundation
import Testing

/// The daemon's connection limits in this process: connections that never say hello are
/// dropped with a message, and one user cannot hold more than the per-user cap.
@Suite(.serialized) struct ConnectionLimitTests {
    let fixture: ServiceFixture
    let server: DaemonServer

    init() throws {
        fixture = try ServiceFixture { $0.routing = .manual }
        server = try fixture.daemon().server
    }

    /// Everything the daemon sends on `socket` until it closes it (or 30 s pass).
    static func linesUntilClosed(_ socket: UnixSocket) throws -> [[String: Any]] {
        try socket.setTimeout(30)
        var framer = MessageFramer()
        var messages: [[String: Any]] = []
        while let bytes = try? socket.read(), !bytes.isEmpty {
            for case let .message(line) in framer.feed(bytes) { messages.append(try RawWire.object(line)) }
        }
        return messages
    }

    @Test func aConnectionWithoutHelloIsDroppedWithAMessageAfterTheTimeout() throws {
        server.limits.helloTimeoutSeconds = 1
        try server.start()
        defer { server.stop() }
        let idle = try UnixSocket.connect(to: server.socketPath)
        defer { idle.close() }
        // One that keeps sending bytes but never a hello is no better.
        let chatty = try UnixSocket.connect(to: server.socketPath)
        defer { chatty.close() }
        try chatty.write(Array("not a hello".utf8))
        let identified = try DaemonConnection(path: server.socketPath)
        let idleLines = try Self.linesUntilClosed(idle)
        let error = try #require(idleLines.last?["error"] as? [String: Any])
        #expect(error["code"] as? String == "hello_timeout")
        #expect((error["message"] as? String)?.contains("no hello within 1 seconds") == true)
        #expect((try Self.linesUntilClosed(chatty).last?["error"] as? [String: Any])?["code"] as? String == "hello_timeout")
        // A client that said hello stays, however quiet.
        #expect(try identified.call(Inbox.WhoAmI()).response.login == identified.login)
        #expect(server.clientCount == 1)
    }

    @Test func oneUserGetsAtMostTheCapAndIsToldWhy() throws {
        server.limits.connectionsPerUser = 2
        try server.start()
        defer { server.stop() }
        let first = try DaemonConnection(path: server.socketPath)
        let second = try UnixSocket.connect(to: server.socketPath)
        do {
            _ = try DaemonConnection(path: server.socketPath)
            Issue.record("a third connection was accepted over a cap of 2")
        } catch let error as InboxError {
            #expect(error.code == .tooManyConnections)
            #expect(error.description.contains("already has 2 connections to the earshot daemon"))
            #expect(error.description.contains("connections_per_user"))
        }
        // Closing one makes room again.
        second.close()
        try waitUntil { server.clientCount == 1 }
        #expect(try DaemonConnection(path: server.socketPath).login == first.login)
    }

    @Test func theConnectionLimitLeavesAReserveOfDescriptors() {
        #expect(ConnectionLimits.total(forDescriptorLimit: 128) == 64)
        #expect(ConnectionLimits.total(forDescriptorLimit: 1_024) == 896)
        #expect(ConnectionLimits.total(forDescriptorLimit: 1_048_576) == 1_048_320)
    }

    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(30)
        while !condition() && Date() < deadline { usleep(20_000) }
        #expect(condition(), sourceLocation: sourceLocation)
    }
}
