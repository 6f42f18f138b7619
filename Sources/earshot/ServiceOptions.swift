import ArgumentParser
import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore
import Foundation

/// What every command that acts on conversations needs: the database, the configuration and
/// who is acting. Without a daemon, the service runs in this process (single-user mode).
struct ServiceOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("The daemon's socket (default: $EARSHOT_SOCKET, /run/earshot/earshot.sock, $XDG_RUNTIME_DIR/earshot.sock).", valueName: "path"))
    var socket: String?

    /// The inbox as this user: through the daemon when a team socket is configured or present
    /// (an error, not a fallback, when nobody answers there), else the service in this process
    /// (single-user mode, the user's own database).
    func api() throws -> any InboxAPI {
        if let connection = try DaemonLink.connect(daemonSocket) { return RemoteInbox(connection: connection) }
        return LocalInbox(service: try service(), login: Self.currentLogin)
    }

    /// The socket this command uses, and why (flag, environment, system install, personal).
    var daemonSocket: DaemonSocket { SocketPaths.locate(flag: socket, environment: ProcessInfo.processInfo.environment) }

    /// The service over the database, with the configured policies.
    func service() throws -> InboxService {
        try serviceAndConfig().0
    }

    func serviceAndConfig() throws -> (InboxService, EarshotConfig) {
        var (service, config) = try store.loadService()
        // Whoever owns the database (or root) administers it directly in single-user mode.
        var info = stat()
        if geteuid() == 0 || (stat(store.paths.database, &info) == 0 && info.st_uid == geteuid()), let me = loginName(of: geteuid()) {
            // The real user, not an EARSHOT_LOGIN stand-in.
            service.administrators = [me]
        }
        return (service, config)
    }

    /// The Unix login of whoever runs this process. `EARSHOT_LOGIN` overrides it in single-user
    /// mode only (tests, demos); the daemon takes identity from the kernel and ignores it.
    static var currentLogin: String {
        if let login = ProcessInfo.processInfo.environment["EARSHOT_LOGIN"], !login.isEmpty { return login }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid\(geteuid())" }
        return String(cString: name)
    }
}

/// Conversation ids as typed: `12` or `#12`.
struct ConversationArgument: ExpressibleByArgument {
    let id: ConversationID

    init?(argument: String) {
        let digits = argument.hasPrefix("#") ? String(argument.dropFirst()) : argument
        guard let value = Int64(digits), value > 0 else { return nil }
        id = ConversationID(value)
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// A point in time as typed: ISO 8601, or a delay from now such as `45m`, `2h`, `1d`, `90s`.
struct TimeArgument: ExpressibleByArgument {
    enum Value { case absolute(Timestamp), relative(seconds: Int64) }
    let value: Value

    init?(argument: String) {
        if let (time, _) = TimestampParsing.iso8601(argument) {
            value = .absolute(time)
            return
        }
        guard let unit = argument.last, let amount = Int64(argument.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": value = .relative(seconds: amount)
        case "m": value = .relative(seconds: amount * 60)
        case "h": value = .relative(seconds: amount * 3600)
        case "d": value = .relative(seconds: amount * 86_400)
        default: return nil
        }
    }

    func resolve(now: Timestamp) -> Timestamp {
        switch value {
        case let .absolute(time): time
        case let .relative(seconds): now.adding(seconds: seconds)
        }
    }
}
