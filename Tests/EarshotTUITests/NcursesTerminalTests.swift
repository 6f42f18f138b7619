import Foundation
import Testing
import EarshotTestSupport
@testable import EarshotTUI

/// NcursesTerminal against a real pseudo-terminal in this process: what ncurses writes is
/// checked for leaked control sequences, and replayed in a detached tmux pane whose captured
/// screen must match the buffer. Keys are typed into the pseudo-terminal and decoded.
@Suite("ncurses terminal", .serialized)
struct NcursesTerminalTests {
    static let tmux = "/usr/bin/tmux"

    /// Sets the pseudo-terminal's size (TIOCSWINSZ; Linux's generic ioctl number), which is
    /// what ncurses reads at start.
    static func setSize(_ pty: PseudoTerminal, width: Int, height: Int) {
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(pty.controller, 0x5414, &size)
    }

    @Test("Presents a frame with no leaked control sequence; tmux shows what the buffer holds",
          .enabled(if: FileManager.default.isExecutableFile(atPath: tmux)))
    func presentsThroughTmux() throws {
        let pty = try PseudoTerminal()
        Self.setSize(pty, width: 80, height: 24)
        let descriptor = pty.device.fileDescriptor
        let terminal = try NcursesTerminal(terminalType: "xterm-256color", input: descriptor, output: descriptor, environment: [:])
        defer { terminal.shutdown() }
        #expect(terminal.size == (80, 24))
        let frame = SampleLayout.render(width: 80, height: 24, message: hostileMention)
        terminal.present(frame)
        let drawn = pty.drain()

        #expect(!drawn.contains("\u{1B}]0;"), "no OSC from the message")
        #expect(!drawn.contains("\u{1B}P"), "no DCS from the message")
        #expect(!drawn.contains("\u{1B}[2J\u{1B}P"))
        #expect(!drawn.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || bidiControls.contains($0.value) })
        #expect(drawn.contains("␛]0;pwned␇"))

        // Only the changed cell goes out for a one-cell change.
        var changed = frame
        changed.put("12", x: 17, y: 0, style: .reverse.adding(.bold), clippedTo: changed.bounds)
        terminal.present(changed)
        let update = pty.drain()
        #expect(update.contains("2") && !update.contains("Queue") && update.utf8.count < 40, "\(update.debugDescription)")

        let directory = try TemporaryDirectory("earshot-tmux")
        try drawn.write(toFile: directory.file("screen.out"), atomically: true, encoding: .utf8)
        let socket = directory.file("tmux.sock")
        func tmux(_ arguments: [String]) -> Int32 {
            Self.run(["/usr/bin/timeout", "20", Self.tmux, "-S", socket, "-f", "/dev/null"] + arguments, output: directory.file("tmux.txt"))
        }
        defer { _ = tmux(["kill-server"]) }
        let script = "cat \(directory.file("screen.out")); \(Self.tmux) -S \(socket) wait-for -S shown; sleep 60"
        #expect(tmux(["new-session", "-d", "-x", "80", "-y", "24", script]) == 0)
        #expect(tmux(["wait-for", "shown"]) == 0)
        #expect(tmux(["capture-pane", "-p"]) == 0)
        let captured = try String(contentsOfFile: directory.file("tmux.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        // What ncurses was given: each cell as NcursesTerminal encodes it (complex emoji fall
        // back to their first code point).
        let expected = (0..<frame.height).map { y in
            frame.row(y).filter { !$0.isContinuation }.map { cell in
                NcursesTerminal.encode(cell.grapheme, width: Int(cell.width)).map(Self.text(of:)).joined()
            }.joined()
        }
        func trimmed(_ line: String) -> String { String(line.reversed().drop { $0 == " " }.reversed()) }
        for y in 0..<24 {
            #expect(trimmed(y < captured.count ? captured[y] : "") == trimmed(expected[y]), "row \(y)")
        }
    }

    /// The text of one curses cell (its code points without the NUL).
    static func text(of glyph: NcursesTerminal.Glyph) -> String {
        String(String.UnicodeScalarView(glyph.characters.dropLast().compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
    }

    static func run(_ arguments: [String], output: String) -> Int32 {
        runWithCleanSignals(arguments, environment: ["LANG=C.UTF-8", "PATH=/usr/bin:/bin", "TERM=xterm-256color"], output: output)
    }

    @Test("Keys typed into the terminal are decoded")
    func decodesKeys() throws {
        let pty = try PseudoTerminal()
        Self.setSize(pty, width: 40, height: 10)
        let descriptor = pty.device.fileDescriptor
        let terminal = try NcursesTerminal(terminalType: "xterm-256color", input: descriptor, output: descriptor, environment: ["NO_COLOR": "1"])
        defer { terminal.shutdown() }
        #expect(!terminal.colorsEnabled)
        #expect(throws: NcursesTerminal.StartError.self) {
            _ = try NcursesTerminal(terminalType: "xterm-256color", input: descriptor, output: descriptor)
        }
        let input = "\u{1B}[A\u{1B}[1;5Dx\r\u{03}\u{7F}\u{1B}[Z漢\u{1B}OP\u{1B}[6~"
        _ = input.withCString { write(pty.controller, $0, strlen($0)) }
        var events: [TerminalEvent] = []
        while events.count < 10, let event = terminal.nextEvent(timeout: 2000) { events.append(event) }
        #expect(events == [
            .key(.up), .key(.ctrlLeft), .key(.character("x")), .key(.enter), .key(.control("c")), .key(.backspace),
            .key(.backTab), .key(.character("漢")), .key(.function(1)), .key(.pageDown),
        ])
        _ = "\u{1B}".withCString { write(pty.controller, $0, 1) }
        #expect(terminal.nextEvent(timeout: 2000) == .key(.escape))
        #expect(terminal.nextEvent(timeout: 0) == nil)

        // A resize: the new size on the terminal, then the signal the kernel sends (to this
        // thread, so that its handler has run before the read; init unblocked it here).
        Self.setSize(pty, width: 50, height: 12)
        pthread_kill(pthread_self(), SIGWINCH)
        #expect(terminal.nextEvent(timeout: 2000) == .resize(width: 50, height: 12))
        #expect(terminal.size == (50, 12))
        #expect(terminal.nextEvent(timeout: 0) == nil, "one resize, one event")
        let frame = SampleLayout.render(width: 50, height: 12)
        terminal.present(frame)
        #expect(pty.drain().contains("Queue (11)"))
    }

    @Test("Complex graphemes fall back to what ncurses can place in the same cells")
    func encoding() throws {
        let pty = try PseudoTerminal()
        let descriptor = pty.device.fileDescriptor
        // Starting the terminal sets the UTF-8 locale that wcwidth needs.
        let terminal = try NcursesTerminal(terminalType: "vt100", input: descriptor, output: descriptor, environment: [:])
        defer { terminal.shutdown() }
        #expect(!terminal.colorsEnabled)  // vt100 has none
        func text(_ grapheme: Character, _ width: Int) -> [String] {
            NcursesTerminal.encode(grapheme, width: width).map(Self.text(of:))
        }
        #expect(text("a", 1) == ["a"])
        #expect(text("漢", 2) == ["漢"])
        #expect(text("e\u{301}", 1) == ["e\u{301}"])
        #expect(text("🇯🇵", 2) == ["🇯", "🇵"])
        #expect(text("कि", 2) == ["क", "ि"])
        #expect(text("👩‍👩‍👧", 2) == ["👩"])
        #expect(text("👍🏽", 2) == ["👍"])
        #expect(text("1️⃣", 2) == ["1\u{20E3}", " "])
        #expect(text("❤️", 2) == ["❤", " "])
        for glyphs in [NcursesTerminal.encode("👩‍👩‍👧‍👦", width: 2), NcursesTerminal.encode("e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}", width: 1)] {
            #expect(glyphs.allSatisfy { $0.characters.count <= 6 })  // CCHARW_MAX code points and the NUL
        }
    }
}
