/// Errors raised when a value does not fit the domain's rules. Messages say what
/// was wrong and what would have been accepted.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidValue(field: String, value: String, expected: String)
    case missingField(String)

    public var description: String {
        switch self {
        case let .invalidValue(field, value, expected):
            return "invalid \(field) \"\(value)\": expected one of \(expected)"
        case let .missingField(field):
            return "missing \(field)"
        }
    }
}
