import CPeerCredentials
import Foundation
import Synchronization

/// A connected or listening Unix stream socket: the few system calls the daemon and its
/// clients need, with errors that say which call failed and why.
public final class UnixSocket: Sendable {
    public let descriptor: Int32
    /// `close()` is idempotent: the descriptor number may be reused once closed.
    private let closed = Mutex(false)

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        /// The errno of the failed call (ENOENT: no socket there; ECONNREFUSED: nobody listening).
        public let code: Int32
        init(_ call: String, _ path: String? = nil) {
            code = errno
            description = "\(call)\(path.map { " \($0)" } ?? ""): \(String(cString: strerror(code)))"
        }
    }

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Listens at `path` (a stale socket file there is replaced), with the given file mode.
    public static func listen(at path: String, mode: mode_t = 0o660, backlog: Int32 = 128) throws -> UnixSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket") }
        let socket = UnixSocket(descriptor: descriptor)
        unlink(path)
        try withAddress(path) { address, length in
            guard bind(descriptor, address, length) == 0 else { throw Failure("bind", path) }
        }
        chmod(path, mode)
        guard Glibc.listen(descriptor, backlog) == 0 else { throw Failure("listen", path) }
        return socket
    }

    /// The listening socket systemd passes to a socket-activated service (`LISTEN_FDS=1`,
    /// descriptor 3), if this process was started that way.
    public static func inheritedFromSystemd(environment: [String: String]) -> UnixSocket? {
        guard environment["LISTEN_FDS"] == "1", environment["LISTEN_PID"].flatMap(Int32.init) == getpid() else { return nil }
        _ = fcntl(3, F_SETFD, FD_CLOEXEC)
        return UnixSocket(descriptor: 3)
    }

    /// Connects to `path`. With a `timeout`, connecting (a daemon whose backlog is full) and
    /// later reads and writes fail with EAGAIN after that long, until `setTimeout(nil)`.
    public static func connect(to path: String, timeout: TimeInterval? = nil) throws -> UnixSocket {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket") }
        let socket = UnixSocket(descriptor: descriptor)
        try socket.setTimeout(timeout)
        try withAddress(path) { address, length in
            guard Glibc.connect(descriptor, address, length) == 0 else { throw Failure("connect", path) }
        }
        return socket
    }

    /// Bounds each blocking read, write and connect (they then fail with EAGAIN); nil waits forever.
    public func setTimeout(_ seconds: TimeInterval?) throws {
        let whole = seconds.map { max($0, 0.001) } ?? 0
        var value = timeval(tv_sec: Int(whole), tv_usec: Int((whole - whole.rounded(.down)) * 1_000_000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            guard setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
                throw Failure("setsockopt(SO_RCVTIMEO/SO_SNDTIMEO)")
            }
        }
    }

    public func accept() throws -> UnixSocket {
        while true {
            let client = Glibc.accept(descriptor, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                return UnixSocket(descriptor: client)
            }
            if errno == EINTR { continue }
            throw Failure("accept")
        }
    }

    /// Who the kernel says is on the other end.
    public func peer() throws -> (uid: uid_t, gid: gid_t, pid: pid_t) {
        var uid: uid_t = 0
        var gid: gid_t = 0
        var pid: pid_t = 0
        guard earshot_peer_credentials(descriptor, &uid, &gid, &pid) == 0 else { throw Failure("getsockopt(SO_PEERCRED)") }
        return (uid, gid, pid)
    }

    /// Bytes as they arrive; empty at end of stream.
    public func read(max: Int = 65_536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            if errno == EINTR { continue }
            throw Failure("read")
        }
    }

    /// Whether a read would not block now (data, or the peer gone), waiting up to `milliseconds`.
    public func isReadable(waitingMilliseconds milliseconds: Int32 = 0) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }

    /// Writes everything (blocking); fails if the peer went away.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("write")
            }
            offset += count
        }
    }

    public func close() {
        closed.withLock { closed in
            guard !closed else { return }
            closed = true
            shutdown(descriptor, Int32(SHUT_RDWR))
            Glibc.close(descriptor)
        }
    }

    deinit { close() }

    private static func withAddress<T>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) throws -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw Failure.init("socket path longer than \(capacity - 1) bytes:", path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return try withUnsafePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                try body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}

/// The login name of a uid, from the system's user database.
public func loginName(of uid: uid_t) -> String? {
    var entry = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 4_096)
    guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
    return String(cString: name)
}
