#ifndef EARSHOT_CNCURSES_SHIM_H
#define EARSHOT_CNCURSES_SHIM_H

// Wide-character ncurses: these must be defined before <ncurses.h> so that
// cchar_t, setcchar, wadd_wch and get_wch are declared.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

// Swift 6 refuses to read mutable C globals (they are not concurrency-safe),
// so the few that Earshot needs are reached through these accessors.
static inline WINDOW *earshot_stdscr(void) { return stdscr; }
static inline int earshot_cols(void) { return COLS; }
static inline int earshot_lines(void) { return LINES; }
static inline int earshot_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *earshot_stdin(void) { return stdin; }
static inline FILE *earshot_stdout(void) { return stdout; }

// The attribute masks are built by function-like macros (NCURSES_BITS), which Swift does
// not import.
static inline attr_t earshot_a_bold(void) { return A_BOLD; }
static inline attr_t earshot_a_dim(void) { return A_DIM; }
static inline attr_t earshot_a_reverse(void) { return A_REVERSE; }
static inline attr_t earshot_a_underline(void) { return A_UNDERLINE; }
static inline int earshot_key_f(int n) { return KEY_F(n); }

// glibc declares wcwidth only under _XOPEN_SOURCE, which the Swift importer does not set;
// ncurses itself measures characters with it, so the terminal layer asks the same function.
extern int wcwidth(wchar_t c);
static inline int earshot_wcwidth(wchar_t c) { return wcwidth(c); }

// tigetstr answers (char *)-1 for "not a string capability"; comparing pointers with -1 is
// awkward in Swift, so this returns NULL for both absent and invalid.
static inline const char *earshot_tigetstr(const char *name) {
    char *value = tigetstr(name);
    return value == (char *)-1 ? NULL : value;
}

#endif
