import EarshotCore
import Foundation
import Synchronization

/// How long and from which seed the fuzz targets run. `make test` runs each target for a few
/// seconds; `make fuzz` sets `EARSHOT_FUZZ_SECONDS` for longer runs, and `EARSHOT_FUZZ_SEED`
/// replays a run that failed (its seed is printed at the start of every target).
public struct FuzzBudget: Sendable {
    public let seconds: Double
    public let seed: UInt64

    public static func fromEnvironment(defaultSeconds: Double = 2) -> FuzzBudget {
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["EARSHOT_FUZZ_SECONDS"].flatMap(Double.init) ?? defaultSeconds
        let seed = environment["EARSHOT_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64(Date().timeIntervalSince1970 * 1_000)
        return FuzzBudget(seconds: seconds, seed: seed)
    }
}

/// Mutates real inputs the way coverage-free fuzzers do: bit flips, interesting bytes, cuts,
/// repeats, splices with other inputs, and tokens that matter to the grammars we parse (quotes,
/// brackets, escapes, line ends, NUL, invalid UTF-8, huge numbers).
public struct Mutator {
    public var random: SeededRandom
    /// Mutated inputs never grow past this: the targets look for crashes and hangs, not for
    /// the size limits (tested on their own).
    public let maximumLength: Int

    static let tokens: [[UInt8]] = [
        "\"", "\\", "{", "}", "[", "]", ",", ":", "\n", "\r", "\r\n", "\0", "\\u0000", "\\ud800", "\\u001b[2J",
        "\u{1B}]0;PWN\u{07}", "true", "false", "null", "-0", "1e999", "99999999999999999999999", "-9223372036854775809",
        "\"\"", "{}", "[]", "\"id\":", "\"text\":", "\"created_at\":\"0000-00-00T00:00:60+25:00\"", "Wed Oct 10 20:19:24 +2500 2018",
        "\u{202E}", "\u{200D}", "😀", "@", "#", "http://", ",,,,,,", "\"\"\"",
    ].map { Array($0.utf8) } + [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80]]

    public init(seed: UInt64, maximumLength: Int = 256 << 10) {
        random = SeededRandom(seed: seed)
        self.maximumLength = maximumLength
    }

    /// One to eight mutations of an input chosen from `corpus`.
    public mutating func mutate(_ corpus: [[UInt8]]) -> [UInt8] {
        var bytes = corpus.randomElement(using: &random) ?? []
        for _ in 0..<Int.random(in: 1...8, using: &random) { mutateOnce(&bytes, corpus: corpus) }
        if bytes.count > maximumLength { bytes.removeLast(bytes.count - maximumLength) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int { Int.random(in: 0...bytes.count, using: &random) }

    private mutating func mutateOnce(_ bytes: inout [UInt8], corpus: [[UInt8]]) {
        switch Int.random(in: 0..<9, using: &random) {
        case 0 where !bytes.isEmpty:
            let at = Int.random(in: 0..<bytes.count, using: &random)
            bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        case 1 where !bytes.isEmpty:
            bytes[Int.random(in: 0..<bytes.count, using: &random)] = [0, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x0A, 0x0D, 0x1B].randomElement(using: &random)!
        case 2:
            bytes.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: position(in: bytes))
        case 3 where !bytes.isEmpty:
            // Cut somewhere: truncated pages and rows are the commonest real damage.
            bytes.removeLast(Int.random(in: 0...bytes.count, using: &random))
        case 4 where bytes.count > 1:
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let end = min(bytes.count, start + Int.random(in: 1...64, using: &random))
            bytes.removeSubrange(start..<end)
        case 5 where !bytes.isEmpty:
            let start = Int.random(in: 0..<bytes.count, using: &random)
            let end = min(bytes.count, start + Int.random(in: 1...256, using: &random))
            let piece = Array(bytes[start..<end])
            for _ in 0..<Int.random(in: 1...16, using: &random) { bytes.insert(contentsOf: piece, at: position(in: bytes)) }
        case 6:
            // Splice: the front of this input, the back of another.
            let other = corpus.randomElement(using: &random) ?? []
            let cut = position(in: bytes)
            let otherCut = Int.random(in: 0...other.count, using: &random)
            bytes = Array(bytes[..<cut]) + Array(other[otherCut...])
        case 7:
            let random = (0..<Int.random(in: 1...32, using: &random)).map { _ in UInt8.random(in: 0...255, using: &self.random) }
            bytes.insert(contentsOf: random, at: position(in: bytes))
        default:
            // Deep nesting, which recursive parsers must not overflow the stack on.
            let depth = Int.random(in: 1...20_000, using: &random)
            let open: [UInt8] = Bool.random(using: &random) ? [0x5B] : Array("{\"a\":".utf8)
            bytes.insert(contentsOf: Array(repeating: open, count: depth).flatMap { $0 }, at: position(in: bytes))
        }
    }
}

/// Fails loudly instead of hanging: if one input runs longer than `limit`, the input is saved
/// beside the report and the process stops, naming the file (a hang would otherwise stall CI).
public final class FuzzWatchdog: Sendable {
    private struct Current { var startedAt: Date?; var input: [UInt8] }
    private let current = Mutex(Current(startedAt: nil, input: []))
    private let stopped = Atomic<Bool>(false)
    public let target: String
    public let limit: TimeInterval

    public init(target: String, limit: TimeInterval = 60) {
        self.target = target
        self.limit = limit
        Thread.detachNewThread { [self] in watch() }
    }

    public func begin(_ input: [UInt8]) { current.withLock { $0 = Current(startedAt: Date(), input: input) } }
    public func end() { current.withLock { $0.startedAt = nil } }
    public func stop() { stopped.store(true, ordering: .relaxed) }

    private func watch() {
        while !stopped.load(ordering: .relaxed) {
            Thread.sleep(forTimeInterval: 0.5)
            let stuck = current.withLock { state -> [UInt8]? in
                guard let startedAt = state.startedAt, Date().timeIntervalSince(startedAt) > limit else { return nil }
                return state.input
            }
            if let stuck {
                let path = NSTemporaryDirectory() + "earshot-fuzz-hang-\(target)-\(getpid())"
                FileManager.default.createFile(atPath: path, contents: Data(stuck))
                fatalError("fuzz target \(target): one input ran over \(Int(limit)) s (a hang); it is saved in \(path)")
            }
        }
    }
}

/// This process's resident memory, from /proc (0 where there is none).
public func residentMemoryBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
