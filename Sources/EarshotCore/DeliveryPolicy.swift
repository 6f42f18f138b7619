/// The `[delivery]` section of the configuration: how the outbox hands replies to the
/// platform (docs/config.md, docs/admin.md).
public struct DeliveryPolicy: Equatable, Sendable {
    /// The delivery command as argv (no shell). Empty: replies wait in the outbox.
    public var command: [String] = []
    /// Seconds a sent reply waits before delivery starts, so its author can take it back.
    public var undoSeconds = 5
    /// Attempts before a reply is marked failed.
    public var maxAttempts = 5
    /// The wait after the first failed attempt; it doubles after each further failure.
    public var retryBaseSeconds = 2
    /// The longest wait between attempts.
    public var retryMaxSeconds = 300
    /// A command still running after this many seconds is killed and counts as a failure.
    public var timeoutSeconds = 30

    public init() {}

    /// How long to wait before the attempt after failed attempt number `attempt` (1-based).
    public func retryDelay(afterAttempt attempt: Int) -> Duration {
        let doublings = min(max(attempt - 1, 0), 20)
        return .seconds(min(retryBaseSeconds << doublings, retryMaxSeconds))
    }
}
