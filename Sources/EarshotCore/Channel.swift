/// One brand account on one platform, e.g. `@AcmeSupport` on X. Mentions arrive on a channel.
public struct Channel: Hashable, Sendable, Codable {
    public var id: ChannelID
    public var platform: Platform
    /// The account's handle without a leading `@`.
    public var handle: String
    public var displayName: String
    public var createdAt: Timestamp

    public init(id: ChannelID, platform: Platform, handle: String, displayName: String, createdAt: Timestamp) {
        self.id = id
        self.platform = platform
        self.handle = handle
        self.displayName = displayName
        self.createdAt = createdAt
    }
}
