import Foundation

/// Whom a client believes on a daemon socket. A socket in a folder someone else owns, or can
/// write, may be an impostor's: it would read what is sent and could claim any role. So the
/// folder's owner, and the daemon itself (SO_PEERCRED), must be an expected account:
/// yourself for a personal socket; root, yourself or the service account for a team's. The
/// service account is the owner of a folder root handed over: one whose parent only root can
/// write (as systemd's `RuntimeDirectory=` makes `/run/earshot`). docs/admin.md#connections.
public struct SocketTrust: Sendable {
    public let socket: DaemonSocket
    /// The uids the daemon may run as.
    public let trusted: Set<uid_t>
    /// Who those are, for messages: "you (dana)", "root, you (dana) or earshot".
    public let expected: String

    /// A refusal to use a socket, saying which folder or daemon, who owns it and what to do.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks the socket's folder before connecting and says whom the daemon may be.
    public static func forClient(_ socket: DaemonSocket) throws -> SocketTrust {
        let me = geteuid()
        let folder = socket.folder
        let info = try folderStatus(folder)
        var trusted: Set<uid_t> = [me]
        if socket.kind != .personal {
            trusted.insert(0)
            if handedOverByRoot(folder) { trusted.insert(info.st_uid) }
        }
        let expected = describe(trusted, me: me)
        try checkFolder(folder, info, trusted: trusted, expected: expected, socket: socket)
        return SocketTrust(socket: socket, trusted: trusted, expected: expected)
    }

    /// Checks a folder before `earshot serve` binds its socket there: it must be yours (or
    /// root's, for a team socket) and writable by nobody else.
    public static func checkForServer(_ socket: DaemonSocket) throws {
        let me = geteuid()
        let trusted: Set<uid_t> = socket.kind == .personal ? [me] : [me, 0]
        let folder = socket.folder
        try checkFolder(folder, try folderStatus(folder), trusted: trusted, expected: describe(trusted, me: me), socket: socket)
    }

    /// Refuses a daemon that runs as someone unexpected, before anything is sent to it.
    public func checkPeer(uid: uid_t) throws {
        guard !trusted.contains(uid) else { return }
        throw Refusal(description: """
            the daemon at \(socket.path) runs as \(Self.name(uid)), not as \(expected): it may be an impostor, so \
            nothing was sent to it. Ask an admin who runs it; to use your own database instead, stop it or \
            remove \(socket.path)
            """)
    }

    private static func folderStatus(_ folder: String) throws -> stat {
        var info = stat()
        // stat follows a link: what matters is the folder the socket is really in.
        guard stat(folder, &info) == 0 else {
            // No folder, no daemon: for the caller that is "nobody answers", not a refusal.
            if errno == ENOENT { throw UnixSocket.Failure("stat", folder) }
            throw Refusal(description: "cannot look at the socket folder \(folder): \(String(cString: strerror(errno)))")
        }
        return info
    }

    private static func checkFolder(_ folder: String, _ info: stat, trusted: Set<uid_t>, expected: String, socket: DaemonSocket) throws {
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw Refusal(description: "\(folder) should be the folder of the earshot socket \(socket.path), but it is not a folder")
        }
        guard trusted.contains(info.st_uid) else {
            throw Refusal(description: """
                the socket folder \(folder) belongs to \(name(info.st_uid)), not to \(expected): someone else may \
                have made it to pass as your earshot daemon, so it is not used. Ask an admin to remove it \
                (`rm -r \(folder)`)\(socket.kind == .personal ? ", or set XDG_RUNTIME_DIR to a folder of your own" : "")
                """)
        }
        let othersWrite = mode_t(S_IWGRP) | mode_t(S_IWOTH)
        guard info.st_mode & othersWrite == 0 else {
            throw Refusal(description: """
                the socket folder \(folder) (mode \(String(info.st_mode & 0o7777, radix: 8))) can be written by \
                others, who could put their own socket there, so it is not used: `chmod go-w \(folder)` \
                (a team's folder is mode 2750, docs/admin.md)
                """)
        }
    }

    /// Whether `folder`'s parent can be written only by root, so root made or gave `folder` to its owner.
    private static func handedOverByRoot(_ folder: String) -> Bool {
        var parent = stat()
        guard stat((folder as NSString).deletingLastPathComponent, &parent) == 0 else { return false }
        return parent.st_uid == 0 && parent.st_mode & (mode_t(S_IWGRP) | mode_t(S_IWOTH)) == 0
    }

    private static func describe(_ trusted: Set<uid_t>, me: uid_t) -> String {
        var names = trusted.contains(0) && me != 0 ? ["root"] : []
        names.append("you (\(loginName(of: me) ?? "uid \(me)"))")
        names += trusted.filter { $0 != 0 && $0 != me }.sorted().map { name($0) }
        return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    static func name(_ uid: uid_t) -> String {
        loginName(of: uid).map { "\($0) (uid \(uid))" } ?? "uid \(uid)"
    }
}
