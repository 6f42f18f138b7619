/// The options every benchmark takes: `--count N`, `--dir DIR`, and its own extras.
struct BenchOptions {
    var count = 1_000_000
    var directory: String?
    /// Options with a value that only some benchmarks use (e.g. `--only`).
    var extra: [String: String] = [:]
    /// Flags without a value (e.g. `--skip-baseline`).
    var flags: Set<String> = []

    init(_ arguments: [String], extraOptions: Set<String> = [], extraFlags: Set<String> = []) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if extraFlags.contains(flag) {
                flags.insert(flag)
                continue
            }
            guard let value = rest.popFirst() else { throw BenchUsage("\(flag) needs a value") }
            switch flag {
            case "--count": count = try BenchUsage.int(value, flag)
            case "--dir": directory = value
            case _ where extraOptions.contains(flag): extra[flag] = value
            default: throw BenchUsage("unknown option \(flag)")
            }
        }
    }
}
