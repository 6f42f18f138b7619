/// A database row id tagged with the kind of entity it names, so a customer id
/// can never be passed where a conversation id is expected.
public struct EntityID<Entity>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}

public typealias ChannelID = EntityID<Channel>
public typealias CustomerID = EntityID<Customer>
public typealias MentionID = EntityID<Mention>
public typealias ConversationID = EntityID<Conversation>
public typealias ResponderID = EntityID<Responder>
public typealias ReplyID = EntityID<Reply>
public typealias NoteID = EntityID<Note>
public typealias EventID = EntityID<Event>
