/// Posts the replies of one platform account itself (a live account, docs/accounts.md),
/// instead of the delivery command. Called on the deliverer's thread, one reply at a time.
public protocol ReplyPoster: Sendable {
    /// Posts one reply with the request's idempotency key, and says how it went. Returns within
    /// the poster's own request timeout.
    func post(_ request: DeliveryRequest) -> DeliveryOutcome
}
