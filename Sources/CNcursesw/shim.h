#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H

/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, which is what turns on the wide API
   (cchar_t, setcchar, mvwadd_wch); ask for it directly. */
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

/* A_* use a cast macro Swift cannot import. */
static const attr_t CNcursesw_A_NORMAL = A_NORMAL;
static const attr_t CNcursesw_A_BOLD = A_BOLD;
static const attr_t CNcursesw_A_DIM = A_DIM;
static const attr_t CNcursesw_A_REVERSE = A_REVERSE;
static const attr_t CNcursesw_A_UNDERLINE = A_UNDERLINE;

/* Swift 6 rejects reads of imported mutable C globals. */
static inline int CNcursesw_colors(void) { return COLORS; }
static inline int CNcursesw_color_pairs(void) { return COLOR_PAIRS; }
static inline const char *CNcursesw_codeset(void) { return nl_langinfo(CODESET); }

#endif
