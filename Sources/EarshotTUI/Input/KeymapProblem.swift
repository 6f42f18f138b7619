/// Something wrong in keys.toml, located as `FILE:LINE:` and saying what to do. Problems never
/// stop the app: it shows them at start and keeps the default keys for whatever failed.
public struct KeymapProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        /// The binding was not applied; the action keeps its default keys.
        case error
        /// The binding was applied but probably does not do what was meant.
        case warning
    }

    /// The file as it was given to the loader.
    public let file: String
    /// The 1-based line, when it could be found.
    public let line: Int?
    public let message: String
    public let severity: Severity

    public init(file: String, line: Int?, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.message = message
        self.severity = severity
    }

    /// `keys.toml:4: "c" is bound to both claim and ...`; warnings say so after the location.
    public var description: String {
        let location = line.map { "\(file):\($0):" } ?? "\(file):"
        return severity == .warning ? "\(location) warning: \(message)" : "\(location) \(message)"
    }
}
