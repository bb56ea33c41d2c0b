import WatchbillRules
import WatchbillCore
import WatchbillDomain

public enum Pane: Int, CaseIterable, Sendable {
    case cpu, memory, disk, network, latency, slo, processes, alerts

    /// The host's resources, two to a row.
    public static let resources: [Pane] = [.cpu, .memory, .disk, .network]
    /// The probed targets, in a row of their own under the resources.
    public static let services: [Pane] = [.latency, .slo]

    public var title: String {
        switch self {
        case .cpu: return "CPU"
        case .memory: return "Memory"
        case .disk: return "Disk"
        case .network: return "Network"
        case .latency: return "Latency"
        case .slo: return "SLO"
        case .processes: return "Processes"
        case .alerts: return "Alerts"
        }
    }

    /// The name layouts and the layout memory use: `cpu`, `memory`, ..., `processes`.
    public var configName: String { self == .slo ? "slo" : title.lowercased() }

    public init?(configName: String) {
        // The Alerts row is not a layout's to hide: key 8 alone turns it off.
        guard let p = Pane.allCases.first(where: { $0.configName == configName && $0 != .alerts }) else { return nil }
        self = p
    }

    /// The process column that answers "which process?" for this pane.
    var processSort: ProcessSortKey? {
        switch self {
        case .cpu: return .cpu
        case .memory: return .memory
        case .disk: return .io
        default: return nil
        }
    }
}

/// Everything the screen shows and the keys change. `reduce` is the only way it changes.
public struct AppState: Sendable {
    public var data = DashboardData()
    /// Set while paused: the panes draw this instead of `data`.
    public var frozen: DashboardData?
    /// Fleet mode (`--node`): every host's row; nil on a single host.
    public var fleet: FleetData?
    public var fleetView = FleetViewState()
    public var fleetKeymap = KeyMap.fleet
    /// Set while rewinding (`H`): the panes draw the tick it points at.
    public var history: HistoryView?
    /// What the rewind can reach, set by the caller each pass.
    public var historyBounds: HistoryBounds?
    public var focus: Pane = .cpu
    public var zoomed = false
    public var showHelp = false
    public var interval: Double
    public var glyphs: GlyphSet
    /// Local time for the header, formatted by the caller (the screen model has no clock).
    public var clock = ""
    /// The panes on screen, row by row, as `Screen.layoutRows` arranged them for the
    /// terminal's size; set by the caller each pass so arrows move to what is really there.
    public var layoutRows: [[Pane]] = [[.cpu, .memory], [.disk, .network]]
    /// Panes the user keeps on screen (number keys toggle them). Latency and SLO appear
    /// only when there is something to probe.
    public var shownPanes: Set<Pane> = [.cpu, .memory, .disk, .network, .latency, .slo]
    /// Whether any probe is configured (the Latency and SLO panes have rows).
    public var hasProbes = false
    public var probeView = ProbeViewState()
    /// A Processes row under the resource panes at any height (key 5, or the triage layout).
    public var processesPinned = false
    /// The one-line-per-resource view whatever the size (the compact layout).
    public var compact = false
    /// The named layout last applied (`default`, `triage`, a config one); the wall display
    /// shows it while cycling.
    public var layoutName = "default"
    public var processes = ProcessViewState()
    /// Who runs watchbill: signals go only to this user's processes unless it is root.
    public var userID: UInt32 = 0
    /// Why nothing here may change the host, the alerts or the incidents (a wall display,
    /// a replay); nil on a live dashboard.
    public var readOnlyReason: String?
    /// No action that changes anything: a wall display, a replay, or a rewind (`H`), whose
    /// panes show a past moment that no write should be made from.
    public var readOnly: Bool { readOnlyReason != nil || history != nil }
    /// What a refused key says: `a replay is read-only`, `rewinding: H returns to now`.
    public var readOnlyWhy: String { readOnlyReason ?? (history != nil ? "rewinding: H returns to now" : "read-only") }
    /// The terminal's size, set by the caller each pass, so a click can find its pane.
    public var screenSize = (width: 80, height: 24)

    /// A wall display: read-only, keys off (Ctrl-C still quits), a big clock and a severity
    /// banner on top.
    public var wall = false
    /// What is firing at P0 or P1, for the wall banner.
    public var firing: [FiringAlert] = []
    /// Active alerts, silences and rule health, copied from the engine each pass. Not
    /// frozen by pause: what is firing is always now.
    public var alerts = AlertsData()
    public var alertView = AlertViewState()
    public var incidents = IncidentsData()
    public var incidentView = IncidentViewState()
    public var incidentKeymap = KeyMap.incidents
    /// Who acknowledges and silences (`$USER`), set by the caller.
    public var userName = "watchbill"
    /// The Alerts row shows whenever something is pending or firing (key 8 turns it off).
    public var alertsRow = true
    /// Where the recording goes (`--record` or `R`), for the header's REC; nil when none.
    public var recordingTo: String?
    /// `REPLAY 21:55:27 4x 120/3600` while a recording plays (`watchbill replay FILE`).
    public var replayStatus: String?
    /// The recording's span with its alerts and incident entries, drawn over the footer.
    public var replayTimeline: ReplayTimeline?
    /// A one-line message for the footer (a theme that failed to load, the theme now in
    /// use); cleared by the next key.
    public var notice: String?
    /// Seconds since the newest sample arrived, set by the caller each pass; the header
    /// says STALE when samples stop coming (a collection thread stuck in the kernel).
    public var sampleAge: Double = 0

    /// Whether the data on screen is older than three intervals (and three seconds).
    public var isStale: Bool { data.snapshot != nil && sampleAge > max(3, 3 * interval) }

    /// The bindings in force: the defaults, or a user's keys.yaml over them.
    public var keymap = KeyMap.standard
    public var processKeymap = KeyMap.processes
    public var probeKeymap = KeyMap.probes
    public var alertKeymap = KeyMap.alerts

    public static let intervals: [Double] = [0.25, 0.5, 1, 2, 5, 10, 30, 60]

    public init(interval: Double = 1, glyphs: GlyphSet = .unicode) {
        self.interval = interval
        self.glyphs = glyphs
    }

    public var paused: Bool { frozen != nil }
    /// What the panes draw: the moment rewound to, the paused frame, or now.
    public var shown: DashboardData { history?.data ?? frozen ?? data }

    /// Whether the Processes pane is on screen, so the scan is worth its cost.
    public var processesVisible: Bool {
        (zoomed && focus == .processes) || (!zoomed && !compact && layoutRows.contains { $0.contains(.processes) })
    }

    /// A named layout: exactly these panes (names as in the config), or the compact view.
    public mutating func applyLayout(name: String, panes: [String], compact: Bool) {
        let chosen = Set(panes.compactMap(Pane.init(configName:)))
        let shown = chosen.subtracting([.processes])
        // Nothing but Processes (or nothing known) keeps the resources, so the screen is never empty.
        shownPanes = shown.isEmpty ? Set(Pane.resources + Pane.services) : shown
        processesPinned = chosen.contains(.processes)
        self.compact = compact
        layoutName = name
        if !shownPanes.contains(focus) && focus != .processes {
            focus = (Pane.resources + Pane.services).first { shownPanes.contains($0) } ?? .cpu
        }
    }

    /// What the user has on screen, as layout pane names (for the layout memory).
    public var layoutPanes: [String] {
        Pane.allCases.filter { $0 == .processes ? processesPinned : $0 != .alerts && shownPanes.contains($0) }
            .map(\.configName)
    }

    /// The panes Tab and the arrows can reach in the current layout.
    var reachablePanes: [Pane] {
        let shown = layoutRows.flatMap { $0 }
        return shown.contains(focus) || shown.isEmpty ? (shown.isEmpty ? [focus] : shown) : shown + [focus]
    }

    /// A question waits for `y` (a signal, an expiry, an incident step).
    public var awaitingAnswer: Bool {
        processes.confirm != nil || alertView.confirmExpire != nil || incidentView.confirm != nil
    }

    /// Drops a pending question unanswered: text pasted after the key that asked it must
    /// not answer it.
    public mutating func dropPendingQuestion() {
        processes.confirm = nil
        alertView.confirmExpire = nil
        incidentView.confirm = nil
        notice = "pasted keys after a question ignored; nothing done"
    }

    /// Whether the Alerts row is on screen: something active, or the user went to it.
    public var alertsRowShown: Bool {
        alertsRow && (alerts.activeCount > 0 || focus == .alerts)
    }

    /// Whether the Latency or SLO pane has focus and is on screen, so its keys apply.
    var probePaneActive: Bool {
        hasProbes && Pane.services.contains(focus) && (zoomed || probeView.detail || layoutRows.contains { $0.contains(focus) })
    }

    /// The rows of the process table as drawn now, and the selected one.
    public var processRows: [ProcessRow] { ProcessList.rows(shown.processes ?? [], processes) }
}

/// The Latency and SLO panes' own state.
public struct ProbeViewState: Sendable, Equatable {
    public var selected = 0
    /// The selected target full screen: phases, bands, errors.
    public var detail = false
    public var window: LatencyWindow = .fiveMinutes
    /// One p95 scale for every row's sparkline, so targets compare at a glance.
    public var sharedAxis = false
    public init() {}
}

/// What the world outside the screen model must do after an action.
public enum Effect: Equatable, Sendable {
    case quit
    case setInterval(Double)
    /// Load and apply the next theme.
    case nextTheme
    /// Send `signal` to `pid` if it is still the process that started at `startTicks`.
    case sendSignal(pid: Int32, startTicks: UInt64, signal: Int32, name: String)
    /// Save (journal, then apply) a silence, an expiry or an acknowledgement; the caller
    /// answers with `alertActionSaved` or `alertActionFailed`.
    case recordAlertAction(AlertAction)
    /// Load a runbook (a file name in the runbooks directories, or an http(s) address).
    case openRunbook(name: String, alert: String)
    /// Write to the incident store.
    case incident(IncidentRequest)
    /// Start recording to a new file, or stop the recording running (`R`).
    case toggleRecording
}

extension AppState {
    /// Applies one action; returns what the caller must carry out.
    public mutating func reduce(_ action: Action) -> [Effect] {
        processes.message = nil
        notice = nil
        switch action {
        case .quit:
            return [.quit]
        case .toggleHelp:
            showHelp.toggle()
        case .togglePause:
            frozen = frozen == nil ? data : nil
            history = nil
        case .history:
            toggleHistory()
        case .record:
            // A replay is a recording already; a wall display takes no keys anyway.
            guard replayStatus == nil else {
                notice = "a replay is not recorded again"
                return []
            }
            return [.toggleRecording]
        case .slower, .faster:
            let steps = AppState.intervals
            let i = steps.lastIndex(where: { $0 <= interval }) ?? 0
            let j = action == .slower ? min(steps.count - 1, i + 1) : max(0, steps[i] < interval ? i : i - 1)
            if steps[j] != interval {
                interval = steps[j]
                return [.setInterval(interval)]
            }
        case .focusNext, .focusPrevious:
            let panes = reachablePanes
            let i = panes.firstIndex(of: focus) ?? 0
            focus = panes[(i + (action == .focusNext ? 1 : panes.count - 1)) % panes.count]
        // Panes fill rows left to right: cpu memory / disk network, or all four in one row;
        // the Processes row, when there is one, spans the width below them.
        case .focusLeft, .focusRight, .focusUp, .focusDown:
            moveFocus(action)
        case .zoom:
            if !showHelp { zoomed = true }
        case .back:
            if showHelp {
                showHelp = false
            } else if alertView.runbook != nil {
                alertView.runbook = nil
            } else if alertView.detail {
                alertView.detail = false
            } else if alertView.silencesList {
                alertView.silencesList = false
            } else if incidentView.detail != nil {
                incidentView.detail = nil
            } else if incidentView.listShown {
                incidentView.listShown = false
            } else if probeView.detail {
                probeView.detail = false
            } else if !zoomed && fleetView.openHost != nil {
                // Back from a host's dashboard to the fleet table.
                fleetView.openHost = nil
            } else {
                zoomed = false
            }
        case .nextTheme:
            return [.nextTheme]
        case .togglePane1: toggle(.cpu)
        case .togglePane2: toggle(.memory)
        case .togglePane3: toggle(.disk)
        case .togglePane4: toggle(.network)
        case .togglePane5: toggle(.processes)
        case .togglePane6: toggle(.latency)
        case .togglePane7: toggle(.slo)
        case .toggleAlerts:
            alertsRow.toggle()
            notice = alertsRow ? "Alerts row on: shown while anything is pending or firing" : "Alerts row off (A still opens Alerts)"
            if !alertsRow && focus == .alerts && !zoomed { focus = .cpu }
        case .showAlerts:
            focus = .alerts
            zoomed = true
        case .showIncidents:
            showIncidents()
        case .showProcesses:
            if let key = focus.processSort {
                processes.sort = key
                processes.descending = key.descendingByDefault
            }
            processes.selected = 0
            focus = .processes
            zoomed = true
        default:
            return reduceProcessAction(action)
        }
        return []
    }

    private mutating func moveFocus(_ action: Action) {
        guard let r = layoutRows.firstIndex(where: { $0.contains(focus) }),
              let c = layoutRows[r].firstIndex(of: focus) else { return }
        switch action {
        case .focusLeft: if c > 0 { focus = layoutRows[r][c - 1] }
        case .focusRight: if c + 1 < layoutRows[r].count { focus = layoutRows[r][c + 1] }
        case .focusUp: if r > 0 { focus = layoutRows[r - 1][min(c, layoutRows[r - 1].count - 1)] }
        default: if r + 1 < layoutRows.count { focus = layoutRows[r + 1][min(c, layoutRows[r + 1].count - 1)] }
        }
    }

    /// Number keys: show or hide a resource pane (one always stays), or the Processes row.
    private mutating func toggle(_ pane: Pane) {
        if pane == .processes {
            processesPinned.toggle()
            notice = processesPinned ? "Processes row on" : "Processes row off"
            return
        }
        if Pane.services.contains(pane) && !hasProbes {
            notice = "no probes: add some with --probe URL or in config.yaml"
            return
        }
        if shownPanes.contains(pane) {
            let visible = shownPanes.filter { Pane.resources.contains($0) || (hasProbes && Pane.services.contains($0)) }
            guard visible.count > 1 || !visible.contains(pane) else {
                notice = "\(pane.title) is the last pane shown"
                return
            }
            shownPanes.remove(pane)
            if focus == pane { focus = Pane.resources.first { shownPanes.contains($0) } ?? .cpu }
        } else {
            shownPanes.insert(pane)
        }
    }

    /// A click focuses the pane under it; the wheel scrolls the list under it (Processes,
    /// Latency, SLO) three rows a step. Nothing else happens on a click: no pane hides and
    /// no signal is sent by mouse.
    private mutating func mouse(_ event: MouseEvent) {
        notice = nil
        if showHelp {
            if event.kind == .click { showHelp = false }
            return
        }
        guard let pane = Screen.pane(at: event.x, event.y, self, width: screenSize.width, height: screenSize.height) else {
            return
        }
        focus = pane
        guard event.kind != .click else { return }
        let step: Action = event.kind == .wheelUp ? .selectUp : .selectDown
        for _ in 0..<3 {
            if pane == .processes {
                _ = reduceProcessAction(step)
            } else if Pane.services.contains(pane) {
                reduceProbeAction(step)
            }
        }
    }

    /// Keys of the Latency and SLO panes: selection, details, window, shared scale.
    private mutating func reduceProbeAction(_ action: Action) {
        notice = nil
        let count = shown.probes.count
        func select(_ i: Int) { probeView.selected = max(0, min(i, count - 1)) }
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            select(Action.moved(action, from: probeView.selected, count: count))
        case .targetDetails: if count > 0 { probeView.detail = true }
        case .latencyWindow: probeView.window = probeView.window.next
        case .sharedAxis:
            probeView.sharedAxis.toggle()
            notice = probeView.sharedAxis ? "p95 graphs share one scale" : "each p95 graph has its own scale"
        default: _ = reduce(action)
        }
    }

    /// Keys of the Processes pane: selection, sort, filter, tree, follow, signals.
    private mutating func reduceProcessAction(_ action: Action) -> [Effect] {
        let rows = processRows
        let current = ProcessList.selection(rows, processes) ?? 0
        func select(_ i: Int) {
            processes.selected = max(0, min(i, max(0, rows.count - 1)))
            if processes.followPID != nil { processes.followPID = rows.isEmpty ? nil : rows[processes.selected].process.sample.pid }
        }
        switch action {
        case .selectUp, .selectDown, .selectPageUp, .selectPageDown, .selectFirst, .selectLast:
            select(Action.moved(action, from: current, count: rows.count))
        case .sortNext, .sortPrevious:
            let all = ProcessSortKey.allCases
            let i = all.firstIndex(of: processes.sort)!
            processes.sort = all[(i + (action == .sortNext ? 1 : all.count - 1)) % all.count]
            processes.descending = processes.sort.descendingByDefault
        case .sortReverse:
            processes.descending.toggle()
        case .filter:
            processes.editingFilter = processes.filter
            processes.filterBeforeEditing = processes.filter
        case .toggleTree:
            processes.tree.toggle()
        case .follow:
            processes.followPID = processes.followPID == nil && !rows.isEmpty ? rows[current].process.sample.pid : nil
        case .terminate, .kill:
            guard !rows.isEmpty else { break }
            let p = rows[current].process
            if readOnly {
                processes.message = "signals are off in read-only mode"
            } else if userID != 0 && p.sample.uid != userID {
                processes.message = "\(p.sample.pid) belongs to \(p.user): only root may signal it"
            } else {
                let (sig, name): (Int32, String) = action == .kill ? (9, "KILL") : (15, "TERM")
                processes.confirm = PendingSignal(
                    pid: p.sample.pid, startTicks: p.sample.startTicks, signal: sig, signalName: name,
                    description: "\(p.sample.pid) \(p.user) \(p.sample.commandLine)")
            }
        default:
            break
        }
        return []
    }

    /// A key: first a pending confirmation or the filter line editor, then the focused
    /// pane's keymap, then the global one. Unbound keys do nothing.
    public mutating func handle(_ key: Key) -> [Effect] {
        // Nobody changes a wall display by leaning on the keyboard; Ctrl-C and SIGTERM quit.
        if wall { return [] }
        // A form, an expiry question or the runbook pager takes every key (and ignores the
        // mouse): what is typed into a comment must never reach a pane's keys.
        if alertView.form != nil || alertView.confirmExpire != nil || alertView.runbook != nil {
            if case .mouse = key { return [] }
            return handleAlertKey(key) ?? []
        }
        if incidentView.confirm != nil {
            if case .mouse = key { return [] }
            return handleIncidentKey(key) ?? []
        }
        if case .mouse(let event) = key {
            mouse(event)
            return []
        }
        if let pending = processes.confirm {
            processes.confirm = nil
            guard key == .character("y") || key == .character("Y") else {
                processes.message = "not sent"
                return []
            }
            return [.sendSignal(pid: pending.pid, startTicks: pending.startTicks, signal: pending.signal,
                                name: pending.signalName)]
        }
        if let text = processes.editingFilter {
            switch FilterEdit.apply(key, to: text, before: processes.filterBeforeEditing) {
            case .editing(let t):
                processes.editingFilter = t
                processes.filter = t
            case .kept(let t):
                processes.filter = t
                processes.editingFilter = nil
                processes.selected = 0
            case .dropped(let t):
                processes.editingFilter = nil
                processes.filter = t
            }
            return []
        }
        // The fleet table, then stepping through history, take their keys before the panes.
        if let effects = handleFleetKey(key) { return effects }
        if let effects = handleHistoryKey(key) { return effects }
        // The alert detail, silences list and incident screens cover the panes: their keys come first.
        if let effects = handleAlertKey(key) { return effects }
        if let effects = handleIncidentKey(key) { return effects }
        // A pane under a full-screen view takes no keys: its questions would not be seen.
        let covered = incidentScreenOpen || DashboardView.alertScreenOpen(self)
        if !covered && focus == .processes && processesVisible, let action = processKeymap.action(for: key) {
            return reduce(action)
        }
        if !covered && probePaneActive, let action = probeKeymap.action(for: key) {
            reduceProbeAction(action)
            return []
        }
        guard let action = keymap.action(for: key) else { return [] }
        return reduce(action)
    }
}
