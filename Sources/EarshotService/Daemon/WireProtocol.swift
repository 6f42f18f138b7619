import Foundation

/// The daemon's wire format (docs/protocol.md): newline-delimited JSON objects over a Unix
/// stream socket. A connection starts with a hello carrying the protocol version; then
/// requests carry an `id` and get a response with the same `id`; the server also pushes
/// `event` messages whenever something changes.
public enum WireProtocol {
    public static let version = 1
    /// A longer message is refused with an error and the connection is closed.
    public static let maximumMessageBytes = 1 << 20

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func encode(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data) + [0x0A]
    }

    public static func decode(_ line: [UInt8]) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)), let message = object as? [String: Any] else {
            throw Malformed(description: "not a JSON object")
        }
        return message
    }

    /// Codable values (conversations, responders...) as JSON objects inside messages.
    public static func object<T: Encodable>(_ value: T) -> Any {
        guard let data = try? encoder.encode(value), let object = try? JSONSerialization.jsonObject(with: data) else { return NSNull() }
        return object
    }

    public static func value<T: Decodable>(_ type: T.Type, from object: Any?) throws -> T {
        guard let object, let data = try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed]) else {
            throw Malformed(description: "missing \(type)")
        }
        return try decoder.decode(type, from: data)
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static var decoder: JSONDecoder { JSONDecoder() }
}

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
