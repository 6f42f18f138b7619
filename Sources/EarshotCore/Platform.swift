/// Where a mention came from. The raw value is what the store and the formats write.
public enum Platform: String, CaseIterable, Sendable, Codable {
    /// X API v2.
    case x
    /// Twitter API v1.1.
    case twitterV1 = "twitter-v1"
    case mastodon
    case bluesky
    /// The "Customer Support on Twitter" (TWCS) history import.
    case twcs

    /// Parses a platform name as written in files and flags, with a message that lists the valid ones.
    public static func parse(_ text: String) throws(DomainError) -> Platform {
        guard let platform = Platform(rawValue: text.lowercased()) else {
            throw DomainError.invalidValue(
                field: "platform", value: text,
                expected: Platform.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return platform
    }
}
