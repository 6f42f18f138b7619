import Logging

/// swift-log's messages (the service group's own: a service that failed, a shutdown signal)
/// into the daemon's log line, so everything the daemon says reads the same way.
public struct ForwardingLogHandler: LogHandler {
    let write: @Sendable (String) -> Void
    public var logLevel: Logger.Level = .notice
    public var metadata: Logger.Metadata = [:]

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let details = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let suffix = details.isEmpty ? "" : " (" + details.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        write("\(event.message)\(suffix)")
    }

    /// A logger that writes through `write`.
    public static func logger(label: String, write: @escaping @Sendable (String) -> Void) -> Logger {
        Logger(label: label) { _ in ForwardingLogHandler(write: write) }
    }
}
