import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the configured delivery command once: argv (no shell), the request as JSON on stdin.
/// Exit 0 with the platform's id on the first line of stdout is a delivery; anything else
/// (another status, no id, a signal, the timeout) is a failure described for the author.
public struct DeliveryCommand: Sendable {
    public let argv: [String]
    public let timeout: Duration

    public init(argv: [String], timeout: Duration) {
        self.argv = argv
        self.timeout = timeout
    }

    /// Keeps the tail of stderr: enough to say what went wrong without storing a flood.
    static let errorLimit = 500

    public func run(_ request: DeliveryRequest) -> DeliveryOutcome {
        guard let program = argv.first else { return .failed("no delivery command is configured ([delivery] command)") }
        let input: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            input = try encoder.encode(request) + Data("\n".utf8)
        } catch {
            return .failed("could not encode the reply: \(error)")
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(argv, input: input, timeout: timeout)
        } catch {
            return .failed("\(program) could not be started: \(error)")
        }
        let stderr = Self.tail(of: result.stderr)
        switch result.termination {
        case .timedOut:
            return .failed("\(program) did not finish within \(timeout.components.seconds) s and was killed\(stderr.map { ": \($0)" } ?? "")")
        case let .signalled(signal):
            return .failed("\(program) was killed by signal \(signal)\(stderr.map { ": \($0)" } ?? "")")
        case let .exited(status) where status != 0:
            return .failed("\(program) exited with status \(status)\(stderr.map { ": \($0)" } ?? "")")
        case .exited:
            let firstLine = String(decoding: result.stdout, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !firstLine.isEmpty else {
                return .failed("\(program) exited 0 but printed no platform id on stdout")
            }
            return .delivered(platformID: String(firstLine.prefix(200)))
        }
    }

    private static func tail(of data: Data) -> String? {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " / ")
        return flat.count <= errorLimit ? flat : "…" + String(flat.suffix(errorLimit))
    }
}
