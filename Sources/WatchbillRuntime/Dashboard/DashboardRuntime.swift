import WatchbillCore
import WatchbillIncidents
import WatchbillRules
import WatchbillScreen

/// The dashboard's state and the one function that changes it. The UI loop gathers
/// events (keys, the clock, what the workers published), hands each to `reduce`, draws
/// `state`, and carries out the effects `reduce` returns, whose outcomes come back as
/// events. Caches of what was already read, the paging watch and the wall cycle live
/// here, so every policy is a value tested on a fake clock.
public struct DashboardRuntime: Sendable {
    public struct Settings: Sendable, Equatable {
        /// `watchbill replay`: nothing done here may reach the live incident store, the
        /// notifier or Alertmanager.
        public var replay = false
        public var bell = false
        /// `incidents: {auto_open: true}` and this is the account's primary dashboard.
        public var autoOpenIncidents = false
        /// Panes shown or hidden are remembered for next time (never on a wall display).
        public var remembersLayout = true
        /// `--prometheus` or `--alertmanager`: the fleet table counts their firing alerts.
        public var countsRemoteAlerts = false
        public init(replay: Bool = false, bell: Bool = false, autoOpenIncidents: Bool = false, remembersLayout: Bool = true,
                    countsRemoteAlerts: Bool = false) {
            self.replay = replay
            self.bell = bell
            self.autoOpenIncidents = autoOpenIncidents
            self.remembersLayout = remembersLayout
            self.countsRemoteAlerts = countsRemoteAlerts
        }
    }

    public var state: AppState
    public let settings: Settings
    public private(set) var time = TimeReading(wall: 0, monotonic: 0)
    public private(set) var wallCycle: WallCycle?
    private var paging = PagingWatch()
    private var rememberedLayout: ([String], Bool)
    private var processesWanted = false
    /// The collector's time of the tick on screen (-1: none yet, or a re-read is wanted).
    private var sampleTime = -1.0
    private var historyHad: HistoryRequest?
    private var probesHad: ProbeRequest?
    private var fleetHostHad: FleetHostRequest?
    private var fleetGeneration = 0
    /// Every incident as stored now; `state.incidents` is them as of the moment shown.
    private var storedIncidents = IncidentsData()
    /// The moment `state.incidents` was folded for, and whether the store moved since.
    private var incidentsFoldedAt: Double?
    /// The replay's position as last reported (moved on by its keys until the next report).
    public private(set) var replayPosition: ReplayPosition?
    /// The alert list as it is now; the pane shows another while rewinding.
    private var liveAlerts = AlertsData()
    private var showingRewound = false

    public init(state: AppState, settings: Settings, wallCycle: WallCycle? = nil) {
        var state = state
        if settings.replay {
            state.readOnlyReason = "a replay is read-only"
        }
        if wallCycle != nil {
            state.wall = true
            state.readOnlyReason = "a wall display is read-only"
        }
        self.state = state
        self.settings = settings
        self.wallCycle = wallCycle
        rememberedLayout = (state.layoutPanes, state.compact)
    }

    /// The moment the panes show: a rewound tick (live or in a replay), a replay's
    /// recorded clock, or now.
    public var moment: Moment {
        if let h = state.history, let taken = h.data?.snapshot?.wallClock { return .history(at: taken) }
        if settings.replay { return .replay(at: state.data.snapshot?.wallClock ?? time.wall) }
        return .live(at: time.wall)
    }

    // MARK: What to read next

    /// Everything the loop asks before it reads, in one small value (a copy of the whole
    /// runtime each question would cost more than the questions).
    public struct Wants: Sendable {
        public var lastSampleTime: Double
        public var graphPoints: Int
        public var openHost: String?
        public var fleetHost: FleetHostRequest?
        public var history: HistoryRequest?
        public var probes: ProbeRequest?
        public var replayPosition: ReplayPosition?
        public var incidents: Bool
        /// The clock the live alert list is taken at: now, or a replay's newest tick.
        public var liveAlertsAt: Double
        /// The moment a rewind shows, whose alert list the pane wants.
        public var rewoundAt: Double?
        /// The alert whose detail is open (its value history is read too) and the history shown.
        public var alertDetail: Labels?
        public var alertDetailHistory: AlertHistory?
    }

    public var wants: Wants {
        Wants(lastSampleTime: sampleTime, graphPoints: graphPoints, openHost: state.fleetView.openHost,
              fleetHost: wantedFleetHost, history: wantedHistory, probes: wantedProbes, replayPosition: replayPosition,
              incidents: wantsIncidents,
              liveAlertsAt: settings.replay ? state.data.snapshot?.wallClock ?? time.wall : time.wall,
              rewoundAt: { if case .history(let t) = moment { return t } else { return nil } }(),
              alertDetail: state.alertView.detail ? state.alertView.detailLabels : nil,
              alertDetailHistory: liveAlerts.history)
    }

    /// The history tick the panes want and do not have.
    public var wantedHistory: HistoryRequest? {
        guard let h = state.history else { return nil }
        let want = HistoryRequest(index: h.index, width: state.screenSize.width, sampleTime: sampleTime)
        return want == historyHad && h.data != nil ? nil : want
    }

    /// Probe summaries are computed once a second (of the recording's clock in a replay),
    /// or at once when the view asks for another window or detail. Probe windows are not
    /// kept per tick: a rewind's Latency and SLO panes show the newest, titled "now".
    public var wantedProbes: ProbeRequest? {
        guard state.hasProbes else { return nil }
        let at = settings.replay ? state.data.snapshot?.wallClock ?? time.wall : time.wall
        let view = state.probeView
        let want = ProbeRequest(second: Int(at), at: at, window: view.window, detail: view.detail ? view.selected : nil)
        return want.second == probesHad?.second && want.window == probesHad?.window && want.detail == probesHad?.detail ? nil : want
    }

    /// The opened fleet host's panes, when the host, its figures or the width changed.
    public var wantedFleetHost: FleetHostRequest? {
        guard let id = state.fleetView.openHost else { return nil }
        let want = FleetHostRequest(id: id, generation: fleetGeneration, width: state.screenSize.width)
        return want == fleetHostHad ? nil : want
    }

    /// Points each graph wants: two per column of the widest graph.
    public var graphPoints: Int { max(2, 2 * state.screenSize.width) }

    /// Whether the tick on screen should be read again (none yet, or a resize).
    public var lastSampleTime: Double { sampleTime }

    /// Whether anything on screen (or auto_open) wants the incidents now.
    public var wantsIncidents: Bool {
        settings.autoOpenIncidents || state.incidentScreenOpen || state.alertView.form != nil || state.focus == .alerts
            || state.incidentView.confirm != nil || state.history != nil
    }

    // MARK: The step

    public mutating func reduce(_ event: DashboardEvent) -> [DashboardEffect] {
        var effects: [DashboardEffect] = []
        switch event {
        case .keys(let keys):
            effects += press(keys)
        case .clock(let reading):
            time = reading
            state.clock = reading.localClock(reading.wall)
            if var cycle = wallCycle {
                if let next = cycle.advance(at: reading.monotonic) {
                    state.applyLayout(name: next.name, panes: next.panes, compact: next.compact)
                }
                wallCycle = cycle
            }
        case .resized(let width, let height):
            state.screenSize = (width, height)
            // Graphs fill a wider window at once: the tick is read again at the new width.
            sampleTime = -1
        case .sample(let data, let taken, let bounds):
            // A fleet host's panes stand in for this host's while it is open.
            if var data, state.fleetView.openHost == nil {
                sampleTime = taken
                data.probes = state.data.probes
                state.data = data
            }
            state.setHistoryBounds(bounds)
            // A replay's ticks carry the recording's clock, and a fleet host's panes are as
            // old as its row says: "stale" would mean nothing there.
            state.sampleAge = sampleTime < 0 || settings.replay || state.fleetView.openHost != nil ? 0 : time.monotonic - sampleTime
        case .historyTick(let request, var data, let takenAt, let newestAt):
            historyHad = request
            guard state.history?.index == request.index else { break }
            // Probe windows are not kept per tick: the Latency and SLO panes say "now".
            data.probes = state.data.probes
            state.history?.data = data
            state.history?.viewedClock = time.localClock(takenAt)
            state.history?.viewedAgo = max(0, newestAt - takenAt)
        case .probes(let summaries, let request):
            probesHad = request
            state.data.probes = summaries
        case .alerts(var data):
            if state.alertView.detail, data.history == nil, liveAlerts.history?.labels == state.alertView.detailLabels {
                data.history = liveAlerts.history
            }
            liveAlerts = data
            // A rewind's pane shows its own moment; what pages is always now.
            if state.history == nil { show(data) }
            state.firing = data.paging.map {
                FiringAlert(severity: $0.severity, text: "\($0.name): " + ($0.summary.isEmpty ? "\($0.keyLabels)" : $0.summary))
            }
            // A replay's alerts page nobody; a rewind on a live dashboard still hears new ones.
            if !settings.replay {
                let news = paging.newlyPaging(data.paging)
                if !news.isEmpty && settings.bell { effects.append(.ringBell) }
                if settings.autoOpenIncidents && storedIncidents.unavailable == nil {
                    effects += data.paging.map { .openIncident(for: $0) }
                }
            }
            countFleetAlerts()
        case .rewoundAlerts(var data):
            guard state.history != nil else { break }
            data.asOf = time.localClock(data.now)
            show(data)
            showingRewound = true
        case .incidents(let data):
            // A read that failed keeps the list it had: an empty screen must not pass for none.
            if data.unavailable != nil && data.all.isEmpty {
                storedIncidents.unavailable = data.unavailable
            } else {
                storedIncidents = data
            }
            incidentsFoldedAt = nil
        case .fleetRows(let rows):
            fleetGeneration += 1
            state.fleet?.rows = rows
            countFleetAlerts()
        case .fleetHost(let request, let data):
            guard state.fleetView.openHost == request.id else { break }
            if let data {
                state.data = data
                fleetHostHad = request
            } else if fleetHostHad?.id != request.id {
                // Nothing of that host yet: empty panes, never this host's.
                state.data = DashboardData()
            }
        case .serviceLatency(let rows, let problem):
            state.fleet?.latency = rows
            state.fleet?.latencyProblem = problem
        case .replay(let position):
            replayPosition = position
        case .saved(let message):
            state.alertActionSaved(message)
        case .notSaved(let reason):
            state.alertActionFailed(reason)
        case .notice(let text):
            state.notice = text
        case .incidentShown(let id):
            state.closeAlertScreens()
            state.incidentView.detail = id
            state.incidentView.timelineFromEnd = 0
        case .runbookLoaded(let page):
            state.alertView.runbook = page
        case .signalOutcome(let text):
            state.processes.message = text
        case .recording(let path):
            state.recordingTo = path
        }
        settle(&effects)
        return effects
    }

    /// After every step: the layout for the size, the moment's ages and incidents, what the
    /// collector should scan, and the layout to remember.
    private mutating func settle(_ effects: inout [DashboardEffect]) {
        // Back on the fleet table: this host's panes come back with its next sample.
        if state.fleetView.openHost == nil && fleetHostHad != nil {
            fleetHostHad = nil
            sampleTime = -1
        }
        state.layoutRows = Screen.layoutRows(state, width: state.screenSize.width, height: state.screenSize.height)
        let at = moment.at
        // Folded again only when the moment or the store moved (a year of incidents a frame is not free).
        let foldAt = moment.isLive ? Double.infinity : at
        if incidentsFoldedAt != foldAt {
            state.incidents.all = moment.isLive ? storedIncidents.all : IncidentsAtMoment.fold(storedIncidents.all, at: at)
            state.incidents.unavailable = storedIncidents.unavailable
            incidentsFoldedAt = foldAt
        }
        state.incidents.now = at
        state.incidents.utcOffset = time.utcOffset
        state.incidents.asOf = moment.isLive ? nil : time.localClock(at)
        // Back from a rewind: the list of now again.
        if state.history == nil && showingRewound {
            show(liveAlerts)
            showingRewound = false
        }
        state.alerts.now = at
        // A replay's header and time bar follow the tick on screen (paused, rewound or playing).
        if let position = replayPosition {
            let shownAt = state.shown.snapshot?.wallClock
            state.replayStatus = position.status(clock: shownAt.map { time.localClock($0) } ?? "--:--:--")
            state.replayTimeline = ReplayTimeline(start: position.start, end: position.end, position: shownAt ?? position.start,
                                                  marks: position.marks, utcOffset: time.utcOffset)
        }
        if state.processesVisible != processesWanted {
            processesWanted = state.processesVisible
            effects.append(.processesWanted(processesWanted))
        }
        if settings.remembersLayout && wallCycle == nil && (state.layoutPanes, state.compact) != rememberedLayout {
            rememberedLayout = (state.layoutPanes, state.compact)
            effects.append(.rememberLayout(panes: rememberedLayout.0, compact: rememberedLayout.1))
        }
    }

    private mutating func countFleetAlerts() {
        guard settings.countsRemoteAlerts, let rows = state.fleet?.rows else { return }
        for (i, n) in RemoteAlertMerge.firingByHost(liveAlerts.items, rows: rows).enumerated() { state.fleet!.rows[i].alerts = n }
    }

    /// The list the Alerts pane shows. The selection stays on the same alert, wherever the
    /// new list sorts it: a key pressed as the list re-sorts must act on the alert the
    /// on-call chose, never on whatever took its row.
    private mutating func show(_ alerts: AlertsData) {
        let before = state.visibleAlerts
        let chosen = before.indices.contains(state.alertView.selected) ? before[state.alertView.selected].labels : nil
        state.alerts = alerts
        let now = state.visibleAlerts
        if let chosen, let i = now.firstIndex(where: { $0.labels == chosen }) {
            state.alertView.selected = i
        } else {
            state.alertView.selected = max(0, min(state.alertView.selected, now.count - 1))
        }
    }

    /// The keys of one read: a replay's own keys first, then the dashboard's, with what a
    /// paste must not do, and nothing that writes when the dashboard is read-only.
    private mutating func press(_ keys: [Key]) -> [DashboardEffect] {
        var out: [DashboardEffect] = []
        for (index, key) in keys.enumerated() {
            if let command = replayCommand(for: key) {
                // Keys read together act on where the ones before them left the replay; of
                // several seeks only the last is carried out (each starts the store over).
                if case .seek = command, case .replay(.seek)? = out.last { out.removeLast() }
                out.append(.replay(command))
                switch command {
                case .togglePause: replayPosition?.paused.toggle()
                case .seek(let index): replayPosition?.position = index + 1
                case .speed(let interval): replayPosition?.interval = interval
                }
                continue
            }
            let asked = state.awaitingAnswer
            let effects = state.handle(key)
            let saved = effects.contains { if case .recordAlertAction = $0 { return true }; if case .incident = $0 { return true }; return false }
            switch PastePolicy.verdict(index: index, count: keys.count, askedBefore: asked, asksNow: state.awaitingAnswer, saved: false) {
            case .dropQuestion(let left):
                state.dropPendingQuestion()
                out.append(.log("\(left) pasted keys after a question dropped"))
            default: break
            }
            for effect in effects {
                if effect == .quit { return out + [.quit("quit key")] }
                if let refusal = refusal(of: effect) {
                    state.alertActionFailed(refusal)
                    out.append(.log("refused: \(refusal)"))
                    continue
                }
                out.append(.app(effect))
            }
            if case .dropRest(let left) = PastePolicy.verdict(index: index, count: keys.count, askedBefore: asked,
                                                              asksNow: false, saved: saved) {
                out.append(.log("\(left) keys after a saved form dropped (a paste)"))
                break
            }
        }
        return out
    }

    /// A replay's keys, unless a form, the help or a rewind has them.
    private func replayCommand(for key: Key) -> ReplaySteer? {
        guard settings.replay, let position = replayPosition, state.alertView.form == nil, !state.showHelp,
              state.history == nil else { return nil }
        return position.command(for: key)
    }


    /// Why an effect may not happen here: a replay writes nothing a live system reads.
    private func refusal(of effect: Effect) -> String? {
        guard settings.replay else { return nil }
        switch effect {
        case .incident(.export): return nil
        case .incident: return "a replay is read-only: the incident store is not changed"
        case .recordAlertAction: return "a replay is read-only: no silences or acknowledgements"
        case .sendSignal: return "a replay is read-only: no signals"
        case .toggleRecording: return "a replay is not recorded again"
        default: return nil
        }
    }
}
