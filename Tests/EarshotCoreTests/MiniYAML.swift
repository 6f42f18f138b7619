/// Just enough YAML for twitter-text's conformance files (no YAML library is available): block
/// mappings and sequences by indentation (a sequence may sit at its key's indentation), `- key: value`
/// items, plain, single- and double-quoted scalars with every YAML double-quote escape, flow
/// sequences of scalars, whole-line comments and `---`. Anything else is an error, not a guess.
enum YAMLValue: Equatable {
    case null
    case scalar(String, quoted: Bool)
    case sequence([YAMLValue])
    case mapping([(key: String, value: YAMLValue)])

    static func == (left: YAMLValue, right: YAMLValue) -> Bool {
        switch (left, right) {
        case (.null, .null): return true
        case let (.scalar(a, qa), .scalar(b, qb)): return a == b && qa == qb
        case let (.sequence(a), .sequence(b)): return a == b
        case let (.mapping(a), .mapping(b)): return a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: return false
        }
    }

    subscript(key: String) -> YAMLValue? {
        guard case let .mapping(entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    var string: String? {
        if case let .scalar(text, _) = self { return text }
        return nil
    }

    var items: [YAMLValue]? {
        if case let .sequence(items) = self { return items }
        return nil
    }

    var int: Int? { string.flatMap { Int($0) } }

    var bool: Bool? {
        switch string {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}

struct YAMLError: Error, CustomStringConvertible {
    let description: String
}

struct MiniYAML {
    private struct Line {
        var indent: Int
        var content: Substring
        var number: Int
    }

    private var lines: [Line]
    private var index = 0

    static func parse(_ text: String) throws -> YAMLValue {
        var parser = MiniYAML(text)
        guard !parser.lines.isEmpty else { return .null }
        let value = try parser.block(indent: parser.lines[0].indent)
        if parser.index < parser.lines.count {
            throw YAMLError(description: "line \(parser.lines[parser.index].number): unexpected indentation")
        }
        return value
    }

    private init(_ text: String) {
        let split = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        lines = split.enumerated().compactMap { number, line in
            let content = line.drop { $0 == " " }
            guard !content.isEmpty, !content.hasPrefix("#"), content != "---" else { return nil }
            return Line(indent: line.count - content.count, content: content, number: number + 1)
        }
    }

    private func isSequenceItem(_ content: Substring) -> Bool { content == "-" || content.hasPrefix("- ") }

    private mutating func block(indent: Int) throws -> YAMLValue {
        isSequenceItem(lines[index].content) ? try sequence(indent: indent) : try mapping(indent: indent)
    }

    private mutating func sequence(indent: Int) throws -> YAMLValue {
        var items: [YAMLValue] = []
        while index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index].content) {
            let line = lines[index]
            let rest = line.content.dropFirst().drop { $0 == " " }
            if rest.isEmpty {
                index += 1
                items.append(try nested(deeperThan: indent, orSequenceAt: nil))
            } else if Self.keyAndRest(rest) != nil || isSequenceItem(rest) {
                // `- key: value` (or `- - item`): the item is a block starting at the text after the dash.
                lines[index] = Line(indent: indent + (line.content.count - rest.count), content: rest, number: line.number)
                items.append(try block(indent: lines[index].indent))
            } else {
                index += 1
                items.append(try Self.scalarOrFlow(rest, line: line.number))
            }
        }
        return .sequence(items)
    }

    private mutating func mapping(indent: Int) throws -> YAMLValue {
        var entries: [(key: String, value: YAMLValue)] = []
        while index < lines.count, lines[index].indent == indent, !isSequenceItem(lines[index].content) {
            let line = lines[index]
            guard let (key, rest) = Self.keyAndRest(line.content) else {
                throw YAMLError(description: "line \(line.number): expected `key: value`, found \(line.content)")
            }
            index += 1
            let value = rest.isEmpty
                ? try nested(deeperThan: indent, orSequenceAt: indent)
                : try Self.scalarOrFlow(rest, line: line.number)
            entries.append((try Self.unquotedKey(key, line: line.number), value))
        }
        return .mapping(entries)
    }

    /// The value of an empty `key:` or `-`: a deeper block, a sequence at the key's own indentation, or null.
    private mutating func nested(deeperThan indent: Int, orSequenceAt sequenceIndent: Int?) throws -> YAMLValue {
        guard index < lines.count else { return .null }
        let next = lines[index]
        if next.indent > indent { return try block(indent: next.indent) }
        if next.indent == sequenceIndent, isSequenceItem(next.content) { return try sequence(indent: next.indent) }
        return .null
    }

    /// Splits `key: rest` at the first `: ` (or final `:`) outside quotes.
    private static func keyAndRest(_ content: Substring) -> (Substring, Substring)? {
        var quote: Character?
        var previous: Character?
        var position = content.startIndex
        while position < content.endIndex {
            let character = content[position]
            if let open = quote {
                if character == open && (open == "'" || previous != "\\") { quote = nil }
            } else if character == "\"" || character == "'" {
                if position == content.startIndex { quote = character }
            } else if character == ":" {
                let after = content.index(after: position)
                if after == content.endIndex || content[after] == " " {
                    return (content[..<position], content[after...].drop { $0 == " " })
                }
            } else if character == "[" || character == "{" {
                if position == content.startIndex { return nil }
            }
            previous = previous == "\\" && character == "\\" ? nil : character
            position = content.index(after: position)
        }
        return nil
    }

    private static func unquotedKey(_ key: Substring, line: Int) throws -> String {
        guard case let .scalar(text, _) = try scalarOrFlow(key, line: line) else {
            throw YAMLError(description: "line \(line): a key must be a scalar")
        }
        return text
    }

    static func scalarOrFlow(_ text: Substring, line: Int) throws -> YAMLValue {
        var reader = ScalarReader(text: text, line: line)
        let value = try reader.value()
        reader.skipSpaces()
        guard reader.atEnd else { throw YAMLError(description: "line \(line): unexpected text after a value: \(text)") }
        return value
    }
}

/// Reads one inline value: a quoted or plain scalar, or a flow sequence `[a, "b"]`.
private struct ScalarReader {
    let text: Substring
    let line: Int
    var position: Substring.Index

    init(text: Substring, line: Int) {
        self.text = text
        self.line = line
        position = text.startIndex
    }

    var atEnd: Bool { position == text.endIndex }

    mutating func skipSpaces() {
        while !atEnd, text[position] == " " { position = text.index(after: position) }
    }

    private mutating func next() throws -> Character {
        guard !atEnd else { throw YAMLError(description: "line \(line): unterminated value: \(text)") }
        defer { position = text.index(after: position) }
        return text[position]
    }

    mutating func value(inFlow: Bool = false) throws -> YAMLValue {
        skipSpaces()
        guard !atEnd else { return .null }
        switch text[position] {
        case "\"": return .scalar(try doubleQuoted(), quoted: true)
        case "'": return .scalar(try singleQuoted(), quoted: true)
        case "[": return try flowSequence()
        case "{": throw YAMLError(description: "line \(line): flow mappings are not supported")
        default: return plain(inFlow: inFlow)
        }
    }

    private mutating func plain(inFlow: Bool) -> YAMLValue {
        let start = position
        while !atEnd, !(inFlow && (text[position] == "," || text[position] == "]")) {
            position = text.index(after: position)
        }
        let raw = text[start..<position].trimmingTrailingSpaces()
        return raw == "~" || raw == "null" ? .null : .scalar(String(raw), quoted: false)
    }

    private mutating func flowSequence() throws -> YAMLValue {
        _ = try next()  // [
        var items: [YAMLValue] = []
        skipSpaces()
        if !atEnd, text[position] == "]" {
            _ = try next()
            return .sequence(items)
        }
        while true {
            items.append(try value(inFlow: true))
            skipSpaces()
            switch try next() {
            case ",": continue
            case "]": return .sequence(items)
            case let other: throw YAMLError(description: "line \(line): expected , or ] in a flow sequence, found \(other)")
            }
        }
    }

    private mutating func singleQuoted() throws -> String {
        _ = try next()
        var result = ""
        while true {
            let character = try next()
            if character == "'" {
                if !atEnd, text[position] == "'" {
                    _ = try next()
                    result.append("'")
                } else {
                    return result
                }
            } else {
                result.append(character)
            }
        }
    }

    /// YAML 1.2 double-quoted escapes; `\u` surrogate pairs are joined, as YAML 1.1 readers do.
    private mutating func doubleQuoted() throws -> String {
        _ = try next()
        var scalars = String.UnicodeScalarView()
        var pendingHighSurrogate: UInt32?
        while true {
            let character = try next()
            if character == "\"" { return String(scalars) }
            guard character == "\\" else {
                scalars.append(contentsOf: character.unicodeScalars)
                continue
            }
            let escape = try next()
            var value: UInt32
            switch escape {
            case "0": value = 0
            case "a": value = 7
            case "b": value = 8
            case "t", "\t": value = 9
            case "n": value = 10
            case "v": value = 11
            case "f": value = 12
            case "r": value = 13
            case "e": value = 0x1B
            case " ": value = 0x20
            case "\"": value = 0x22
            case "/": value = 0x2F
            case "\\": value = 0x5C
            case "N": value = 0x85
            case "_": value = 0xA0
            case "L": value = 0x2028
            case "P": value = 0x2029
            case "x": value = try hex(2)
            case "u": value = try hex(4)
            case "U": value = try hex(8)
            default: throw YAMLError(description: "line \(line): unknown escape \\\(escape)")
            }
            if (0xD800...0xDBFF).contains(value) {
                pendingHighSurrogate = value
                continue
            }
            if let high = pendingHighSurrogate, (0xDC00...0xDFFF).contains(value) {
                value = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
            }
            pendingHighSurrogate = nil
            guard let scalar = Unicode.Scalar(value) else {
                throw YAMLError(description: "line \(line): escape is not a code point: \(String(value, radix: 16))")
            }
            scalars.append(scalar)
        }
    }

    private mutating func hex(_ digits: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = try next().hexDigitValue else { throw YAMLError(description: "line \(line): bad hex escape") }
            value = value * 16 + UInt32(digit)
        }
        return value
    }
}

private extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " { end = index(before: end) }
        return self[startIndex..<end]
    }
}
