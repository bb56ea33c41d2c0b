#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillConfig
import WatchbillScreen
import WatchbillTerminal
import WatchbillRuntime

extension WallCycle {
    /// The config's `wall: cycle:` (default and triage), every `--cycle` or `wall: every:`.
    init(_ config: WatchbillConfiguration, layouts: [LayoutSpec], every: Double?) {
        let names = config.wallCycle.isEmpty ? ["default", "triage"] : config.wallCycle
        self.init(layouts: names.compactMap { n in layouts.first { $0.name == n } }
                    .map { Layout(name: $0.name, panes: $0.panes, compact: $0.compact) },
                  every: every ?? config.wallEvery)
    }
}

/// The UI thread: waits for keys, samples and signals; applies actions; draws.
struct DashboardLoop {
    let collection: CollectionLoop
    let probes: (any ProbeSummaries)?
    let interval: Double
    let glyphs: GlyphSet
    let useColor: Bool
    let colorOverride: ColorDepth?
    let themeName: String
    let startInProcesses: Bool
    /// `--layout`; without it the layout the user last had is restored.
    let layout: LayoutSpec?
    let sharedLatencyAxis: Bool
    let wall: WallCycle?
    let mouse: Bool
    let bell: Bool
    /// `incidents: {auto_open: true}`: a P0 or P1 that starts paging opens an incident.
    let autoOpenIncidents: Bool
    /// This process holds the account's dashboard lock (`InstanceLock`).
    let primary: Bool
    /// `watchbill replay FILE`: the ticks come from a recording, under these keys.
    var replay: ReplaySource? = nil
    /// Said in the footer at the start (a damaged recording: where the replay stops).
    var startNotice: String? = nil
    /// `--record FILE`, for the header's REC (and for `R` to stop).
    var recordingTo: String? = nil
    /// `--node`: the fleet table is the home screen, and Enter opens a host's panes.
    var fleet: (any FleetSource)? = nil
    /// `--prometheus`, `--alertmanager`: their alerts beside this dashboard's own.
    var remoteAlerts: RemoteAlertsLoop? = nil
    /// `fleet: latency:` with `--prometheus`: service latency under the fleet table.
    var serviceLatency: ServiceLatencyLoop? = nil
    let log: Logger

    /// Runs until quit; returns why it stopped. The terminal is restored before returning.
    /// Each pass gathers what changed into events, reduces them, draws, and waits.
    func run() -> String {
        guard let terminal = Terminal(palette: .monochrome, useColor: useColor) else {
            return "could not initialise the terminal"
        }
        defer { terminal.close() }
        var initial = AppState(interval: interval, glyphs: glyphs)
        let depth = ColorDepth.detect(terminfoColors: terminal.colorCount,
                                      colorterm: getenv("COLORTERM").map { String(cString: $0) },
                                      noColor: !useColor, override: colorOverride)
        var themes = ThemeLoader.available()
        var themeIndex = themes.firstIndex(of: themeName) ?? 0
        /// Applies a theme; says which, or why the default is used instead.
        func apply(_ name: String, announce: Bool) -> String? {
            let (theme, messages) = ThemeLoader.load(name)
            terminal.setPalette(Palette.make(theme: theme, depth: depth))
            for m in messages { log.warning("\(m)") }
            return messages.first ?? (announce ? "theme \(theme.name) (\(depth.rawValue) colors)" : nil)
        }
        initial.notice = apply(themeName, announce: false)
        let actions = DashboardActions(collection: collection, log: log)
        actions.loadKeys(into: &initial)
        if let startNotice { initial.notice = startNotice }
        initial.recordingTo = recordingTo
        // Frames drawn, for the log at exit (the replay benchmark reads frames per second).
        var frames = 0
        let started = Clock.monotonic()
        defer {
            let seconds = Clock.monotonic() - started
            log.info("drew \(frames) frames in \(Format.fixed(seconds, 1)) s (\(Format.fixed(Double(frames) / max(seconds, 1e-9), 1)) a second)")
        }
        initial.userID = getuid()
        if let layout {
            initial.applyLayout(name: layout.name, panes: layout.panes, compact: layout.compact)
        } else if let first = wall?.current {
            initial.applyLayout(name: first.name, panes: first.panes, compact: first.compact)
        } else if wall == nil, let remembered = LayoutMemory.load() {
            initial.applyLayout(name: "remembered", panes: remembered.panes, compact: remembered.compact)
            log.info("layout restored from \(LayoutMemory.path)")
        }
        initial.hasProbes = probes != nil
        terminal.enableMouse(mouse)
        initial.probeView.sharedAxis = sharedLatencyAxis
        if startInProcesses { _ = initial.reduce(.showProcesses) }
        initial.userName = DashboardActions.userName()
        if let fleet { initial.fleet = FleetData(interval: fleet.interval, source: fleet.source, opensHosts: fleet.opensHosts) }
        if serviceLatency != nil { initial.fleet?.latency = [] }
        var drafts = DraftKeeper(log: log)
        // Not on a wall display: nobody there could finish or drop the prompt.
        if wall == nil { drafts.restore(into: &initial) }
        var runtime = DashboardRuntime(
            state: initial,
            settings: .init(replay: replay != nil, bell: bell, autoOpenIncidents: autoOpenIncidents && primary && replay == nil,
                            remembersLayout: wall == nil, countsRemoteAlerts: remoteAlerts != nil),
            wallCycle: wall)
        // Whatever ends the loop (q, Ctrl-C, an SSH drop's SIGHUP), what was typed is kept.
        defer { drafts.keep(runtime.state, force: true) }
        let incidentDesk = IncidentDesk(log: log, recorder: collection.recorder, writable: replay == nil)
        let sources = Gatherer(collection: collection, probes: probes, fleet: fleet, remoteAlerts: remoteAlerts,
                               serviceLatency: serviceLatency, replay: replay, log: log)
        var size = (width: -1, height: -1)

        // What the state asks the gatherer for, taken after every step: a small value, where
        // reading the runtime from inside a closure would copy all of it each question.
        var wants = runtime.wants
        /// Reduces an event, carries out its effects and reduces what they came to; the
        /// reason to stop when one was to quit.
        func step(_ event: DashboardEvent) -> String? {
            defer { wants = runtime.wants }
            var queue = [event]
            while !queue.isEmpty {
                let effects = runtime.reduce(queue.removeFirst())
                for effect in effects {
                    // The terminal's own effects here; the rest are the runtime's to carry out.
                    switch effect {
                    case .quit(let why): return why
                    case .app(.quit): return "quit key"
                    case .ringBell: terminal.beep()
                    case .app(.nextTheme):
                        themes = ThemeLoader.available()
                        themeIndex = (themeIndex + 1) % themes.count
                        if let said = apply(themes[themeIndex], announce: true) { queue.append(.notice(said)) }
                    default:
                        queue += actions.perform(effect, state: runtime.state, incidents: incidentDesk, sources: sources)
                    }
                }
            }
            return nil
        }

        while true {
            let (w, h) = terminal.size
            if (w, h) != size {
                size = (w, h)
                if let why = step(.resized(width: w, height: h)) { return why }
            }
            // The clocks are read here, once a pass; everything after takes this reading.
            let wall = Clock.wall()
            let now = TimeReading(wall: wall, monotonic: Clock.monotonic(), utcOffset: Clock.utcOffset(wall))
            if let why = step(.clock(now)) { return why }
            if let why = sources.gather(wants: { wants }, incidentMarks: runtime.state.incidents.timelineMarks, at: now,
                                        incidents: incidentDesk, emit: step) { return why }
            drafts.keep(runtime.state)
            terminal.draw(Screen.render(runtime.state, width: w, height: h))
            frames += 1

            // Sleep until the header clock's next second, a key, a sample or a signal.
            let untilNextSecond = Int32(((1 - (now.wall - now.wall.rounded(.down))) * 1000).rounded(.up)) + 5
            let input = terminal.waitForEvent(timeoutMs: max(10, untilNextSecond))
            if input.quitSignal != 0 { return "signal \(input.quitSignal)" }
            if input.resized {
                let (nw, nh) = terminal.size
                log.info("resized to \(nw)x\(nh)")
                size = (-1, -1)
            }
            if !input.keys.isEmpty, let why = step(.keys(input.keys)) { return why }
        }
    }
}
