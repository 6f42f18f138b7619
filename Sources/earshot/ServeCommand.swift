import ArgumentParser
import EarshotAccounts
import EarshotCore
import EarshotIngest
import EarshotService
import EarshotStore
import Foundation
import ServiceLifecycle
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: own the database and serve every responder's TUI and CLI on a Unix socket.",
        discussion: """
            Clients are identified by the kernel (SO_PEERCRED): a Unix user who is not a responder is refused. \
            Runs the clock rules (snoozes, idle-away, return-to-queue, routing) every --tick seconds, delivers the \
            outbox with the [delivery] command, and, with \
            --spool, ingests what a fetcher drops there. SIGTERM stops it in order: requests, then the clock, \
            then delivery finishes the reply in flight. See docs/admin.md and docs/protocol.md.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The socket to listen on (default: $EARSHOT_SOCKET, else $XDG_RUNTIME_DIR/earshot.sock).", valueName: "path"))
    var socket: String?
    @Option(help: ArgumentHelp("Also ingest files dropped into DIR/new (see docs/ingest.md).", valueName: "dir")) var spool: String?
    @Option(help: ArgumentHelp("Seconds between clock ticks.", valueName: "seconds")) var tick: Double = 5

    func validate() throws {
        if tick <= 0 { throw ValidationError("--tick must be more than 0 seconds") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let (service, config) = try store.loadService()
        let inbox = service.store
        let inherited = UnixSocket.inheritedFromSystemd(environment: environment)
        var socket = SocketPaths.locate(flag: self.socket, environment: environment)
        // The system daemon's socket is configured with --socket; without it, a personal daemon listens elsewhere.
        if socket.kind == .system { socket = SocketPaths.personal(environment: environment) }
        let path = socket.path
        if inherited == nil { try Self.prepareFolder(socket) }
        let log: @Sendable (String) -> Void = { message in
            SafeOutput.error("earshot serve: \(message)")
        }
        // Each client holds a descriptor; the usual soft limit (1,024) is far below what the system allows.
        let descriptors = DescriptorLimit.raiseToHard()
        // Which inbox this daemon serves: a file, or a database other daemons may share (no password shown).
        log("store \(SafeOutput.field((try? store.location(config: config, readingPassword: false))?.description ?? store.paths.database))")
        log("descriptor limit \(descriptors): up to \(ConnectionLimits.total(forDescriptorLimit: descriptors)) connections, \(config.daemon.connectionsPerUser) per user")
        let server = DaemonServer(service: service, socketPath: path, log: log)
        server.limits = config.daemon
        let deliverer = OutboxDeliverer(service: service, log: log)
        server.deliverer = deliverer
        let spoolPipeline = try spool.map { directory -> (SpoolDirectory, IngestPipeline) in
            let spoolDirectory = SpoolDirectory(root: directory)
            try spoolDirectory.prepare()
            let applier = IngestApplier(clock: SystemClock(), triage: ClassifierTriage())
            applier.sla = config.sla
            return (spoolDirectory, IngestPipeline(store: inbox, applier: applier, options: .init(), report: log))
        }
        nonisolated(unsafe) let spoolWork = spoolPipeline  // used by the clock's one thread at a time
        // Of several daemons sharing a PostgreSQL database, one runs the clock's rules.
        let clockLease = LeaseHolder(store: inbox, name: "clock")
        let clock = ClockService(interval: .milliseconds(Int64(tick * 1000)), log: log) {
            do {
                if let (directory, pipeline) = spoolWork, !(try directory.processWaiting(with: pipeline)).isEmpty,
                   service.policy.routing != .manual {
                    try service.route()
                }
                if clockLease.holds() { try service.tick() }
            } catch {
                log("\(error)")
            }
        }
        // Started in this order and shut down in the reverse one on SIGTERM or SIGINT: requests
        // stop first, then the clock, then delivery finishes the reply in flight.
        // Live accounts start after the clock and stop before it, once requests have stopped.
        let accounts = LiveAccounts(
            config: config, service: service, deliverer: deliverer,
            stateDirectory: store.paths.dataDirectory, log: log)
        Self.unblockShutdownSignals()
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: accounts.client + [DeliveryService(deliverer: deliverer), clock] + accounts.accounts
                + [SocketServerService(server: server, inherited: inherited)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: ForwardingLogHandler.logger(label: "earshot.serve", write: log)))
        try Self.runToCompletion(group)
        log("stopped")
    }

    /// A parent (a test runner, a shell script) may hand this process SIGTERM and SIGINT blocked;
    /// a daemon that cannot be asked to stop would be killed mid-delivery instead.
    static func unblockShutdownSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Runs the service group from this synchronous command until every service has stopped.
    static func runToCompletion(_ group: ServiceGroup) throws {
        let outcome = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { try await group.run() } catch { outcome.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let failure = outcome.withLock({ $0 }) { throw failure }
    }

    /// Makes the socket's folder if it is missing (mode 0700: a personal /tmp/earshot-UID must
    /// not be anyone else's to fill), then refuses one that another user owns or can write.
    static func prepareFolder(_ socket: DaemonSocket) throws {
        let folder = socket.folder
        if mkdir(folder, 0o700) != 0 && errno == ENOENT {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        do {
            try SocketTrust.checkForServer(socket)
        } catch let refusal as SocketTrust.Refusal {
            throw CommandFailure("not listening at \(socket.path): \(refusal)")
        }
    }

    /// Signal sources must outlive `run()`'s scope (`watch` keeps its own here).
    nonisolated(unsafe) static var keep: [DispatchSourceSignal] = []
}
