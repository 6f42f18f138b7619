/// Platform APIs deliver post text HTML-escaped (`&amp;`, `&lt;`, `&gt;`, numeric
/// references). Earshot stores, counts and shows the text as a person sees it, so
/// every adapter decodes entities once, on the way in.
public enum HTMLEntities {
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
    ]

    /// Decodes named (`&amp;`) and numeric (`&#39;`, `&#x1F600;`) references. Anything
    /// that is not a well-formed reference is kept as written.
    public static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "&", let (decoded, next) = reference(in: text, at: index) {
                result += decoded
                index = next
            } else {
                result.append(character)
                index = text.index(after: index)
            }
        }
        return result
    }

    private static func reference(in text: String, at ampersand: String.Index) -> (String, String.Index)? {
        let bodyStart = text.index(after: ampersand)
        guard let semicolon = text[bodyStart...].prefix(12).firstIndex(of: ";") else { return nil }
        let body = text[bodyStart..<semicolon]
        let next = text.index(after: semicolon)
        if let decoded = named[body] { return (decoded, next) }
        guard body.first == "#" else { return nil }
        let digits = body.dropFirst()
        let value: UInt32?
        if let first = digits.first, first == "x" || first == "X" {
            value = UInt32(digits.dropFirst(), radix: 16)
        } else {
            value = UInt32(digits, radix: 10)
        }
        guard let value, let scalar = Unicode.Scalar(value), value != 0 else { return nil }
        return (String(Character(scalar)), next)
    }
}
