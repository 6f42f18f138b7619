import CNcurses

/// Facts about the linked ncursesw library. The panes, cell buffer and terminal
/// layers arrive with the TUI issue; this proves the system-library target links.
public enum NcursesLibrary {
    /// e.g. "ncurses 6.4.20221231".
    public static var version: String { String(cString: curses_version()) }
}
