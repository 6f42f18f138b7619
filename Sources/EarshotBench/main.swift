import Foundation

// earshot-bench: the benchmarks `make bench` runs, and the crash-test writer the tests
// kill. Each benchmark prints its figure beside a baseline and the ratio between them.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "store":
        try StoreBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "ingest":
        try IngestBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "stats":
        try StatsBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "forecast":
        try ForecastBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "waves":
        try WaveBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "queue":
        try QueueBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "daemon":
        try DaemonBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "accounts":
        try AccountBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "scale-out":
        try ScaleOutBenchmark(arguments: Array(arguments.dropFirst())).run()
    case "tui", "tui-run": try TUIBenchmark.command(arguments)
    case "writer":
        try CrashWriter(arguments: Array(arguments.dropFirst())).run()
    default:
        FileHandle.standardError.write(Data("""
            usage: earshot-bench store [--count N] [--dir DIR] [--skip-baseline]
                   earshot-bench ingest [--count N] [--dir DIR] [--only jsonl|twcs]
                   earshot-bench stats [--count N] [--dir DIR]
                   earshot-bench forecast [--count N] [--dir DIR] [--runs 3]
                   earshot-bench waves [--count N] [--dir DIR] [--mentions 20000] [--pass 200]
                   earshot-bench queue [--count N] [--dir DIR]
                   earshot-bench daemon [--clients 50] [--rate 200] [--seconds 10]
                   earshot-bench scale-out [--clients 50] [--seconds 10] [--count N]   (needs EARSHOT_BENCH_POSTGRES)
                   earshot-bench accounts [--mentions 40]
                   earshot-bench tui [--count N] [--dir DIR] [--runs 3] [--presses 1000]
                   earshot-bench writer --db PATH [--batches N] [--batch-size N]

            """.utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("earshot-bench: \(error)\n".utf8))
    exit(1)
}
