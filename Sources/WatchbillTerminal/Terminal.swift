#if canImport(Glibc)
import Glibc
#endif
import CNcursesw
import CTermGuard
import WatchbillScreen

/// Why `waitForEvent` returned.
public struct TerminalEvents {
    public var keys: [Key] = []
    public var quitSignal: Int32 = 0
    public var resized = false
    /// The wake pipe fired (a new sample, or a signal).
    public var woken = false
}

/// The ncursesw screen: the only code that calls curses.
///
/// `draw` compares the new grid with the last one and hands curses only the cells that
/// changed; curses then sends the minimal update. Everything runs on the thread that
/// created it: curses is not thread-safe.
public final class Terminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: Grid?
    private var palette: Palette
    private var pairs: [Style: (attrs: attr_t, pair: Int16)] = [:]
    private var nextPair: Int16 = 1
    /// Colors the terminfo entry offers: 0 without color, 8, 256, or 2^24 for `*-direct`.
    public let colorCount: Int
    public private(set) var isOpen = true

    /// Whether the locale's character set is UTF-8 (else ASCII glyphs should be used).
    public static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let cs = CNcursesw_codeset() else { return false }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// Takes over the terminal. Signal handlers go in first so curses keeps SIGWINCH to us
    /// and SIGTSTP (Ctrl-Z) to itself.
    public init?(palette: Palette, useColor: Bool) {
        setlocale(LC_ALL, "")
        CTermGuard_install()
        guard let w = initscr() else { return nil }
        window = w
        CTermGuard_captureTerminal()
        cbreak()
        noecho()
        nonl()
        keypad(w, true)
        nodelay(w, true)
        set_escdelay(25)
        curs_set(0)
        leaveok(w, true)
        var colors = 0
        if useColor && has_colors() {
            start_color()
            use_default_colors()
            colors = Int(CNcursesw_colors())
        }
        colorCount = colors
        self.palette = colors > 0 ? palette : .monochrome
    }

    deinit { close() }

    public var size: (width: Int, height: Int) {
        (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Gives the terminal back exactly as it was. Safe to call twice.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        if isendwin() == false { endwin() }
    }

    /// Blocks until a key, a wake byte or a signal arrives, or `timeoutMs` passes.
    public func waitForEvent(timeoutMs: Int32) -> TerminalEvents {
        var events = TerminalEvents()
        // Another thread crashed: leave the screen to the crash report until the process dies.
        while CTermGuard_isDying() != 0 { pause() }
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: CTermGuard_wakeFD(), events: Int16(POLLIN), revents: 0)]
        let n = poll(&fds, nfds_t(fds.count), timeoutMs)
        if n > 0 && fds[1].revents != 0 {
            CTermGuard_drainWake()
            events.woken = true
        }
        if n > 0 && fds[0].revents & Int16(POLLHUP | POLLERR) != 0 {
            // The terminal went away (an SSH drop without SIGHUP): leave as on SIGHUP.
            events.quitSignal = SIGHUP
        }
        let signal = CTermGuard_takeQuitSignal()
        if signal != 0 { events.quitSignal = signal }
        readKeys(into: &events)
        // Only SIGWINCH (our handler) means a new size. curses' KEY_RESIZE is not read as one:
        // resizeterm queues a KEY_RESIZE on every call, even at the same size, so taking it
        // for a resize repainted the whole screen on every pass after the first resize.
        if CTermGuard_takeResize() != 0 {
            applyResize()
            events.resized = true
        }
        return events
    }

    private func readKeys(into events: inout TerminalEvents) {
        var ch: wint_t = 0
        while true {
            let r = wget_wch(window, &ch)
            if r == ERR { break }
            if r == KEY_CODE_YES {
                switch Int32(ch) {
                case KEY_RESIZE: break  // queued by our own resizeterm; see waitForEvent
                case KEY_UP: events.keys.append(.up)
                case KEY_DOWN: events.keys.append(.down)
                case KEY_LEFT: events.keys.append(.left)
                case KEY_RIGHT: events.keys.append(.right)
                case KEY_ENTER: events.keys.append(.enter)
                case KEY_BTAB: events.keys.append(.backTab)
                case KEY_NPAGE: events.keys.append(.pageDown)
                case KEY_PPAGE: events.keys.append(.pageUp)
                case KEY_HOME: events.keys.append(.home)
                case KEY_END: events.keys.append(.end)
                case KEY_BACKSPACE: events.keys.append(.backspace)
                case KEY_DC: events.keys.append(.delete)
                case KEY_MOUSE:
                    var x: Int32 = 0, y: Int32 = 0
                    switch CNcursesw_readMouse(&x, &y) {
                    case 1: events.keys.append(.mouse(MouseEvent(.click, x: Int(x), y: Int(y))))
                    case 2: events.keys.append(.mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y))))
                    case 3: events.keys.append(.mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y))))
                    default: break
                    }
                default: break
                }
                continue
            }
            switch ch {
            case 10, 13: events.keys.append(.enter)
            case 9: events.keys.append(.tab)
            case 27: events.keys.append(.escape)
            case 8, 127: events.keys.append(.backspace)
            case 3: events.quitSignal = SIGINT
            default:
                if let s = Unicode.Scalar(UInt32(ch)) { events.keys.append(.character(Character(s))) }
            }
        }
    }

    /// Click and wheel reports (`--mouse`). Off by default: a terminal that reports the
    /// mouse stops selecting text with it, which users of a monitoring screen rely on.
    /// The terminal's bell (or a flash, as the terminal is set up), for a new P0 or P1.
    public func beep() { _ = CNcursesw.beep() }

    public func enableMouse(_ on: Bool) { CNcursesw_enableMouse(on ? 1 : 0) }

    private func applyResize() {
        var rows: Int32 = 0, cols: Int32 = 0
        if CTermGuard_terminalSize(1, &rows, &cols) == 0 || CTermGuard_terminalSize(0, &rows, &cols) == 0,
           rows > 0, cols > 0 {
            resizeterm(rows, cols)
        }
        previous = nil
        clearok(window, true)
    }

    /// Switches colors (another theme); everything is repainted with the new pairs.
    public func setPalette(_ p: Palette) {
        palette = colorCount > 0 ? p : .monochrome
        pairs = [:]
        pairColors = [:]
        nextPair = 1
        invalidate()
    }

    /// Forget what is on screen, so the next draw repaints everything (after Ctrl-Z, say).
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    /// Sends what changed since the last draw. Returns the number of cells handed to curses.
    @discardableResult
    public func draw(_ grid: Grid) -> Int {
        guard CTermGuard_isDying() == 0 else { return 0 }
        let (w, h) = size
        guard grid.width == w, grid.height == h else {
            previous = nil
            return 0
        }
        var wide: [wchar_t] = [0, 0]
        var cc = cchar_t()
        let changed = grid.changedCells(since: previous)
        for i in changed {
            let cell = grid.cells[i]
            let (attrs, pair) = look(cell.style)
            wide[0] = wchar_t(bitPattern: cell.scalar.value)
            setcchar(&cc, &wide, attrs, pair, nil)
            mvwadd_wch(window, Int32(i / w), Int32(i % w), &cc)
        }
        previous = grid
        wnoutrefresh(window)
        // A crash on another thread may have restored the terminal while we drew.
        guard CTermGuard_isDying() == 0 else { return 0 }
        doupdate()
        return changed.count
    }

    /// Curses attributes and color pair for a style, made once and cached.
    private func look(_ style: Style) -> (attr_t, Int16) {
        if let p = pairs[style] { return p }
        let l = palette.look(style.role)
        var attrs = CNcursesw_A_NORMAL
        if l.bold || style.bold { attrs |= CNcursesw_A_BOLD }
        if l.dim { attrs |= CNcursesw_A_DIM }
        if l.reverse || style.reverse { attrs |= CNcursesw_A_REVERSE }
        if l.underline { attrs |= CNcursesw_A_UNDERLINE }
        var pair: Int16 = 0
        if colorCount > 0 && (l.foreground != .terminalDefault || l.background != .terminalDefault) {
            var (fg, fgBold, fgDim) = resolve(l.foreground)
            let (bg, _, _) = resolve(l.background)
            if fgBold { attrs |= CNcursesw_A_BOLD }
            if fgDim { attrs |= CNcursesw_A_DIM; fg = -1 }
            if let existing = pairColors.first(where: { $0.value == (fg, bg) }) {
                pair = existing.key
            } else if Int(nextPair) < Int(CNcursesw_color_pairs()) && nextPair < 256 {
                pair = nextPair
                init_extended_pair(Int32(pair), fg, bg)
                pairColors[pair] = (fg, bg)
                nextPair += 1
            }
        }
        pairs[style] = (attrs, pair)
        return (attrs, pair)
    }

    private var pairColors: [Int16: (Int32, Int32)] = [:]

    /// A palette index on this terminal: bright colors become bold on 8-color terminals,
    /// and bright black (used for muted text) becomes dim default so it never vanishes.
    /// With a `*-direct` terminfo, color numbers of 8 and up are RGB values.
    private func resolve(_ c: TerminalColor) -> (Int32, bold: Bool, dim: Bool) {
        switch c {
        case .terminalDefault: return (-1, false, false)
        case .rgb(let rgb):
            if colorCount >= 1 << 24 { return (Int32(rgb.r) << 16 | Int32(rgb.g) << 8 | Int32(rgb.b), false, false) }
            return resolve(.index(colorCount >= 256 ? ColorDepth.nearestXterm256(rgb) : ColorDepth.nearestANSI16(rgb)))
        case .index(let i):
            if colorCount >= 1 << 24 {
                // Palette indexes mean RGB values here: send the xterm color they stand for.
                return i < 8 ? (Int32(i), false, false) : resolve(.rgb(ColorDepth.xtermRGB(i)))
            }
            if i < colorCount { return (Int32(i), false, false) }
            if i == 8 { return (-1, false, true) }
            if i > 8 && i < 16 { return (Int32(i - 8), true, false) }
            if i >= 16 { return resolve(.index(ColorDepth.nearestANSI16(ColorDepth.xtermRGB(i)))) }
            return (-1, false, false)
        }
    }
}
