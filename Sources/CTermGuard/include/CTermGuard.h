#ifndef CTERMGUARD_H
#define CTERMGUARD_H

/* Signal handling for the terminal backend. It lives in C because a handler may only
   touch a sig_atomic_t and write(2); everything else happens in the UI loop.

   Install before initscr(). Quit signals (TERM, INT, HUP, QUIT) and SIGWINCH set a flag and
   write a byte to a pipe, so a UI loop blocked in poll(2) wakes at once. Fatal signals
   restore the terminal with async-signal-safe calls, then a real fault chains to the
   previous handler (Swift's backtracer); a signal sent by kill or abort dies by default. */
void CTermGuard_install(void);

/* Call once after initscr(): keeps the terminal's reset sequence for the crash handler. */
void CTermGuard_captureTerminal(void);

/* Give the calling thread an alternate signal stack, so a stack overflow there still
   restores the terminal. install() does it for the calling thread. */
void CTermGuard_prepareThread(void);

/* One malloc arena for the whole process: glibc gives each thread that allocates its own
   arena, and the collection thread's then holds freed memory the UI thread cannot reuse. */
void CTermGuard_singleMallocArena(void);

/* The read end of the wake pipe, for poll(2). */
int CTermGuard_wakeFD(void);

/* Write a wake byte: how the collection thread says "a new sample is in". */
void CTermGuard_wake(void);

/* Empty the wake pipe. */
void CTermGuard_drainWake(void);

/* The quit signal received since the last call (SIGTERM, SIGINT, SIGHUP), or 0. */
int CTermGuard_takeQuitSignal(void);

/* 1 once a fatal signal arrived on any thread: the UI must stop drawing, or it would put
   curses back on screen over the crash report. */
int CTermGuard_isDying(void);

/* 1 when SIGWINCH arrived since the last call. */
int CTermGuard_takeResize(void);

/* Block the handled signals in the calling thread, so only the UI thread sees them. */
void CTermGuard_blockSignalsInThisThread(void);

/* Current size of the controlling terminal; 0 on success. */
int CTermGuard_terminalSize(int fd, int *rows, int *cols);

#endif
