#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillConfig
import WatchbillCore
import WatchbillDomain
import WatchbillRecording
import WatchbillRules
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

    /// `$XDG_CONFIG_HOME/watchbill/keys.yaml` over the default bindings; a broken file
    /// keeps the defaults and says why in the footer and the log.
    func loadKeys(into state: inout AppState) {
        let path = ThemeLoader.configDirectory() + "/keys.yaml"
        guard let bytes = ProcRoot("/").read(path) else { return }
        do {
            let maps = try KeyMapFile.load(String(decoding: bytes, as: UTF8.self), file: path)
            state.keymap = maps.standard
            state.processKeymap = maps.processes
            state.probeKeymap = maps.probes
            state.alertKeymap = maps.alerts
            state.incidentKeymap = maps.incidents
            state.fleetKeymap = maps.fleet
            log.info("keys from \(path)")
        } catch {
            state.notice = "\(error); default keys"
            log.warning("\(error); default keys")
        }
    }

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
        loadKeys(into: &initial)
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
        initial.userName = Self.userName()
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
                    switch effect {
                    case .quit(let why): return why
                    case .ringBell: terminal.beep()
                    case .log(let line): log.notice("\(line)")
                    case .processesWanted(let wanted): collection.setProcessesWanted(wanted)
                    case .rememberLayout(let panes, let compact):
                        if let error = LayoutMemory.save(panes: panes, compact: compact) { log.warning("\(LayoutMemory.path): \(error)") }
                    case .replay(let command): sources.steer(command)
                    case .openIncident(let alert):
                        queue += incidentDesk.autoOpen(for: alert, known: runtime.state.incidents.all)
                    case .app(let effect):
                        switch effect {
                        case .quit: return "quit key"
                        case .setInterval(let s):
                            collection.setInterval(s)
                            log.info("interval set to \(s)s")
                        case .nextTheme:
                            themes = ThemeLoader.available()
                            themeIndex = (themeIndex + 1) % themes.count
                            if let said = apply(themes[themeIndex], announce: true) { queue.append(.notice(said)) }
                        case .sendSignal(let pid, let start, let signal, let name):
                            let outcome = SignalSender.send(signal, named: name, to: pid, startedAt: start)
                            log.notice("\(outcome)")
                            queue.append(.signalOutcome(outcome))
                        case .recordAlertAction(let action):
                            queue.append(record(action, user: runtime.state.userName))
                            sources.alertsChanged()
                        case .incident(let request):
                            queue += incidentDesk.perform(request, author: runtime.state.userName)
                        case .toggleRecording:
                            queue += toggleRecording(runtime.state.recordingTo)
                        case .openRunbook(let name, let alert):
                            switch RunbookLibrary.page(name: name, alert: alert) {
                            case .success(let page): queue.append(.runbookLoaded(page))
                            case .failure(let problem): queue.append(.notice(problem.message))
                            }
                        }
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
            let now = TimeReading(wall: Clock.wall(), monotonic: Clock.monotonic(), utcOffset: Clock.utcOffset(Clock.wall()))
            if let why = step(.clock(now)) { return why }
            if let why = sources.gather(wants: { wants }, incidentMarks: runtime.state.incidents.timelineMarks, at: now, incidents: incidentDesk, emit: step) { return why }
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

    /// `R`: stops the recording running (`--record`, or an earlier `R`), or starts one in
    /// `$XDG_DATA_HOME/watchbill/recordings/`, named by the local time.
    func toggleRecording(_ current: String?) -> [DashboardEvent] {
        guard let recorder = collection.recorder else { return [.notice("recording is not available here")] }
        if let path = current {
            recorder.remove(path)
            log.notice("recording stopped: \(path)")
            return [.recording(nil), .notice("recording stopped: \(path)")]
        }
        let dir = FileLog.dataDirectory() + "/recordings"
        FileLog.makeDirectories(dir)
        let path = dir + "/" + Clock.local(Clock.wall(), format: "%Y-%m-%d-%H%M%S") + ".wbr"
        do {
            try recorder.add(try RecordingWriter(path: path, now: Clock.monotonic()), name: path)
            log.notice("recording to \(path)")
            return [.recording(path), .notice("recording to \(path); R stops")]
        } catch {
            log.warning("cannot record: \(error)")
            return [.notice("cannot record: \(error)")]
        }
    }

    /// Journals a silence, expiry or acknowledgement, then applies it; the screen says
    /// saved only once it is on disk.
    func record(_ action: AlertAction, user: String) -> DashboardEvent {
        var action = action
        if case .silence(var s) = action, s.id.isEmpty {
            s.id = AlertActionStore.newID()
            action = .silence(s)
        }
        if let error = AlertActionStore.append(action) {
            log.error("alert action not saved: \(error)")
            return .notSaved(error)
        }
        collection.apply(action)
        switch action {
        case .silence(let s):
            collection.notifier?.mirror(s) { [collection, log] alertmanagerID in
                let mirror = AlertAction.mirror(id: s.id, alertmanagerID: alertmanagerID)
                if let error = AlertActionStore.append(mirror) { log.warning("alert action not saved: \(error)") }
                collection.apply(mirror)
                // Expired here while Alertmanager was still answering: expire it there now.
                let now = Clock.wall()
                if collection.read({ $0.actions.silences.first { $0.id == s.id }?.state(at: now) == .expired }) {
                    collection.notifier?.expireMirror(alertmanagerID, localID: s.id)
                }
            }
            log.notice("silence \(s.id) by \(s.createdBy) until \(Clock.localTimestamp(s.endsAt)): \(s.matchersText)")
            return .saved("silence \(s.id) saved, until \(Clock.localClock(s.endsAt))")
        case .expire(let id, _):
            // Not yet in Alertmanager: the mirror's answer sees the expiry and follows it.
            if let am = collection.read({ $0.actions.alertmanagerIDs[id] }) {
                collection.notifier?.expireMirror(am, localID: id)
            }
            log.notice("silence \(id) expired")
            return .saved("silence \(id) expired")
        case .acknowledge(let a):
            log.notice("acknowledged \(a.labels) by \(a.by)")
            return .saved("acknowledged \(a.labels["alertname"] ?? "")")
        case .mirror:
            return .saved("saved")
        }
    }

    /// Who is at the keyboard, for acknowledgements and silences.
    static func userName() -> String {
        if let u = getenv("USER"), u.pointee != 0 { return String(cString: u) }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
