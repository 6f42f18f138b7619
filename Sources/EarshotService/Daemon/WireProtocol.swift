import EarshotCore
import Foundation

/// The daemon's wire format (docs/protocol.md): newline-delimited JSON objects over a Unix
/// stream socket, each one of the Codable messages below. A connection starts with a hello
/// carrying the protocol version; then requests carry an `id` and get a response with the same
/// `id`; the server also pushes `event` and `presence` messages whenever something changes.
public enum WireProtocol {
    /// 2: typed requests (`InboxRequest`), errors with codes and details, times as milliseconds.
    public static let version = 2
    /// A longer message is refused with an error and the connection is closed.
    public static let maximumMessageBytes = 1 << 20

    /// One message as a line: JSON with sorted keys (so a pushed message starts `{"event"` or
    /// `{"presence"`), then a newline.
    public static func line<T: Encodable>(_ message: T) throws -> [UInt8] {
        Array(try encoder.encode(message)) + [0x0A]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ line: [UInt8]) throws -> T {
        try decoder.decode(type, from: Data(line))
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var decoder: JSONDecoder { JSONDecoder() }
}

// MARK: - The messages

/// A request's `id`: any number or string the client chooses, carried back in the response.
public enum RequestID: Codable, Sendable, Hashable {
    case number(Int64)
    case text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(number): try container.encode(number)
        case let .text(text): try container.encode(text)
        }
    }

    /// Bytes as JSON, roughly (an id is echoed in every answer, so it must stay small).
    var size: Int {
        switch self {
        case let .number(number): String(number).utf8.count
        case let .text(text): text.utf8.count + 2
        }
    }
}

/// The client's first message: `{"hello": {"protocol": 2, "client": "earshot"}}`.
public struct HelloMessage: Codable, Sendable {
    public struct Hello: Codable, Sendable {
        public var `protocol`: Int
        public var client: String?
    }
    public var hello: Hello
}

/// The daemon's answer to the hello: who the kernel says the client is.
public struct WelcomeMessage: Codable, Sendable {
    public struct Welcome: Codable, Sendable {
        public var `protocol`: Int
        public var login: String
        public var name: String
        public var role: ResponderRole
    }
    public var hello: Welcome
}

/// `{"id": ..., "method": ..., "params": {...}}`: one request as sent.
struct RequestMessage<Request: InboxRequest>: Encodable {
    let id: RequestID
    let request: Request

    private enum CodingKeys: String, CodingKey { case id, method, params }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(Request.method, forKey: .method)
        try container.encode(request, forKey: .params)
    }
}

/// What the daemon reads first of a request, to know which type its params are.
struct RequestHead: Decodable {
    let id: RequestID?
    let method: String?
}

/// A request's params, read once its method is known. Absent params are `{}`.
struct RequestParams<Request: InboxRequest>: Decodable {
    let request: Request

    private enum CodingKeys: String, CodingKey { case params }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.params), !(try container.decodeNil(forKey: .params)) {
            // An object even for a request without params (whose decoding would look at nothing).
            _ = try container.nestedContainer(keyedBy: AnyKey.self, forKey: .params)
            request = try container.decode(Request.self, forKey: .params)
        } else {
            request = try WireProtocol.decoder.decode(Request.self, from: Data("{}".utf8))
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `{"id": ..., "result": ..., "partial": true}`: a request's answer (`partial` only when cut).
struct ResponseMessage<Result: Codable>: Codable {
    let id: RequestID
    let result: Result
    var partial: Bool?
}

/// `{"id": ..., "error": {...}}`: a refusal; without an id it is about the connection.
struct ErrorMessage: Codable {
    var id: RequestID?
    let error: InboxError
}

/// `{"event": EVENT}`: an event of the log, pushed as it happens.
struct EventMessage: Codable {
    let event: Event
}

/// `{"presence": {"conversation": N, "people": [...]}}`: who is in a conversation now, pushed
/// whenever that changes.
public struct PresenceUpdate: Codable, Sendable, Equatable {
    public var conversation: ConversationID
    public var people: [PresenceEntry]
}

/// What one daemon tells the others sharing its database about its clients in a conversation.
struct PresenceNote: Codable {
    let daemon: String
    let conversation: ConversationID
    let people: [PresenceEntry]
}

struct PresenceMessage: Codable {
    let presence: PresenceUpdate
}

/// Any message from the daemon, read far enough to route it: an answer is decoded in full
/// (with its result's type) only by the request waiting for it.
struct IncomingHead: Decodable {
    var id: RequestID?
    var error: InboxError?
    var event: Event?
    var presence: PresenceUpdate?
    var hello: WelcomeMessage.Welcome?
    var partial: Bool?
}

// MARK: - Framing

/// Splits a byte stream into newline-terminated messages, refusing any longer than the limit.
/// After a message that is too long, the rest of it is skipped up to its newline, so a reader
/// that carries on (a client) is at the next message boundary again.
struct MessageFramer {
    private var pending: [UInt8] = []
    private var skipping = false

    enum Output {
        case message([UInt8])
        /// With the message's first bytes, enough to tell a pushed `{"event"...` (keys are sorted).
        case tooLong(start: [UInt8])
    }

    mutating func feed(_ bytes: [UInt8]) -> [Output] {
        var outputs: [Output] = []
        for byte in bytes {
            if byte == 0x0A {
                if !pending.isEmpty && !skipping { outputs.append(.message(pending)) }
                pending.removeAll(keepingCapacity: true)
                skipping = false
            } else if !skipping {
                pending.append(byte)
                if pending.count > WireProtocol.maximumMessageBytes {
                    outputs.append(.tooLong(start: Array(pending.prefix(16))))
                    pending.removeAll()
                    skipping = true
                }
            }
        }
        return outputs
    }
}
