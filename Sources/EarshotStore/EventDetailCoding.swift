import Foundation

/// Event details are flat string maps stored as a JSON object with sorted keys.
/// Encoding is hand-written because it runs once per event on the ingest hot path,
/// where `JSONEncoder` costs more than the insert itself.
enum EventDetailCoding {
    static func encode(_ detail: [String: String]) -> String {
        if detail.isEmpty { return "{}" }
        var out = "{"
        for (index, key) in detail.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(detail[key]!, to: &out)
        }
        out += "}"
        return out
    }

    static func decode(_ text: String) -> [String: String] {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            result[key] = (value as? String) ?? "\(value)"
        }
        return result
    }

    private static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        // Ids and times (nearly every detail) need no escaping: append them whole.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += String(format: "\\u%04x", scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
