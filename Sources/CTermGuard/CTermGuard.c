#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "CTermGuard.h"

static volatile sig_atomic_t pending_quit = 0;
static volatile sig_atomic_t pending_resize = 0;
static volatile sig_atomic_t dying = 0;
static int wake_pipe[2] = {-1, -1};
static struct sigaction previous[NSIG];

/* What the crash handler needs, prepared ahead of time: a handler may only call
   async-signal-safe functions, and endwin() is not one. */
static struct termios saved_tty;
static int have_saved_tty = 0;
static char restore_sequence[256];
static size_t restore_length = 0;

static void wake_write(void) {
    int saved = errno;
    if (wake_pipe[1] >= 0) { char b = 1; (void)!write(wake_pipe[1], &b, 1); }
    errno = saved;
}

static void on_quit(int sig) { pending_quit = sig; wake_write(); }
static void on_resize(int sig) { (void)sig; pending_resize = 1; wake_write(); }

/* Leave curses by hand: the saved reset sequence and tty modes, with write(2) and
   tcsetattr(3) only. The UI thread sees `dying` and stops drawing. */
static void restore_terminal_from_handler(void) {
    if (restore_length > 0) (void)!write(STDOUT_FILENO, restore_sequence, restore_length);
    if (have_saved_tty) tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* Swift traps arrive as SIGILL (x86_64) or SIGTRAP (arm64), faults as SIGSEGV/SIGBUS. */
static void on_fatal(int sig, siginfo_t *info, void *ctx) {
    (void)ctx;
    int first = !dying;
    dying = 1;
    if (first) restore_terminal_from_handler();
    wake_write();
    if (info == NULL || info->si_code <= 0) {
        /* Sent by kill(2), raise(3) or abort(3): nothing re-faults, so die by the default
           action once this handler returns. */
        signal(sig, SIG_DFL);
        raise(sig);
    } else {
        /* A real fault: returning re-runs the faulting instruction, which now reaches the
           previous handler (the Swift runtime's backtracer), then the default action. */
        sigaction(sig, &previous[sig], NULL);
    }
}

static void restore_at_exit(void) { if (!isendwin()) endwin(); }

void CTermGuard_prepareThread(void) {
    /* A stack overflow leaves no stack for the handler: give it one of its own. */
    stack_t ss;
    ss.ss_size = 64 * 1024;
    ss.ss_sp = malloc(ss.ss_size);
    ss.ss_flags = 0;
    if (ss.ss_sp != NULL) sigaltstack(&ss, NULL);
}

void CTermGuard_install(void) {
    if (wake_pipe[0] < 0 && pipe(wake_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    if (tcgetattr(STDIN_FILENO, &saved_tty) == 0) have_saved_tty = 1;
    CTermGuard_prepareThread();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_quit;
    int quit[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
    for (unsigned i = 0; i < sizeof quit / sizeof *quit; i++) sigaction(quit[i], &sa, NULL);
    sa.sa_handler = on_resize;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = NULL;
    sa.sa_sigaction = on_fatal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    int fatal[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
    for (unsigned i = 0; i < sizeof fatal / sizeof *fatal; i++) sigaction(fatal[i], &sa, &previous[fatal[i]]);
    atexit(restore_at_exit);
}

/* Appends a terminfo string without its padding specs ($<5>), which only tputs reads. */
static void append_capability(const char *name) {
    char *s = tigetstr(name);
    if (s == NULL || s == (char *)-1) return;
    for (const char *p = s; *p != '\0' && restore_length < sizeof restore_sequence - 1; p++) {
        if (p[0] == '$' && p[1] == '<') {
            const char *end = strchr(p, '>');
            if (end != NULL) { p = end; continue; }
        }
        restore_sequence[restore_length++] = *p;
    }
}

void CTermGuard_captureTerminal(void) {
    restore_length = 0;
    append_capability("sgr0");   /* attributes off */
    append_capability("cnorm");  /* cursor visible */
    append_capability("rmkx");   /* keypad back to normal */
    append_capability("rmcup");  /* leave the alternate screen */
}

void CTermGuard_singleMallocArena(void) { mallopt(M_ARENA_MAX, 1); }

int CTermGuard_wakeFD(void) { return wake_pipe[0]; }
void CTermGuard_wake(void) { wake_write(); }

void CTermGuard_drainWake(void) {
    char buf[64];
    while (wake_pipe[0] >= 0 && read(wake_pipe[0], buf, sizeof buf) > 0) {}
}

int CTermGuard_takeQuitSignal(void) { int s = pending_quit; pending_quit = 0; return s; }
int CTermGuard_isDying(void) { return dying; }
int CTermGuard_takeResize(void) { int r = pending_resize; pending_resize = 0; return r; }

void CTermGuard_blockSignalsInThisThread(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM); sigaddset(&set, SIGINT); sigaddset(&set, SIGHUP); sigaddset(&set, SIGQUIT);
    sigaddset(&set, SIGWINCH); sigaddset(&set, SIGTSTP); sigaddset(&set, SIGCONT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int CTermGuard_terminalSize(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}
