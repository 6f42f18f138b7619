import EarshotService
import Foundation

/// How a command reaches the daemon: only through a socket whose folder and daemon are who
/// they should be (docs/admin.md#connections), and never on to a personal database when a
/// team's socket is configured or present but nobody answers there.
enum DaemonLink {
    /// The connection, or nil when no team socket is configured or present (single-user mode).
    static func connect(_ socket: DaemonSocket) throws -> DaemonConnection? {
        if socket.allowsSingleUserMode { return nil }
        do {
            return try DaemonConnection(path: socket.path, trust: try SocketTrust.forClient(socket))
        } catch let refusal as SocketTrust.Refusal {
            throw CommandFailure(refusal.description)
        } catch let failure as UnixSocket.Failure where [ENOENT, ENOTDIR, ECONNREFUSED, EAGAIN, ETIMEDOUT].contains(failure.code) {
            throw CommandFailure(downMessage(socket, failure))
        } catch let failure as UnixSocket.Failure where failure.code == EACCES {
            throw CommandFailure(
                "permission denied on \(socket.path): only the support staff group may use earshot here; ask an admin to add \(ServiceOptions.currentLogin) (docs/admin.md)")
        }
    }

    /// The daemon is down: say so, where, how to check it, and that nothing was done.
    static func downMessage(_ socket: DaemonSocket, _ failure: UnixSocket.Failure) -> String {
        let path = socket.path
        let why = switch failure.code {
        case ECONNREFUSED: "its socket file is there but nothing listens: the daemon stopped or was killed"
        case EAGAIN, ETIMEDOUT: "it did not answer within \(Int(DaemonConnection.helloTimeout)) seconds"
        default: "there is no socket there"
        }
        switch socket.kind {
        case .system:
            return "the earshot daemon is down (\(why) at \(path)): check it with `systemctl status earshot`; nothing was done"
        case let .configured(source):
            return """
                no earshot daemon answers at \(path): start it with `earshot serve --socket \(path)`, or if it is the \
                team's, check it with `systemctl status earshot`. The daemon is down (\(why); the socket is set by \
                \(source)), so nothing was done
                """
        case .personal:
            return """
                no earshot daemon answers at \(path), your own daemon's socket: the daemon is down (\(why)). Start it \
                again with `earshot serve` (on the database it served), or remove \(path) to work on your own database \
                in single-user mode; nothing was done
                """
        }
    }
}
