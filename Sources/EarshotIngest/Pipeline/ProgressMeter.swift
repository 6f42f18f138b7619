import EarshotCore
import Foundation

/// Count, rate and ETA on one self-rewriting stderr line, only when stderr is a terminal:
/// piped or logged runs get nothing but the problems and the summary.
struct ProgressMeter {
    let enabled: Bool
    let totalBytes: Int?
    private let started = DispatchTime.now()
    private var lastDraw = DispatchTime.now()
    private var drew = false

    init(enabled: Bool, totalBytes: Int?) {
        self.enabled = enabled
        self.totalBytes = totalBytes
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    mutating func update(records: Int, bytes: Int) {
        guard enabled else { return }
        let now = DispatchTime.now()
        guard now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 250_000_000 else { return }
        lastDraw = now
        let seconds = Double(now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let rate = seconds > 0 ? Double(records) / seconds : 0
        var line = "\r\u{1B}[K  \(records.formatted()) records  \(Int(rate).formatted())/s"
        if let totalBytes, totalBytes > 0, bytes > 0 {
            let fraction = Double(bytes) / Double(totalBytes)
            let remaining = seconds / fraction - seconds
            line += String(format: "  %.0f%%  ETA %d:%02d", fraction * 100, Int(remaining) / 60, Int(remaining) % 60)
        }
        FileHandle.standardError.write(Data(line.utf8))
        drew = true
    }

    mutating func finish() {
        guard enabled, drew else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
