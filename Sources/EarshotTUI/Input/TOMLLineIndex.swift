import Foundation

/// Where sections and keys are in a TOML file. TOMLKit reports no positions for values, so the
/// text is scanned (as `ConfigLoader.lineOf` does for config.toml), which lets every keys.toml
/// problem name its line.
struct TOMLLineIndex {
    private var sections: [String: Int] = [:]
    private var keys: [String: Int] = [:]
    /// Keys written before any section header.
    private var topLevel: [String: Int] = [:]

    init(_ text: String) {
        var section: String?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                let close = line.firstIndex(of: "]") ?? line.endIndex
                let name = Self.unquoted(line[line.index(after: line.startIndex)..<close])
                section = name
                if sections[name] == nil { sections[name] = number + 1 }
                continue
            }
            guard let key = Self.key(of: line) else { continue }
            if let section {
                if keys[section + "\u{0}" + key] == nil { keys[section + "\u{0}" + key] = number + 1 }
            } else if topLevel[key] == nil {
                topLevel[key] = number + 1
            }
        }
    }

    /// The line of the `[section]` header.
    func line(ofSection section: String) -> Int? { sections[section] }

    /// The line where `key` is set in `[section]`, or at the top when `section` is nil.
    func line(ofKey key: String, in section: String?) -> Int? {
        guard let section else { return topLevel[key] }
        return keys[section + "\u{0}" + key]
    }

    /// The key of a `key = value` line: the text before the first `=` outside quotes.
    private static func key(of line: String) -> String? {
        if line.hasPrefix("#") { return nil }
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                let key = unquoted(line[..<index])
                return key.isEmpty ? nil : key
            }
        }
        return nil
    }

    private static func unquoted(_ text: Substring) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 2, let first = trimmed.first, first == "\"" || first == "'", trimmed.last == first {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }
}
