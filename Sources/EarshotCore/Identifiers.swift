/// A database row id tagged with the kind of entity it names, so a customer id
/// can never be passed where a conversation id is expected.
public struct EntityID<Entity>: IdentifierType, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// A mismatch names this type (not Int64), so a refusal can say "a conversation id".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = try? container.decode(Int64.self) else {
            throw DecodingError.typeMismatch(Self.self, .init(codingPath: decoder.codingPath, debugDescription: "not an id"))
        }
        rawValue = value
    }

    /// "conversation", "reply"...: what the id names, for messages.
    public static var entityName: String { String(describing: Entity.self).lowercased() }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}

/// Any of the id types, for code that describes one without knowing which.
public protocol IdentifierType {
    static var entityName: String { get }
}

public typealias ChannelID = EntityID<Channel>
public typealias CustomerID = EntityID<Customer>
public typealias MentionID = EntityID<Mention>
public typealias ConversationID = EntityID<Conversation>
public typealias ResponderID = EntityID<Responder>
public typealias ReplyID = EntityID<Reply>
public typealias NoteID = EntityID<Note>
public typealias EventID = EntityID<Event>
