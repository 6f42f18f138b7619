import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real terminal for driving the real binary as a person would: a detached tmux session
/// of a given size on its own server socket, keys sent with send-keys, the screen read with
/// capture-pane.
public final class TmuxSession {
    public let server: String
    let directory: String
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    /// Starts `command` in a new detached session of `width`x`height` with exactly `environment`.
    public init(_ command: [String], environment: [String: String], width: Int = 120, height: Int = 40, in directory: String) throws {
        server = "earshot-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.directory = directory
        var arguments = ["new-session", "-d", "-s", Self.session, "-x", String(width), "-y", String(height)]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(key)=\(value)"] }
        arguments += ["--"] + command
        let status = tmux(arguments)
        guard status == 0 else { throw Failure(description: "tmux new-session exited \(status)") }
    }

    /// The one session on this test's own server.
    static let session = "earshot"

    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// Sends tmux key names (`Enter`, `C-s`, `Escape`, `j`).
    public func send(_ keys: String...) { _ = tmux(["send-keys", "-t", Self.session] + keys) }

    /// Types text literally.
    public func type(_ text: String) { _ = tmux(["send-keys", "-t", Self.session, "-l", text]) }

    /// The screen as text lines.
    public func capture() -> String { output(["capture-pane", "-p", "-t", Self.session]) }

    /// The pane's title (which an OSC 0 sequence would change).
    public func title() -> String { output(["display-message", "-p", "-t", Self.session, "#{pane_title}"]) }

    /// Whether the program still runs (the session ends when it exits).
    public var isRunning: Bool { tmux(["has-session", "-t", Self.session]) == 0 }

    /// Waits until the screen satisfies `condition`; returns the last screen either way.
    @discardableResult
    public func wait(timeout: TimeInterval = 20, for condition: (String) -> Bool) -> (matched: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !condition(screen) {
            guard Date() < deadline else { return (false, screen) }
            usleep(50_000)
            screen = capture()
        }
        return (true, screen)
    }

    public func wait(for text: String, timeout: TimeInterval = 20) -> (matched: Bool, screen: String) {
        wait(timeout: timeout) { $0.contains(text) }
    }

    public func kill() { _ = tmux(["kill-server"]) }

    deinit { kill() }

    private func output(_ arguments: [String]) -> String {
        let file = directory + "/tmux-output-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(file) }
        _ = tmux(arguments, output: file)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// tmux on this session's own server, started with a clean signal mask.
    @discardableResult
    private func tmux(_ arguments: [String], output: String = "/dev/null") -> Int32 {
        runWithCleanSignals(
            ["/usr/bin/tmux", "-L", server, "-f", "/dev/null"] + arguments,
            environment: ["LANG=C.UTF-8", "PATH=/usr/bin:/bin", "TERM=xterm-256color", "TMUX_TMPDIR=\(directory)"], output: output)
    }
}
