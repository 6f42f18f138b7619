import Foundation

/// A daemon socket a client may use, and why it was chosen: that decides whom to trust there
/// and whether "nobody there" means single-user mode or "the daemon is down".
public struct DaemonSocket: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `--socket` or `EARSHOT_SOCKET` (named in `source`): the team's socket as configured.
        case configured(source: String)
        /// `/run/earshot/earshot.sock`, or its folder: a system install is on this box.
        case system
        /// `$XDG_RUNTIME_DIR/earshot.sock` or `/tmp/earshot-UID/earshot.sock`: your own daemon's.
        case personal
    }

    public let path: String
    public let kind: Kind

    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var folder: String { (path as NSString).deletingLastPathComponent }

    /// Only when no team socket is configured or present may a client work on its own database.
    /// A personal socket file left behind counts as present: its daemon may have served another database.
    public var allowsSingleUserMode: Bool {
        kind == .personal && !SocketPaths.exists(path)
    }
}

/// Where the daemon's socket is: `--socket`, `EARSHOT_SOCKET`, the system install's
/// `/run/earshot/earshot.sock` when it (or its folder) exists, else a personal one in
/// `$XDG_RUNTIME_DIR` (or `/tmp/earshot-UID/`).
public enum SocketPaths {
    public static let systemFolder = "/run/earshot"
    public static let systemSocket = systemFolder + "/earshot.sock"

    public static func locate(flag: String?, environment: [String: String]) -> DaemonSocket {
        if let flag, !flag.isEmpty { return DaemonSocket(path: flag, kind: .configured(source: "--socket")) }
        if let fromEnvironment = environment["EARSHOT_SOCKET"], !fromEnvironment.isEmpty {
            return DaemonSocket(path: fromEnvironment, kind: .configured(source: "EARSHOT_SOCKET"))
        }
        // The folder counts too: systemd removes a RuntimeDirectory's socket with a stopped daemon.
        if exists(systemSocket) || exists(systemFolder) { return DaemonSocket(path: systemSocket, kind: .system) }
        return personal(environment: environment)
    }

    /// Where a personal daemon (`earshot serve` without `--socket`) listens.
    public static func personal(environment: [String: String]) -> DaemonSocket {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return DaemonSocket(path: runtime + "/earshot.sock", kind: .personal)
        }
        return DaemonSocket(path: "/tmp/earshot-\(getuid())/earshot.sock", kind: .personal)
    }

    /// Whether anything (a socket file, a stale one, a folder) is at `path`; lstat, so a dangling
    /// link counts. A path we may not look into (EACCES) counts too: connecting will say so.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 || (errno != ENOENT && errno != ENOTDIR)
    }
}
