import CNcurses
import Foundation
import Synchronization

/// The real terminal, through ncursesw. Thin on purpose: start and stop curses, read keys,
/// write the cells that changed, ring the bell, step aside for `$EDITOR`. Everything it draws
/// comes from a ``CellBuffer``, so it only ever sends sanitized text.
///
/// Input is in raw mode: Ctrl-C, Ctrl-Z, Ctrl-S and Ctrl-Q arrive as `.control` keys instead of
/// signals and flow control, so the app decides what they do (bind C-c to quit, C-z to
/// ``suspend(_:)``).
///
/// Keys: ncurses keypad mode decodes what terminfo describes (arrows, Home/End, PgUp/PgDn,
/// Delete, Insert, Backspace, Shift-Tab, F1–F24, Enter on the keypad). Ctrl-Left/Right are
/// extended keys: their codes are looked up by terminfo name (`kLFT5`, `kRIT5`) with
/// `key_defined`; when the entry lacks them, the xterm and rxvt sequences are decoded by hand
/// after ESC. An Escape alone arrives 25 ms after the key (`set_escdelay(25)`); ESC followed by
/// another key (Alt-x) gives `.escape` and then the key.
///
/// Width: ncurses measures with glibc's `wcwidth`, one code point at a time, and can hold only
/// five code points per cell. Graphemes it cannot show as ``DisplayWidth`` measures them (ZWJ
/// sequences, skin tones, keycaps, VS16 emoji, emoji newer than glibc) are written as their first
/// code point (👩‍👩‍👧 as 👩), padded with a space when that is narrower, so the columns ncurses
/// assumes and the columns the buffer laid out never disagree.
///
/// One at a time: curses has one global screen, so a second instance while one is running
/// throws. Not `Sendable`: use it from the thread that created it (best the main thread: Linux
/// delivers SIGWINCH there first, which wakes a waiting ``nextEvent(timeout:)`` on a resize;
/// on another thread the resize is seen when the wait times out).
///
/// `init` sets the process locale from the environment (`setlocale(LC_ALL, "")`), falling
/// back to `C.UTF-8` for the character type when that is not UTF-8.
///
/// A terminal that goes away (end of input or a read error, say the SSH session closed while
/// SIGHUP was ignored) makes ``isClosed`` true and ``nextEvent(timeout:)`` return at once;
/// so does a SIGHUP, which `init` handles unless it was ignored (``HangupSignal``).
public final class NcursesTerminal: Terminal {
    /// Why the terminal could not start.
    public enum StartError: Error, CustomStringConvertible {
        case notATerminal
        case unknownTerminal(String)
        case cannotAddressCursor(String)
        case alreadyRunning

        public var description: String {
            switch self {
            case .notATerminal:
                return "standard input and output must be a terminal for the inbox screen; run it in a terminal, or use the CLI commands in scripts"
            case .unknownTerminal(let name):
                return "the terminal type \"\(name)\" is not in the terminfo database; set TERM to one that is (for example TERM=xterm-256color)"
            case .cannotAddressCursor(let name):
                return "the terminal type \"\(name)\" cannot move the cursor, so the inbox screen cannot be drawn; set TERM to a full-screen terminal (for example TERM=xterm-256color)"
            case .alreadyRunning:
                return "a terminal screen is already running in this process"
            }
        }
    }

    /// curses has one screen per process that Earshot uses; this guards it.
    private static let running = Mutex(false)

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let ownedFiles: [UnsafeMutablePointer<FILE>]
    /// Colour is used: the terminal has it and `NO_COLOR` is not set.
    public let colorsEnabled: Bool
    /// `use_default_colors` worked, so pair colour -1 keeps the user's own foreground/background.
    private let defaultColors: Bool
    private var colorPairs: [Int: Int16] = [:]
    private var extendedKeys: [Int32: Key] = [:]
    private var pushedBack: [TerminalEvent] = []
    private var lastPresented: CellBuffer?
    private var needsFullRedraw = true
    private var cursorShown: Bool?
    private var glyphCache: [Character: [Glyph]] = [:]
    private var isShutDown = false
    private let outputDescriptor: Int32
    private let inputDescriptor: Int32
    /// The input ended or failed: read by ``isClosed``.
    private var inputEnded = false
    private var reportedSize: (width: Int, height: Int)?

    /// Starts curses on the process's terminal (or on the given descriptors, for tests).
    /// - Parameters:
    ///   - terminalType: the terminfo name; `nil` reads `TERM`.
    ///   - environment: read for `NO_COLOR` and `TERM`.
    public init(
        terminalType: String? = nil, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard isatty(input) == 1, isatty(output) == 1 else { throw StartError.notATerminal }
        let claimed = Self.running.withLock { running -> Bool in
            if running { return false }
            running = true
            return true
        }
        guard claimed else { throw StartError.alreadyRunning }
        var started = false
        defer { if !started { Self.running.withLock { $0 = false } } }

        // Wide characters need a UTF-8 locale before curses starts. Over SSH LANG is often
        // unset (the C locale), where ncurses would print every non-ASCII byte as ~ or M-x;
        // C.UTF-8 exists on every current glibc and changes nothing but the character type.
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }

        // ncurses learns of a resize from SIGWINCH. A parent may have left it blocked in the
        // mask this process inherited; unblocked in the thread that reads keys, the signal also
        // interrupts the wait in wget_wch, so KEY_RESIZE arrives at once.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &winch, nil)

        var files: [UnsafeMutablePointer<FILE>] = []
        let inputFile = input == STDIN_FILENO ? earshot_stdin() : fdopen(dup(input), "r")
        let outputFile = output == STDOUT_FILENO ? earshot_stdout() : fdopen(dup(output), "w")
        if input != STDIN_FILENO, let inputFile { files.append(inputFile) }
        if output != STDOUT_FILENO, let outputFile { files.append(outputFile) }
        let name = terminalType ?? environment["TERM"] ?? "(unset)"
        guard let inputFile, let outputFile, let screen = newterm(terminalType, outputFile, inputFile) else {
            files.forEach { fclose($0) }
            throw StartError.unknownTerminal(name)
        }
        set_term(screen)
        guard let window = earshot_stdscr(), earshot_tigetstr("cup") != nil else {
            endwin()
            delscreen(screen)
            files.forEach { fclose($0) }
            throw StartError.cannotAddressCursor(name)
        }
        self.screen = screen
        self.window = window
        outputDescriptor = output
        inputDescriptor = input
        ownedFiles = files
        HangupSignal.install()

        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        curs_set(0)
        cursorShown = false

        colorsEnabled = ColorPolicy.colorsEnabled(environment: environment, terminalHasColors: has_colors())
        if colorsEnabled {
            start_color()
            defaultColors = use_default_colors() == OK
        } else {
            defaultColors = false
        }
        for (capability, key) in [("kLFT5", Key.ctrlLeft), ("kRIT5", Key.ctrlRight)] {
            if let sequence = earshot_tigetstr(capability) {
                let code = key_defined(sequence)
                if code > 0 { extendedKeys[code] = key }
            }
        }
        reportedSize = size
        started = true
    }

    deinit { shutdown() }

    public var size: (width: Int, height: Int) { (Int(earshot_cols()), Int(earshot_lines())) }

    // MARK: - Input

    public var isClosed: Bool { inputEnded || HangupSignal.received }

    public func nextEvent(timeout milliseconds: Int) -> TerminalEvent? {
        if !pushedBack.isEmpty { return pushedBack.removeFirst() }
        if isClosed { return nil }
        let deadline = milliseconds < 0 ? nil : Self.now() + milliseconds
        while true {
            // A resize signalled while the app was drawing sets ncurses' flag, but ncurses only
            // looks at it after its next wait; asking the terminal's size first makes a resize
            // show at once.
            if let resize = checkSize() { return resize }
            let remaining = deadline.map { max(0, $0 - Self.now()) }
            wtimeout(window, remaining.map { Int32(clamping: $0) } ?? -1)
            guard let input = read() else {
                // A timeout, or a terminal that is gone: wget_wch then fails at once, every time,
                // and waiting again would spin.
                if !inputEnded { inputEnded = Self.hungUp(inputDescriptor) }
                return nil
            }
            let event: TerminalEvent?
            if input.isKeyCode {
                event = decodeKeyCode(Int32(bitPattern: input.value))
            } else if input.value == 27 {
                event = decodeEscape()
            } else {
                event = InputDecoding.key(forCharacter: input.value).map { .key($0) }
            }
            // Input that means nothing (an unknown sequence, a repeated resize) does not end
            // the wait early.
            if let event { return event }
            if let deadline, Self.now() >= deadline { return nil }
        }
    }

    /// Whether a terminal descriptor has hung up or failed: what `poll` reports once the other
    /// side (sshd, tmux, a closed pseudo-terminal controller) is gone. A live terminal with
    /// nothing typed reports nothing.
    static func hungUp(_ descriptor: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, 0) >= 0 else { return errno != EINTR }
        return entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Milliseconds on the monotonic clock.
    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
    }

    /// `.resize` if the terminal's size is not the one ncurses has (after resizing ncurses).
    private func checkSize() -> TerminalEvent? {
        var window = winsize()
        guard ioctl(outputDescriptor, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return nil }
        let actual = (width: Int(window.ws_col), height: Int(window.ws_row))
        guard actual != size else { return nil }
        resizeterm(Int32(actual.height), Int32(actual.width))
        return resized()
    }

    /// After ncurses changed size: the next frame is drawn in full; the same size is reported
    /// once (ncurses queues its own KEY_RESIZE after a resize we already reported).
    private func resized() -> TerminalEvent? {
        needsFullRedraw = true
        let current = size
        defer { reportedSize = current }
        if let reportedSize, reportedSize == current { return nil }
        return .resize(width: current.width, height: current.height)
    }

    /// One `wget_wch`: a character, or a curses key code; `nil` on timeout.
    private func read() -> (isKeyCode: Bool, value: UInt32)? {
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == KEY_CODE_YES { return (true, UInt32(character)) }
        if status == OK { return (false, UInt32(character)) }
        return nil
    }

    /// After ESC: ncurses already waited ESCDELAY for a sequence terminfo knows, so what is
    /// queued now is an unknown sequence (decoded by hand), another key (Alt-key: Escape, then
    /// the key), or nothing (Escape alone).
    private func decodeEscape() -> TerminalEvent? {
        wtimeout(window, 0)
        guard let next = read() else { return .key(.escape) }
        if next.isKeyCode {
            if let event = decodeKeyCode(Int32(bitPattern: next.value)) { pushedBack.append(event) }
            return .key(.escape)
        }
        guard next.value == 0x5B || next.value == 0x4F, let introducer = Unicode.Scalar(next.value) else {
            if let key = InputDecoding.key(forCharacter: next.value) { pushedBack.append(.key(key)) }
            return .key(.escape)
        }
        var sequence = String(introducer)
        while !InputDecoding.isComplete(sequence), sequence.unicodeScalars.count < 16,
              let more = read(), !more.isKeyCode, let scalar = Unicode.Scalar(more.value) {
            sequence.unicodeScalars.append(scalar)
        }
        return InputDecoding.key(forEscapeSequence: sequence).map { .key($0) }
    }

    private func decodeKeyCode(_ code: Int32) -> TerminalEvent? {
        let key: Key
        switch code {
        case KEY_RESIZE:
            // ncurses has already resized its screen (its SIGWINCH handler ran resizeterm).
            return resized()
        case KEY_UP: key = .up
        case KEY_DOWN: key = .down
        case KEY_LEFT: key = .left
        case KEY_RIGHT: key = .right
        case KEY_HOME: key = .home
        case KEY_END: key = .end
        case KEY_PPAGE: key = .pageUp
        case KEY_NPAGE: key = .pageDown
        case KEY_DC: key = .delete
        case KEY_IC: key = .insert
        case KEY_BACKSPACE: key = .backspace
        case KEY_BTAB: key = .backTab
        case KEY_ENTER: key = .enter
        case earshot_key_f(1)...earshot_key_f(24): key = .function(Int(code - earshot_key_f(0)))
        default:
            guard let extended = extendedKeys[code] else { return nil }
            key = extended
        }
        return .key(key)
    }

    // MARK: - Output

    public func present(_ buffer: CellBuffer) {
        guard !isShutDown else { return }
        let (screenWidth, screenHeight) = size
        let runs: [CellRun]
        if needsFullRedraw || lastPresented == nil {
            werase(window)
            runs = BufferDiff.fullRedraw(buffer)
        } else {
            runs = BufferDiff.changes(from: lastPresented, to: buffer)
        }
        for run in runs where run.y < screenHeight {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                if cell.isContinuation { continue }
                if x >= screenWidth { break }
                draw(cell, x: x, y: run.y, screenWidth: screenWidth)
            }
        }
        if let cursor = buffer.cursor, cursor.x >= 0, cursor.x < screenWidth, cursor.y >= 0, cursor.y < screenHeight {
            if cursorShown != true { curs_set(1) }
            cursorShown = true
            leaveok(window, false)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            if cursorShown != false { curs_set(0) }
            cursorShown = false
            // The cursor's place does not matter: ncurses may leave it wherever is cheapest.
            leaveok(window, true)
        }
        wrefresh(window)
        lastPresented = buffer
        needsFullRedraw = false
    }

    public func forceRedraw() {
        guard !isShutDown else { return }
        clearok(window, true)
        needsFullRedraw = true
        if let lastPresented { present(lastPresented) } else { wrefresh(window) }
    }

    public func bell() {
        guard !isShutDown else { return }
        beep()
    }

    public func suspend<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard !isShutDown else { return try body() }
        def_prog_mode()
        endwin()
        defer {
            reset_prog_mode()
            cursorShown = nil
            forceRedraw()
        }
        return try body()
    }

    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        curs_set(1)
        endwin()
        delscreen(screen)
        ownedFiles.forEach { fclose($0) }
        Self.running.withLock { $0 = false }
    }

    // MARK: - Drawing one cell

    /// What ncurses is given for one buffer cell: one or more curses cells, each a spacing code
    /// point and up to four combining ones, with the width wcwidth gives it.
    struct Glyph: Equatable {
        var characters: [wchar_t]  // NUL-terminated, as setcchar wants
        var width: Int
    }

    private func draw(_ cell: Cell, x: Int, y: Int, screenWidth: Int) {
        let attributes = attributeBits(cell.style.attributes)
        let pair = colorPair(for: cell.style)
        if let ascii = cell.grapheme.asciiValue {
            // Most cells: one code point that ncurses measures as we do, no lookup.
            put(wchar_t(ascii), attributes: attributes, pair: pair, x: x, y: y)
            return
        }
        var column = x
        for glyph in glyphs(for: cell.grapheme, width: Int(cell.width)) {
            if column + glyph.width > screenWidth {
                // A wide glyph cut by the screen's edge (the buffer is wider than the screen,
                // between a resize and the next frame): blanks, as in the buffer.
                while column < screenWidth {
                    put(0x20, attributes: attributes, pair: pair, x: column, y: y)
                    column += 1
                }
                return
            }
            put(glyph.characters, attributes: attributes, pair: pair, x: column, y: y)
            column += glyph.width
        }
    }

    private func put(_ code: wchar_t, attributes: attr_t, pair: Int16, x: Int, y: Int) {
        var characters: (wchar_t, wchar_t) = (code, 0)
        var cchar = cchar_t()
        withUnsafePointer(to: &characters) { pointer in
            pointer.withMemoryRebound(to: wchar_t.self, capacity: 2) { _ = setcchar(&cchar, $0, attributes, pair, nil) }
        }
        _ = mvwadd_wch(window, Int32(y), Int32(x), &cchar)
    }

    private func put(_ characters: [wchar_t], attributes: attr_t, pair: Int16, x: Int, y: Int) {
        var cchar = cchar_t()
        characters.withUnsafeBufferPointer { pointer in
            _ = setcchar(&cchar, pointer.baseAddress, attributes, pair, nil)
        }
        // At the bottom-right corner ncurses reports ERR (the cursor cannot advance) after
        // writing the cell; nothing to handle.
        _ = mvwadd_wch(window, Int32(y), Int32(x), &cchar)
    }

    private func glyphs(for grapheme: Character, width: Int) -> [Glyph] {
        if let cached = glyphCache[grapheme] { return cached }
        let result = Self.encode(grapheme, width: width)
        if glyphCache.count > 4096 { glyphCache.removeAll(keepingCapacity: true) }
        glyphCache[grapheme] = result
        return result
    }

    /// Splits a grapheme the way ncurses will measure it; if that does not add up to the width
    /// the buffer gave it, falls back to its first code point (padded with spaces), so ncurses
    /// and the buffer agree on every column.
    static func encode(_ grapheme: Character, width: Int) -> [Glyph] {
        let maxPerCell = Int(CCHARW_MAX)
        var parts: [Glyph] = []
        var faithful = true
        for scalar in grapheme.unicodeScalars {
            let code = wchar_t(bitPattern: scalar.value)
            let cells = Int(earshot_wcwidth(code))
            // A joiner asks the terminal to fuse the cells around it into one glyph, which
            // ncurses cannot know about; so does a VS16 that widens its base.
            if cells < 0 || scalar.value == 0x200D || (scalar.value == 0xFE0F && width > 1) { faithful = false }
            if cells > 0 {
                parts.append(Glyph(characters: [code], width: cells))
            } else if cells == 0, !parts.isEmpty, parts[parts.count - 1].characters.count < maxPerCell {
                parts[parts.count - 1].characters.append(code)
            }
        }
        if faithful && parts.reduce(0, { $0 + $1.width }) == width {
            return parts.map { Glyph(characters: $0.characters + [0], width: $0.width) }
        }
        var fallback: Glyph
        if var first = parts.first, first.width <= width {
            // Keep the combining marks (an enclosing keycap), drop what asks for fusion or emoji form.
            first.characters = first.characters.filter { $0 != 0x200D && $0 != 0xFE0F && !(0xE0000...0xE007F).contains($0) }
            fallback = Glyph(characters: first.characters + [0], width: first.width)
        } else {
            fallback = Glyph(characters: [0xFFFD, 0], width: 1)
        }
        var result = [fallback]
        while fallback.width < width {
            result.append(Glyph(characters: [0x20, 0], width: 1))
            fallback.width += 1
        }
        return result
    }

    // MARK: - Attributes and colours

    private func attributeBits(_ attributes: Attributes) -> attr_t {
        var bits: attr_t = 0
        if attributes.contains(.bold) { bits |= earshot_a_bold() }
        if attributes.contains(.dim) { bits |= earshot_a_dim() }
        if attributes.contains(.reverse) { bits |= earshot_a_reverse() }
        if attributes.contains(.underline) { bits |= earshot_a_underline() }
        return bits
    }

    /// The colour pair for a style's colours, made on first use (the 81 combinations of eight
    /// colours and "default" do not fit the 64 pairs of TERM=xterm, but a theme uses few).
    /// 0, the terminal's default, when colour is off or pairs ran out.
    private func colorPair(for style: Style) -> Int16 {
        guard colorsEnabled, style.foreground != nil || style.background != nil else { return 0 }
        let key = Int(style.foreground.map { $0.rawValue + 1 } ?? 0) * 9 + Int(style.background.map { $0.rawValue + 1 } ?? 0)
        if let pair = colorPairs[key] { return pair }
        let next = colorPairs.count + 1
        guard next < Int(earshot_color_pairs()), next <= Int(Int16.max) else { return 0 }
        let foreground = style.foreground.map { Int16($0.rawValue) } ?? (defaultColors ? -1 : Int16(COLOR_WHITE))
        let background = style.background.map { Int16($0.rawValue) } ?? (defaultColors ? -1 : Int16(COLOR_BLACK))
        let pair = init_pair(Int16(next), foreground, background) == OK ? Int16(next) : 0
        colorPairs[key] = pair
        return pair
    }
}
