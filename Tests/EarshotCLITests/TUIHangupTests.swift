import EarshotTestSupport
import Foundation
import Testing

/// The real binary loses its terminal without a SIGHUP reaching it (run under nohup, su or a
/// shell that does not forward hangups, then the tmux window or SSH session dies): it must
/// save the draft and exit, not spin on a dead terminal with its connection open.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "needs tmux (make deps installs it)"))
struct TUIHangupTests {
    /// In single-user mode, and through the daemon (where the draft is saved over the connection).
    @Test(arguments: [false, true])
    func aTerminalThatGoesAwayEndsTheTUIWithTheDraftSaved(throughDaemon: Bool) throws {
        let home = try TemporaryDirectory("earshot-hangup")
        let binary = try BuiltProducts.executable("earshot")
        let me = try #require(String(validatingCString: getpwuid(getuid()).pointee.pw_name))
        // The personal socket in a private runtime folder: single-user mode until a daemon listens there.
        let socket = home.file("earshot.sock")
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "EARSHOT_DB": home.file("inbox.sqlite"),
                           "XDG_RUNTIME_DIR": home.path, "XDG_CONFIG_HOME": home.file("config"),
                           "TZ": "UTC", "LANG": "C.UTF-8", "TERM": "xterm-256color"]
        #expect(try runProcess(binary, ["responder", "add", me, "--name", "Me", "--initials", "ME", "--availability", "available"],
                               environment: environment).status == 0)
        try #"{"platform":"x","external_id":"1","channel":"AcmeSupport","author":"kim","text":"where is my order?","created_at":"2026-11-27T09:00:00Z"}"#
            .write(toFile: home.file("feed.jsonl"), atomically: true, encoding: .utf8)
        #expect(try runProcess(binary, ["ingest", home.file("feed.jsonl")], environment: environment).status == 0)
        let daemon = throughDaemon ? try CLITest.startDaemon(binary, ["--tick", "0.5"], environment: environment, socket: socket) : nil
        defer {
            daemon?.terminate()
            daemon?.waitUntilExit()
        }
        #expect(try runProcess(binary, ["claim", "1"], environment: environment).status == 0)

        // As nohup leaves it: SIGHUP ignored, inherited through exec.
        let pidFile = home.file("tui.pid")
        let tmux = try TmuxSession(
            ["/bin/sh", "-c", "echo $$ > \"$1\"; trap '' HUP; exec \"$0\" tui", binary, pidFile], environment: environment, in: home.path)
        defer { tmux.kill() }
        #expect(tmux.wait(for: "@kim").matched)
        let pid = try #require(Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        tmux.send("g")
        tmux.send("Enter")
        tmux.send("r")
        #expect(tmux.wait(for: "Reply to #1").matched)
        tmux.type("checking with the carrier")
        #expect(tmux.wait(for: "checking with the carrier").matched)

        // The window dies: tmux closes the terminal; its SIGHUP is ignored.
        tmux.kill()
        let deadline = Date().addingTimeInterval(15)
        while Self.isRunning(pid) && Date() < deadline { usleep(50_000) }
        let stillRunning = Self.isRunning(pid)
        if stillRunning { kill(pid, SIGKILL) }
        #expect(!stillRunning, "the TUI keeps running after its terminal went away")
        #expect(try CLITest.count("SELECT count(*) FROM reply WHERE state = 'draft' AND text = '@kim checking with the carrier'",
                                  in: home.file("inbox.sqlite")) == 1)
    }

    /// Alive and not a zombie (the process is not this test's child: nobody may reap it soon).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = status.lastIndex(of: ")")
        else { return false }
        return !status[close...].hasPrefix(") Z")
    }
}
