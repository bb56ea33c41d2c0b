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

/// A wall display's layout cycle: these layouts, one every `every` seconds (no cycling
/// when `every` is nil or there is one layout).
struct WallSettings {
    var cycle: [LayoutSpec]
    var every: Double?

    init(_ config: WatchbillConfiguration, layouts: [LayoutSpec], every: Double?) {
        let names = config.wallCycle.isEmpty ? ["default", "triage"] : config.wallCycle
        cycle = names.compactMap { n in layouts.first { $0.name == n } }
        self.every = every ?? config.wallEvery
    }
}

/// What the history's panes on screen were built for.
struct HistoryKey: Equatable {
    var index: Int
    var sample: Double
    var width: Int
}

/// What the probe summaries on screen were computed for.
struct ProbeSummaryKey: Equatable {
    var second: Int
    var window: LatencyWindow
    var detail: Int?
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
    let wall: WallSettings?
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
    func run() -> String {
        guard let terminal = Terminal(palette: .monochrome, useColor: useColor) else {
            return "could not initialise the terminal"
        }
        defer { terminal.close() }
        var state = AppState(interval: interval, glyphs: glyphs)
        let depth = ColorDepth.detect(terminfoColors: terminal.colorCount,
                                      colorterm: getenv("COLORTERM").map { String(cString: $0) },
                                      noColor: !useColor, override: colorOverride)
        var themes = ThemeLoader.available()
        var themeIndex = themes.firstIndex(of: themeName) ?? 0
        /// Applies a theme; the footer says which, or why the default is used instead.
        func apply(_ name: String, announce: Bool) {
            let (theme, messages) = ThemeLoader.load(name)
            terminal.setPalette(Palette.make(theme: theme, depth: depth))
            for m in messages { log.warning("\(m)") }
            state.notice = messages.first ?? (announce ? "theme \(theme.name) (\(depth.rawValue) colors)" : nil)
        }
        apply(themeName, announce: false)
        loadKeys(into: &state)
        if let startNotice { state.notice = startNotice }
        state.recordingTo = recordingTo
        // Frames drawn, for the log at exit (the replay benchmark reads frames per second).
        var frames = 0
        let started = Clock.monotonic()
        defer {
            let seconds = Clock.monotonic() - started
            log.info("drew \(frames) frames in \(Format.fixed(seconds, 1)) s (\(Format.fixed(Double(frames) / max(seconds, 1e-9), 1)) a second)")
        }
        state.userID = getuid()
        if let layout {
            state.applyLayout(name: layout.name, panes: layout.panes, compact: layout.compact)
        } else if let first = wall?.cycle.first {
            state.applyLayout(name: first.name, panes: first.panes, compact: first.compact)
        } else if wall == nil, let remembered = LayoutMemory.load() {
            state.applyLayout(name: "remembered", panes: remembered.panes, compact: remembered.compact)
            log.info("layout restored from \(LayoutMemory.path)")
        }
        var savedLayout = (state.layoutPanes, state.compact)
        if wall != nil {
            state.wall = true
            state.readOnly = true
        }
        var cycleIndex = 0
        var nextCycle = Clock.monotonic() + (wall?.every ?? 0)
        state.hasProbes = probes != nil
        terminal.enableMouse(mouse)
        state.probeView.sharedAxis = sharedLatencyAxis
        if startInProcesses { _ = state.reduce(.showProcesses) }
        state.userName = Self.userName()
        var lastSampleTime = -1.0
        var lastHistory: HistoryKey?
        var fleetSeen = -1
        var latencySeen = -1
        var fleetShown: (id: String, generation: Int, width: Int)?
        var lastProbeSummary: ProbeSummaryKey?
        var alerts = AlertsRefresh()
        var journal = AlertActionStore.Watch()
        var drafts = DraftKeeper(log: log)
        // Not on a wall display: nobody there could finish or drop the prompt.
        if !state.wall { drafts.restore(into: &state) }
        // Whatever ends the loop (q, Ctrl-C, an SSH drop's SIGHUP), what was typed is kept.
        defer { drafts.keep(state, force: true) }
        let incidentDesk = IncidentDesk(log: log, recorder: collection.recorder)
        while true {
            let (w, h) = terminal.size
            state.layoutRows = Screen.layoutRows(state, width: w, height: h)
            state.screenSize = (w, h)
            collection.setProcessesWanted(state.processesVisible)
            let wall = Clock.wall()
            state.clock = Clock.localClock(wall)
            let incidentMarks = state.incidents.timelineMarks
            let newest = collection.read { s -> (Double, DashboardData?, HistoryBounds?) in
                let bounds = s.history.lastIndex.map {
                    HistoryBounds(oldest: s.history.firstIndex, newest: $0, perMinute: Int((60 / s.interval).rounded()))
                }
                guard let latest = s.latest, latest.time != lastSampleTime else { return (lastSampleTime, nil, bounds) }
                return (latest.time, DashboardData(store: s.store, snapshot: latest, points: max(2, 2 * w), processes: s.processes,
                                                   marks: Self.marks(s, incidentMarks, now: latest.wallClock),
                                                   clockOffset: latest.wallClock - latest.time), bounds)
            }
            // A fleet host's panes stand in for this host's while it is open.
            if var data = newest.1, state.fleetView.openHost == nil {
                lastSampleTime = newest.0
                // The probes' summaries are computed on their own clock (below); keep them.
                data.probes = state.data.probes
                state.data = data
            }
            if let fleet {
                if state.fleet == nil { state.fleet = FleetData(interval: fleet.interval, source: fleet.source, opensHosts: fleet.opensHosts) }
                if let rows = fleet.rows(now: wall, points: FleetView.sparkWidth, since: &fleetSeen) { state.fleet?.rows = rows }
                if let serviceLatency {
                    if state.fleet?.latency == nil { state.fleet?.latency = [] }
                    if let (rows, problem) = serviceLatency.latest(since: &latencySeen) {
                        state.fleet?.latency = rows
                        state.fleet?.latencyProblem = problem
                    }
                }
                fleet.open(state.fleetView.openHost, points: max(2, 2 * w))
                if let id = state.fleetView.openHost {
                    let shown = (id: id, generation: fleetSeen, width: w)
                    if fleetShown.map({ $0 != shown }) ?? true {
                        if let data = fleet.dashboardData(id, points: max(2, 2 * w)) {
                            state.data = data
                            fleetShown = shown
                        } else if fleetShown?.id != id {
                            // Nothing of that host yet: empty panes, never this host's.
                            state.data = DashboardData()
                        }
                    }
                } else if fleetShown != nil {
                    // Back on the table: this host's panes come back with its next sample.
                    fleetShown = nil
                    lastSampleTime = -1
                }
            }
            state.setHistoryBounds(newest.2)
            if let h = state.history {
                let key = HistoryKey(index: h.index, sample: lastSampleTime, width: w)
                if key != lastHistory || h.data == nil {
                    if case (var data, let taken, let now)? = historyData(at: h.index, width: w, incidentMarks: incidentMarks) {
                        // Probe windows are not kept per tick: the Latency and SLO panes say "now".
                        data.probes = state.data.probes
                        state.history?.data = data
                        state.history?.viewedClock = Clock.localClock(taken)
                        state.history?.viewedAgo = max(0, now - taken)
                    }
                    lastHistory = key
                }
            } else {
                lastHistory = nil
            }
            if let probes {
                // Once a second, or at once when the view asks for something else; a replay's
                // at the recording's clock.
                let view = state.probeView
                let detail = view.detail ? view.selected : nil
                let probeClock = replay != nil ? state.data.snapshot?.wallClock ?? wall : wall
                let key = ProbeSummaryKey(second: Int(probeClock), window: view.window, detail: detail)
                if key != lastProbeSummary {
                    state.data.probes = probes.summaries(at: probeClock, window: view.window, detail: detail)
                    lastProbeSummary = key
                }
            }
            // A replay's ticks carry the recording's clock: "stale" would mean nothing.
            // (A fleet host's panes are as old as its row says, not this host's collector.)
            state.sampleAge = lastSampleTime < 0 || replay != nil || state.fleetView.openHost != nil ? 0 : Clock.monotonic() - lastSampleTime
            if let replay {
                state.replayStatus = replayStatus(replay, state.data.snapshot)
                state.replayTimeline = ReplayTimeline(start: replay.wallClocks.first ?? 0, end: replay.wallClocks.last ?? 0,
                                                      position: state.shown.snapshot?.wallClock ?? replay.wallClocks.first ?? 0,
                                                      marks: replay.marks, utcOffset: Clock.utcOffset(wall))
            }
            if let cycle = self.wall, let every = cycle.every, cycle.cycle.count > 1, Clock.monotonic() >= nextCycle {
                cycleIndex = (cycleIndex + 1) % cycle.cycle.count
                let next = cycle.cycle[cycleIndex]
                state.applyLayout(name: next.name, panes: next.panes, compact: next.compact)
                state.layoutRows = Screen.layoutRows(state, width: w, height: h)
                nextCycle = Clock.monotonic() + every
            }
            if journal.changed(at: wall), let (actions, _) = AlertActionStore.read(log: log) {
                collection.replaceActions(actions, at: wall)
            }
            incidentDesk.refresh(&state, at: wall, wanted: IncidentDesk.wanted(state, autoOpen: autoOpenIncidents && primary,
                                                                                      recording: collection.recorder?.wantsIncidents == true))
            let newlyPaging = alerts.refresh(&state, from: collection, remote: remoteAlerts, at: wall)
            // The fleet's alerts column: firing remote alerts by their instance label.
            if state.fleet != nil, remoteAlerts != nil {
                var byInstance: [String: Int] = [:]
                for a in state.alerts.items where a.origin != nil && a.phase == .firing {
                    if let i = a.labels["instance"] { byInstance[i, default: 0] += 1 }
                }
                for i in state.fleet!.rows.indices {
                    let row = state.fleet!.rows[i]
                    state.fleet!.rows[i].alerts = (byInstance[row.id] ?? 0) + (row.name != row.id ? byInstance[row.name] ?? 0 : 0)
                }
            }
            if !newlyPaging.isEmpty && bell { terminal.beep() }
            // One dashboard per account opens them (the others would open duplicates).
            if autoOpenIncidents && primary {
                for alert in state.alerts.paging { incidentDesk.autoOpen(for: alert, state: &state) }
            }
            // Panes shown or hidden with the number keys are what this user gets next time
            // (never from a wall display, which nobody should be changing).
            if self.wall == nil && (state.layoutPanes, state.compact) != savedLayout {
                savedLayout = (state.layoutPanes, state.compact)
                if let error = LayoutMemory.save(panes: savedLayout.0, compact: savedLayout.1) {
                    log.warning("\(LayoutMemory.path): \(error)")
                }
            }
            drafts.keep(state)
            terminal.draw(Screen.render(state, width: w, height: h))
            frames += 1

            // Sleep until the header clock's next second, a key, a sample or a signal.
            let untilNextSecond = Int32(((1 - (wall - wall.rounded(.down))) * 1000).rounded(.up)) + 5
            let events = terminal.waitForEvent(timeoutMs: max(10, untilNextSecond))
            if events.quitSignal != 0 { return "signal \(events.quitSignal)" }
            if events.resized {
                let (nw, nh) = terminal.size
                log.info("resized to \(nw)x\(nh)")
                // Re-copy history so graphs fill a wider window at once.
                lastSampleTime = -1
            }
            for (index, key) in events.keys.enumerated() {
                if let replay, steer(replay, key, &state) { continue }
                let asked = state.awaitingAnswer
                let effects = state.handle(key)
                // Keys that arrive in one read with the key that saved a form or asked a
                // question were pasted, not typed at it: they must not answer it.
                let last = index == events.keys.count - 1
                if !last && !asked && state.awaitingAnswer {
                    state.dropPendingQuestion()
                    log.notice("\(events.keys.count - index - 1) pasted keys after a question dropped")
                }
                let saves = effects.contains { if case .recordAlertAction = $0 { return true }; if case .incident = $0 { return true }; return false }
                for effect in effects {
                    switch effect {
                    case .quit: return "quit key"
                    case .setInterval(let s):
                        collection.setInterval(s)
                        log.info("interval set to \(s)s")
                    case .nextTheme:
                        themes = ThemeLoader.available()
                        themeIndex = (themeIndex + 1) % themes.count
                        apply(themes[themeIndex], announce: true)
                    case .sendSignal(let pid, let start, let signal, let name):
                        let outcome = SignalSender.send(signal, named: name, to: pid, startedAt: start)
                        state.processes.message = outcome
                        log.notice("\(outcome)")
                    case .recordAlertAction(let action):
                        record(action, state: &state)
                        alerts.invalidate()
                    case .incident(let request):
                        incidentDesk.perform(request, state: &state)
                    case .toggleRecording:
                        toggleRecording(&state)
                    case .openRunbook(let name, let alert):
                        switch RunbookLibrary.page(name: name, alert: alert) {
                        case .success(let page): state.alertView.runbook = page
                        case .failure(let problem): state.notice = problem.message
                        }
                    }
                }
                if saves && !last {
                    log.notice("\(events.keys.count - index - 1) keys after a saved form dropped (a paste)")
                    break
                }
            }
        }
    }

    /// `R`: stops the recording running (`--record`, or an earlier `R`), or starts one in
    /// `$XDG_DATA_HOME/watchbill/recordings/`, named by the local time.
    func toggleRecording(_ state: inout AppState) {
        guard let recorder = collection.recorder else {
            state.notice = "recording is not available here"
            return
        }
        if let path = state.recordingTo {
            recorder.remove(path)
            log.notice("recording stopped: \(path)")
            state.notice = "recording stopped: \(path)"
            state.recordingTo = nil
            return
        }
        let dir = FileLog.dataDirectory() + "/recordings"
        FileLog.makeDirectories(dir)
        let path = dir + "/" + Clock.local(Clock.wall(), format: "%Y-%m-%d-%H%M%S") + ".wbr"
        do {
            try recorder.add(try RecordingWriter(path: path, now: Clock.monotonic()), name: path)
            log.notice("recording to \(path)")
            state.notice = "recording to \(path); R stops"
            state.recordingTo = path
        } catch {
            log.warning("cannot record: \(error)")
            state.notice = "cannot record: \(error)"
        }
    }

    /// The panes at tick `index` of the history, when it was taken and the newest tick's time.
    func historyData(at index: Int, width: Int, incidentMarks: [TimelineMark]) -> (DashboardData, Double, Double)? {
        collection.read { s -> (DashboardData, Double, Double)? in
            guard let snap = s.history.snapshot(index), let latest = s.latest else { return nil }
            let data = DashboardData(store: s.store, snapshot: snap, points: max(2, 2 * width), processes: nil, moment: snap.time,
                                     marks: Self.marks(s, incidentMarks, now: latest.wallClock),
                                     clockOffset: latest.wallClock - latest.time)
            return (data, snap.wallClock, latest.wallClock)
        }
    }

    /// The alerts' and the incidents' marks within the history (a year of incident
    /// entries need not be placed on an hour of graph).
    static func marks(_ s: borrowing CollectionLoop.Shared, _ incidents: [TimelineMark], now: Double) -> [TimelineMark] {
        let horizon = now - s.history.retention
        return s.alertMarks + incidents.filter { $0.wallClock >= horizon && $0.wallClock <= now + 60 }
    }

    /// The replay's keys, before the dashboard's (they take Space, arrows, [ ] g G):
    /// true when the key was one of them.
    func steer(_ replay: ReplaySource, _ key: Key, _ state: inout AppState) -> Bool {
        // Rewinding (H) takes the arrows and g/G for itself.
        guard state.alertView.form == nil, !state.showHelp, state.history == nil else { return false }
        let minute = max(1, Int((60 / replay.step).rounded()))
        let history = max(1, Int((3600 / replay.step).rounded()))
        func seek(_ index: Int) {
            let (ticks, results) = replay.seek(to: index, history: history)
            collection.restart(with: ticks, probeResults: results)
        }
        switch key {
        case .character(" "): replay.paused.toggle()
        // `position` counts the tick on screen from 1.
        case .left: seek(replay.position - 1 - minute)
        case .right: seek(replay.position - 1 + minute)
        case .character("g"): seek(0)
        case .character("G"): seek(replay.count - 1)
        case .character("["), .character("]"):
            let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
            let current = speeds.firstIndex { abs($0 - replaySpeed(replay)) < 1e-9 } ?? 2
            let next = speeds[max(0, min(speeds.count - 1, current + (key == .character("]") ? 1 : -1)))]
            collection.setInterval(replay.step / next)
        default: return false
        }
        return true
    }

    func replaySpeed(_ replay: ReplaySource) -> Double {
        replay.step / collection.read { $0.interval }
    }

    /// `REPLAY 21:55:27 4x` (or `paused`, `end`), for the header.
    func replayStatus(_ replay: ReplaySource, _ snap: HostSnapshot?) -> String {
        let at = snap.map { Clock.localClock($0.wallClock) } ?? "--:--:--"
        let speed = replaySpeed(replay)
        let rate = speed >= 1 ? "\(Int(speed.rounded()))x" : (speed >= 0.5 ? "0.5x" : "0.25x")
        let mode = replay.position >= replay.count ? "end" : replay.paused ? "paused" : rate
        return "REPLAY \(at) \(mode) \(replay.position)/\(replay.count)"
    }

    /// Journals a silence, expiry or acknowledgement, then applies it; the screen says
    /// saved only once it is on disk.
    func record(_ action: AlertAction, state: inout AppState) {
        var action = action
        if case .silence(var s) = action, s.id.isEmpty {
            s.id = AlertActionStore.newID()
            action = .silence(s)
        }
        if let error = AlertActionStore.append(action) {
            log.error("alert action not saved: \(error)")
            state.alertActionFailed(error)
            return
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
            state.alertActionSaved("silence \(s.id) saved, until \(Clock.localClock(s.endsAt))")
        case .expire(let id, _):
            // Not yet in Alertmanager: the mirror's answer sees the expiry and follows it.
            if let am = collection.read({ $0.actions.alertmanagerIDs[id] }) {
                collection.notifier?.expireMirror(am, localID: id)
            }
            log.notice("silence \(id) expired")
            state.alertActionSaved("silence \(id) expired")
        case .acknowledge(let a):
            log.notice("acknowledged \(a.labels) by \(a.by)")
            state.alertActionSaved("acknowledged \(a.labels["alertname"] ?? "")")
        case .mirror:
            break
        }
    }

    /// Who is at the keyboard, for acknowledgements and silences.
    static func userName() -> String {
        if let u = getenv("USER"), u.pointee != 0 { return String(cString: u) }
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }
}
