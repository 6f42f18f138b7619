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
#include <ncursesw/ncurses.h>

// Swift 6 refuses to read mutable C globals (they are not concurrency-safe),
// so the few that Earshot needs are reached through these accessors.
static inline WINDOW *earshot_stdscr(void) { return stdscr; }
static inline int earshot_cols(void) { return COLS; }
static inline int earshot_lines(void) { return LINES; }

#endif
