/// Someone who writes to a channel; identified by platform and handle.
public struct Customer: Hashable, Sendable, Codable {
    public var id: CustomerID
    public var platform: Platform
    /// The platform handle without a leading `@` (for TWCS imports, the anonymised author id).
    public var handle: String
    public var displayName: String
    public var firstSeen: Timestamp
    /// Free-form notes responders keep about this customer.
    public var notes: String

    public init(
        id: CustomerID, platform: Platform, handle: String, displayName: String,
        firstSeen: Timestamp, notes: String = ""
    ) {
        self.id = id
        self.platform = platform
        self.handle = handle
        self.displayName = displayName
        self.firstSeen = firstSeen
        self.notes = notes
    }
}
