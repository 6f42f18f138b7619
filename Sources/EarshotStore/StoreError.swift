/// Failures a person can act on; each message says what and what to do.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case databaseMissing(path: String)
    case newerSchema(path: String, found: [String])
    case notFound(what: String)
    case conflict(String)

    public var description: String {
        switch self {
        case let .databaseMissing(path):
            return "no database at \(path); create it with `earshot db init`"
        case let .newerSchema(path, found):
            return "\(path) was written by a newer Earshot (unknown migrations: \(found.joined(separator: ", "))); upgrade earshot before opening it"
        case let .notFound(what):
            return "\(what) not found"
        case let .conflict(message):
            return message
        }
    }
}
