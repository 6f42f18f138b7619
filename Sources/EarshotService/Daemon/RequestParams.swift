import Foundation

/// A request's params, read with their JSON types checked: `"conversation": true` or
/// `"add": 1` is a `bad_request` naming the param and the type it needs, not a guess.
/// (Foundation hands JSON booleans over as NSNumber, which `as? NSNumber` and `as? Int`
/// both accept: a boolean is told apart by its number type, "c".)
struct RequestParams {
    let method: String
    let values: [String: Any]

    /// Absent and null are both "not given".
    func given(_ key: String) -> Any? {
        guard let value = values[key], !(value is NSNull) else { return nil }
        return value
    }

    /// A whole number, or nil when not given.
    func integer(_ key: String, _ meaning: String) throws -> Int64? {
        guard let value = given(key) else { return nil }
        guard let number = value as? NSNumber, !Self.isBoolean(number), !(value is String),
              let exact = Int64(exactly: number.doubleValue), number.int64Value == exact
        else { throw wrongType(key, meaning, value) }
        return exact
    }

    /// A positive id that must be there.
    func id(_ key: String, _ meaning: String) throws -> Int64 {
        guard let number = try integer(key, meaning) else {
            throw RequestHandler.RequestError(code: "bad_request", message: "\(method) needs \"\(key)\": \(meaning)")
        }
        guard number > 0 else { throw wrongType(key, meaning, NSNumber(value: number)) }
        return number
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let value = given(key) else { return fallback }
        guard let number = value as? NSNumber, Self.isBoolean(number) else { throw wrongType(key, "true or false", value) }
        return number.boolValue
    }

    /// A string, or nil when not given.
    func string(_ key: String, _ meaning: String = "a string") throws -> String? {
        guard let value = given(key) else { return nil }
        guard let text = value as? String else { throw wrongType(key, meaning, value) }
        return text
    }

    /// A string that must be there and not be empty.
    func required(_ key: String, _ meaning: String = "a string") throws -> String {
        guard let text = try string(key, meaning), !text.isEmpty else {
            throw RequestHandler.RequestError(code: "bad_request", message: "\(method) needs \"\(key)\": \(meaning)")
        }
        return text
    }

    func wrongType(_ key: String, _ meaning: String, _ value: Any) -> RequestHandler.RequestError {
        RequestHandler.RequestError(
            code: "bad_request", message: "\(method): \"\(key)\" must be \(meaning), not \(Self.describe(value)) (docs/protocol.md)")
    }

    static func isBoolean(_ number: NSNumber) -> Bool { String(cString: number.objCType) == "c" }

    /// What the client sent, in JSON's words, for the message.
    static func describe(_ value: Any) -> String {
        switch value {
        case let number as NSNumber where isBoolean(number): number.boolValue ? "true" : "false"
        case let number as NSNumber: "the number \(number)"
        case let text as String: "the string \"\(ServiceError.quoted(text))\""
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        default: "null"
        }
    }
}
