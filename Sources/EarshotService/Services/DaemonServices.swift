import Foundation
import ServiceLifecycle

// The daemon's long-running parts as services under swift-service-lifecycle. `earshot serve`
// runs them in one `ServiceGroup` in the order delivery, clock, socket server; on SIGTERM or
// SIGINT the group shuts them down in the reverse order, each waiting for the one before:
// the socket server stops taking requests and closes its connections, then the clock stops
// between ticks, then the deliverer finishes the reply in flight (docs/architecture.md).

/// The Unix socket server: listens until shutdown, then closes every connection.
public struct SocketServerService: Service {
    let server: DaemonServer
    /// The listening socket systemd passed in, if socket-activated.
    let inherited: UnixSocket?

    public init(server: DaemonServer, inherited: UnixSocket?) {
        self.server = server
        self.inherited = inherited
    }

    public func run() async throws {
        try server.start(inherited: inherited)
        try? await gracefulShutdown()
        server.stop()
        server.log("stopped taking requests; every connection closed")
    }
}

/// Reply delivery: runs until shutdown, then lets the reply in flight finish.
public struct DeliveryService: Service {
    let deliverer: OutboxDeliverer

    public init(deliverer: OutboxDeliverer) { self.deliverer = deliverer }

    public func run() async throws {
        deliverer.start()
        try? await gracefulShutdown()
        await deliverer.stopAndWait()
        deliverer.log("delivery stopped")
    }
}

/// The clock: every `interval`, one tick of work (spool ingest, routing, the clock rules) on a
/// queue of its own, so a long spool file never holds a cooperative thread.
public struct ClockService: Service {
    let interval: Duration
    let tick: @Sendable () -> Void
    let log: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "earshot.clock")

    public init(interval: Duration, log: @escaping @Sendable (String) -> Void, tick: @escaping @Sendable () -> Void) {
        self.interval = interval
        self.tick = tick
        self.log = log
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async { [tick] in
                    tick()
                    done.resume()
                }
            }
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        log("clock stopped")
    }
}
