import Foundation

/// A JSON object as `JSONSerialization` returns it.
typealias JSONObject = [String: Any]

/// The small amount of JSON handling the platform adapters share: reading a document,
/// typed field access that treats `null` as absent, and re-serializing one item.
enum JSONRecord {
    /// Parses a whole document, or explains in a problem (the document verbatim as its record)
    /// why it is not JSON. `expected` names what the adapter wanted, for the message.
    static func parse(_ document: String, firstLine: Int, expected: String) -> Result<Any, RecordProblem> {
        do {
            let root = try JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed])
            return .success(root)
        } catch {
            // Our parser says it in words ("the record is cut off: the JSON ends inside a
            // string") with a byte offset in the record; Foundation's message is the fallback.
            let reason: String
            do {
                _ = try JSONParser.parse(document)
                let detail = (error as NSError).userInfo["NSDebugDescription"] as? String
                reason = detail.map { "not valid JSON (\($0))" } ?? "not valid JSON"
            } catch {
                reason = error.cutOff ? "the record is cut off: \(error.message)" : "not valid JSON: \(error)"
            }
            return .failure(RecordProblem(line: firstLine, message: "\(reason); expected \(expected)", record: document))
        }
    }

    /// The item's own object as compact JSON with sorted keys, which is what adapters
    /// store as `rawPayload`: a document may hold many items, and each mention keeps
    /// only its own record.
    static func serialize(_ object: Any) -> String {
        guard JSONSerialization.isValidJSONObject(object),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A problem about one item of a document, carrying the item as its record.
    static func problem(_ message: String, line: Int, item: Any) -> RecordProblem {
        RecordProblem(line: line, message: message, record: serialize(item))
    }

    /// What a JSON value is, in words, for messages such as "data is a number".
    static func describe(_ value: Any) -> String {
        switch value {
        case is JSONObject: "an object"
        case is [Any]: "an array"
        case is String: "a string"
        case is NSNull: "null"
        case is NSNumber: "a number"
        default: "an unknown value"
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// A non-empty string field. Whole numbers are given as their decimal digits, since
    /// some exports write ids as numbers; `null`, booleans and fractions count as absent.
    func string(_ key: String) -> String? {
        guard let value = self[key] else { return nil }
        if let text = value as? String { return text.isEmpty ? nil : text }
        if let number = value as? NSNumber, !number.isBoolean, number.stringValue == String(number.int64Value) {
            return number.stringValue
        }
        return nil
    }

    /// A string field that may legitimately be empty (display names).
    func text(_ key: String) -> String? {
        self[key] as? String
    }

    func object(_ key: String) -> JSONObject? {
        self[key] as? JSONObject
    }

    func objects(_ key: String) -> [JSONObject]? {
        (self[key] as? [Any])?.compactMap { $0 as? JSONObject }
    }

    func bool(_ key: String) -> Bool {
        guard let number = self[key] as? NSNumber, number.isBoolean else { return false }
        return number.boolValue
    }
}

extension NSNumber {
    /// `JSONSerialization` gives `true`/`false` as NSNumbers too (type code `c`); ids
    /// must not accept them. Numbers parsed from JSON never use `c` otherwise.
    fileprivate var isBoolean: Bool {
        objCType.pointee == CChar(UInt8(ascii: "c"))
    }
}
