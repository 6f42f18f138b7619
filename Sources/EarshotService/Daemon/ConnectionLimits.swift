import Foundation

/// How many connections the daemon keeps, and for how long one may stay unidentified
/// (`[daemon]` in config.toml; docs/admin.md#connections).
public struct ConnectionLimits: Equatable, Sendable {
    /// Connections one Unix user may hold at once (a TUI, `watch`, commands, scripts); more are refused.
    public var connectionsPerUser = 64
    /// A connection that has not said hello within this is dropped: idle ones would hold descriptors.
    public var helloTimeoutSeconds = 5

    public init() {}

    /// The most connections for a descriptor limit: what is left after a reserve for the
    /// database, the spool, delivery pipes and logging (an eighth, between 64 and 256: SQLite alone keeps about 20 open).
    public static func total(forDescriptorLimit limit: Int) -> Int {
        max(1, limit - min(256, max(64, limit / 8)))
    }
}

/// The process's open-file limit (RLIMIT_NOFILE). Each client holds one descriptor.
public enum DescriptorLimit {
    /// Raises the soft limit to the hard one (the most an unprivileged process may); returns the limit now in force.
    @discardableResult
    public static func raiseToHard() -> Int {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return current
    }

    public static var current: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return Int(clamping: limit.rlim_cur)
    }
}
