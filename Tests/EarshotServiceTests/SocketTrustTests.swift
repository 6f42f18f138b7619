import EarshotCore
@testable import EarshotService
import EarshotTestSupport
import Foundation
import Testing

/// Whom a client believes on a socket: the folder's owner and mode, and the daemon's own
/// credentials (SO_PEERCRED) checked before anything is sent.
@Suite(.serialized) struct SocketTrustTests {
    static let isRoot = geteuid() == 0

    @Test func aDaemonRunningAsSomeoneUnexpectedIsRefusedBeforeTheHello() throws {
        let fixture = try ServiceFixture()
        try fixture.service.addResponder(
            NewResponder(login: try #require(loginName(of: geteuid())), displayName: "Me", initials: "ME", role: .agent, availability: .available, capacity: 5),
            by: "admin")
        let server = DaemonServer(service: fixture.service, socketPath: fixture.directory.file("earshot.sock"), log: { _ in })
        try server.start()
        defer { server.stop() }
        let socket = DaemonSocket(path: server.socketPath, kind: .personal)
        // This process's daemon runs as this process's user: expect somebody else.
        let stranger: uid_t = geteuid() == 4_242 ? 4_243 : 4_242
        let trust = SocketTrust(socket: socket, trusted: [stranger], expected: "uid \(stranger)")
        do {
            _ = try DaemonConnection(path: server.socketPath, trust: trust)
            Issue.record("a daemon running as an unexpected user was believed")
        } catch let refusal as SocketTrust.Refusal {
            #expect(refusal.description.contains("the daemon at \(server.socketPath) runs as \(SocketTrust.name(geteuid())), not as uid \(stranger)"))
            #expect(refusal.description.contains("nothing was sent to it"))
        }
        // The real expectation (yourself, for a personal socket) lets it through.
        #expect(throws: Never.self) { try DaemonConnection(path: server.socketPath, trust: try SocketTrust.forClient(socket)) }
    }

    @Test func aFolderOthersCanWriteIsRefused() throws {
        let directory = try TemporaryDirectory("earshot-trust")
        chmod(directory.path, 0o777)
        let socket = DaemonSocket(path: directory.path + "/earshot.sock", kind: .personal)
        #expect { try SocketTrust.forClient(socket) } throws: { error in
            "\(error)".contains("the socket folder \(directory.path) (mode 777) can be written by others")
        }
        chmod(directory.path, 0o2750)
        #expect(throws: Never.self) { try SocketTrust.forClient(socket) }
    }

    @Test(.enabled(if: isRoot, "needs root to give a folder to another user"))
    func aFolderOfAnotherUserIsRefusedForAPersonalSocketAndForServe() throws {
        let directory = try TemporaryDirectory("earshot-trust")
        chown(directory.path, 4_242, 4_242)
        let socket = DaemonSocket(path: directory.path + "/earshot.sock", kind: .personal)
        let expected = "the socket folder \(directory.path) belongs to \(SocketTrust.name(4_242)), not to you"
        #expect { try SocketTrust.forClient(socket) } throws: { "\($0)".contains(expected) }
        #expect { try SocketTrust.checkForServer(socket) } throws: { "\($0)".contains(expected) }
    }
}
