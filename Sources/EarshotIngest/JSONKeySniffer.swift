/// The object keys in the leading part of a JSON text, grouped by where they sit, found by
/// a tolerant scan that needs no complete document: detection sees only a prefix, which
/// may end in the middle of a string.
///
/// Paths name containers: `$` is the top-level value, `.key` an object member, `[]` any
/// element of an array. `keys["$.data[]"]` holds the keys of the objects in the top-level
/// `data` array. Scanning stops at the end of the first top-level value.
struct JSONKeySniffer {
    enum Container: Equatable { case object, array }

    /// Deeper containers are not recorded: detection never needs them, and skipping them
    /// keeps long documents cheap.
    private static let maximumDepth = 4

    private(set) var keys: [String: Set<String>] = [:]
    /// The kind of container opened at each path.
    private(set) var containers: [String: Container] = [:]
    /// Whether the first top-level value ended inside the text.
    private(set) var firstValueEnded = false
    /// Whether a line break came before the first top-level value ended.
    private(set) var sawLineBreak = false

    var root: Container? { containers["$"] }

    func keys(at path: String) -> Set<String> { keys[path] ?? [] }

    init(_ text: String) {
        scan(Array(text.utf8))
    }

    private struct Level {
        var container: Container
        /// nil below `maximumDepth`.
        var path: String?
        var expectingKey: Bool
        var lastKey: String?
    }

    private mutating func scan(_ bytes: [UInt8]) {
        var stack: [Level] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                sawLineBreak = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let container: Container = byte == UInt8(ascii: "{") ? .object : .array
                let path = childPath(of: stack.last)
                if let path { containers[path] = containers[path] ?? container }
                stack.append(Level(container: container, path: path, expectingKey: container == .object))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !stack.isEmpty else { return }
                stack.removeLast()
                if stack.isEmpty {
                    firstValueEnded = true
                    return
                }
            case UInt8(ascii: ","):
                if let last = stack.indices.last, stack[last].container == .object {
                    stack[last].expectingKey = true
                }
            case UInt8(ascii: "\""):
                guard let close = Self.stringEnd(bytes, from: index + 1) else { return }
                if let last = stack.indices.last, stack[last].container == .object, stack[last].expectingKey {
                    let key = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                    stack[last].expectingKey = false
                    stack[last].lastKey = key
                    if let path = stack[last].path { keys[path, default: []].insert(key) }
                }
                index = close
            default:
                // A top-level value that is not a container is not a document we read.
                if stack.isEmpty, byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") {
                    return
                }
            }
            index += 1
        }
    }

    private func childPath(of parent: Level?) -> String? {
        guard let parent else { return "$" }
        guard let path = parent.path, path.count(where: { $0 == "." || $0 == "[" }) < Self.maximumDepth else {
            return nil
        }
        switch parent.container {
        case .object: return parent.lastKey.map { path + "." + $0 }
        case .array: return path + "[]"
        }
    }

    /// The index of the quote closing a string whose content starts at `start`, or nil when
    /// the text ends first.
    private static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }
}
