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

/* Mouse masks are macros built from other macros. Clicks and the wheel only; no motion
   reports, so a mouse moving over the wall costs nothing. */
static inline void CNcursesw_enableMouse(int on) {
    mousemask(on ? (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    mouseinterval(0);
}
/* 1 click, 2 wheel up, 3 wheel down, 0 anything else (or no event). */
static inline int CNcursesw_readMouse(int *x, int *y) {
    MEVENT e;
    if (getmouse(&e) != OK) return 0;
    *x = e.x;
    *y = e.y;
    if (e.bstate & BUTTON4_PRESSED) return 2;
    if (e.bstate & BUTTON5_PRESSED) return 3;
    if (e.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    return 0;
}

#endif
