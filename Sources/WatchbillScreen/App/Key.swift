/// A key press as the app sees it, independent of the terminal library.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case enter, escape, tab, backTab, backspace, delete
    case pageUp, pageDown, home, end
    /// A click or a wheel step at a cell (`--mouse`).
    case mouse(MouseEvent)

    /// How the help screen writes the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Delete"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .mouse: return "Mouse"
        }
    }
}

/// Everything a key can ask for. Names are stable: the keymap file (themes issue) will
/// refer to them.
public enum Action: String, CaseIterable, Sendable {
    case quit
    case toggleHelp = "help"
    case togglePause = "pause"
    case history
    case record
    case openHost = "open-host"
    case slower = "interval-longer"
    case faster = "interval-shorter"
    case focusNext = "focus-next"
    case focusPrevious = "focus-previous"
    case focusLeft = "focus-left"
    case focusRight = "focus-right"
    case focusUp = "focus-up"
    case focusDown = "focus-down"
    case zoom
    case back
    case showProcesses = "processes"
    case nextTheme = "next-theme"
    case togglePane1 = "toggle-cpu"
    case togglePane2 = "toggle-memory"
    case togglePane3 = "toggle-disk"
    case togglePane4 = "toggle-network"
    case togglePane5 = "toggle-processes"
    case togglePane6 = "toggle-latency"
    case togglePane7 = "toggle-slo"
    case toggleAlerts = "toggle-alerts"
    case showAlerts = "alerts"
    // In the Alerts pane.
    case alertDetails = "alert-details"
    case acknowledge
    case silence
    case silences
    case expireSilence = "expire-silence"
    case runbook
    case toggleSuppressed = "show-silenced"
    case incidentFromAlert = "incident-from-alert"
    // Incidents.
    case showIncidents = "incidents"
    case openIncident = "open-incident"
    case newIncident = "new-incident"
    case allIncidents = "all-incidents"
    case note
    case mitigationStarted = "mitigation-started"
    case restored
    case rootCause = "root-cause"
    case fixDeployed = "fix-deployed"
    case incidentStatus = "status"
    case incidentSeverity = "severity"
    case nextStage = "next-stage"
    case editField = "edit"
    case addActionItem = "action-item"
    case tickActionItem = "tick"
    case exportPostmortem = "export"
    case incidentStats = "incident-stats"
    // In the Latency and SLO panes.
    case targetDetails = "target-details"
    case latencyWindow = "latency-window"
    case sharedAxis = "shared-axis"
    // In the Processes pane.
    case selectUp = "select-up"
    case selectDown = "select-down"
    case selectPageUp = "select-page-up"
    case selectPageDown = "select-page-down"
    case selectFirst = "select-first"
    case selectLast = "select-last"
    case sortNext = "sort-next"
    case sortPrevious = "sort-previous"
    case sortReverse = "sort-reverse"
    case filter
    case toggleTree = "tree"
    case follow
    case terminate
    case kill

    /// Where a selection key moves a selection at `current` in a list of `count` rows (the
    /// caller clamps): one row, ten, or to either end.
    static func moved(_ action: Action, from current: Int, count: Int) -> Int {
        switch action {
        case .selectUp: return current - 1
        case .selectDown: return current + 1
        case .selectPageUp: return current - 10
        case .selectPageDown: return current + 10
        case .selectFirst: return 0
        case .selectLast: return count - 1
        default: return current
        }
    }

    /// Related actions share one help line.
    var helpGroup: String? {
        switch self {
        case .slower, .faster: return "longer / shorter sampling interval"
        case .focusNext, .focusPrevious: return "next / previous pane"
        case .focusLeft, .focusRight, .focusUp, .focusDown: return "move focus between panes"
        case .togglePane1, .togglePane2, .togglePane3, .togglePane4, .togglePane5, .togglePane6, .togglePane7, .toggleAlerts:
            return "show/hide CPU Mem Disk Net Procs Lat SLO Alerts"
        case .showProcesses, .showAlerts, .showIncidents: return "processes (by focused resource); alerts; incidents"
        case .selectUp, .selectDown: return "move the selection"
        case .selectPageUp, .selectPageDown, .selectFirst, .selectLast: return "selection: page up, down, first, last"
        case .sortNext, .sortPrevious, .sortReverse: return "sort: next column, previous, reverse"
        case .terminate, .kill: return "send TERM / KILL to the selection (asks first)"
        default: return nil
        }
    }

    public var summary: String {
        switch self {
        case .quit: return "quit (Ctrl-C too)"
        case .toggleHelp: return "show or hide this help"
        case .togglePause: return "pause: freeze panes, keep collecting"
        case .history: return "history: rewind every pane (arrows, PgUp, g/G)"
        case .record: return "record to a file: start, or stop (header: REC)"
        case .openHost: return "the selected host's dashboard (Esc returns)"
        case .slower: return "longer sampling interval"
        case .faster: return "shorter sampling interval"
        case .focusNext: return "focus next pane"
        case .focusPrevious: return "focus previous pane"
        case .focusLeft: return "focus pane to the left"
        case .focusRight: return "focus pane to the right"
        case .focusUp: return "focus pane above"
        case .focusDown: return "focus pane below"
        case .zoom: return "zoom focused pane to full screen"
        case .back: return "back: close help, leave zoom"
        case .showProcesses: return "processes, sorted by the focused pane's resource"
        case .nextTheme: return "next color theme"
        case .togglePane1, .togglePane2, .togglePane3, .togglePane4: return "show or hide CPU, Memory, Disk, Network"
        case .togglePane5: return "show or hide a Processes row"
        case .togglePane6, .togglePane7: return "show or hide Latency, SLO"
        case .toggleAlerts: return "Alerts row on or off (it shows while anything fires)"
        case .showAlerts: return "alerts: active alerts full screen"
        case .alertDetails: return "the selected alert: graph, labels, annotations"
        case .acknowledge: return "acknowledge the alert, with a comment"
        case .silence: return "silence: matchers from its labels, 1h, a comment"
        case .silences: return "silences: list them, expire one (e)"
        case .expireSilence: return "expire the selected silence (in the list)"
        case .runbook: return "the alert's runbook"
        case .toggleSuppressed: return "show or hide silenced alerts"
        case .incidentFromAlert: return "incident from the alert (new, or link to an open one)"
        case .showIncidents: return "incidents: the list, open first"
        case .openIncident: return "open the selected incident"
        case .newIncident: return "new incident (title, severity)"
        case .allIncidents: return "list open incidents only, or all"
        case .note: return "add a note to the timeline"
        case .mitigationStarted: return "mark mitigation started (asks first)"
        case .restored: return "mark service restored (asks first)"
        case .rootCause: return "root cause identified, with what it is"
        case .fixDeployed: return "permanent fix deployed, with what it is"
        case .incidentStatus: return "pick the status: investigating, mitigated, resolved"
        case .incidentSeverity: return "pick the severity, P0 to P3 (meanings shown)"
        case .nextStage: return "next process stage (asks first)"
        case .editField: return "edit: title, owner, impact, services, prevention..."
        case .addActionItem: return "add an action item (owner, deadline, task)"
        case .tickActionItem: return "tick an action item done"
        case .exportPostmortem: return "export the postmortem (Markdown file)"
        case .incidentStats: return "response figures: 7, 30, 90 days against the targets"
        case .targetDetails: return "the selected target: phases, bands, errors"
        case .latencyWindow: return "latency window: 1m, 5m, 1h"
        case .sharedAxis: return "one p95 scale for all targets, or one each"
        case .selectUp: return "select the process above"
        case .selectDown: return "select the process below"
        case .selectPageUp: return "ten processes up"
        case .selectPageDown: return "ten processes down"
        case .selectFirst: return "first process"
        case .selectLast: return "last process"
        case .sortNext: return "sort by the next column"
        case .sortPrevious: return "sort by the previous column"
        case .sortReverse: return "reverse the sort"
        case .filter: return "filter: text, or a regex; Enter keeps, Esc drops"
        case .toggleTree: return "tree view on or off"
        case .follow: return "follow the selected process"
        case .terminate: return "send TERM to the selected process (asks first)"
        case .kill: return "send KILL to the selected process (asks first)"
        }
    }
}

public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Every default binding in one table. The help overlay is generated from it, so the
/// two cannot disagree.
public struct KeyMap: Sendable {
    public var bindings: [(key: Key, action: Action)]
    /// What an action does in this map's view when it differs from its usual summary (`a`
    /// acknowledges an alert in the Alerts pane, an incident in an incident).
    public var summaries: [Action: String] = [:]

    public init(bindings: [(key: Key, action: Action)], summaries: [Action: String] = [:]) {
        self.bindings = bindings
        self.summaries = summaries
    }

    public static let standard = KeyMap(bindings: [
        (.character("q"), .quit), (.character("?"), .toggleHelp), (.character("p"), .togglePause),
        (.character("+"), .slower), (.character("="), .slower), (.character("-"), .faster),
        (.tab, .focusNext), (.backTab, .focusPrevious),
        (.left, .focusLeft), (.character("h"), .focusLeft), (.right, .focusRight), (.character("l"), .focusRight),
        (.up, .focusUp), (.character("k"), .focusUp), (.down, .focusDown), (.character("j"), .focusDown),
        (.enter, .zoom), (.escape, .back), (.character("t"), .showProcesses),
        (.character("c"), .nextTheme),
        (.character("1"), .togglePane1), (.character("2"), .togglePane2), (.character("3"), .togglePane3),
        (.character("4"), .togglePane4), (.character("5"), .togglePane5), (.character("6"), .togglePane6),
        (.character("7"), .togglePane7), (.character("8"), .toggleAlerts), (.character("A"), .showAlerts),
        (.character("I"), .showIncidents), (.character("H"), .history), (.character("R"), .record),
        (.character("z"), .zoom),
    ])

    /// Bindings of the Alerts pane, its detail and its silences list.
    public static let alerts = KeyMap(bindings: [
        (.up, .selectUp), (.character("k"), .selectUp), (.down, .selectDown), (.character("j"), .selectDown),
        (.pageUp, .selectPageUp), (.pageDown, .selectPageDown), (.home, .selectFirst), (.end, .selectLast),
        (.enter, .alertDetails), (.character("a"), .acknowledge), (.character("s"), .silence),
        (.character("S"), .silences), (.character("e"), .expireSilence), (.character("r"), .runbook),
        (.character("m"), .toggleSuppressed), (.character("i"), .incidentFromAlert),
    ])

    /// Bindings of the incident list and an incident full screen.
    public static let incidents = KeyMap(bindings: [
        (.up, .selectUp), (.character("k"), .selectUp), (.down, .selectDown), (.character("j"), .selectDown),
        (.pageUp, .selectPageUp), (.pageDown, .selectPageDown), (.home, .selectFirst), (.end, .selectLast),
        (.enter, .openIncident), (.character("N"), .newIncident), (.character("o"), .allIncidents),
        (.character("n"), .note), (.character("a"), .acknowledge), (.character("m"), .mitigationStarted),
        (.character("R"), .restored), (.character("c"), .rootCause), (.character("f"), .fixDeployed),
        (.character("s"), .incidentStatus), (.character("v"), .incidentSeverity), (.character("g"), .nextStage),
        (.character("e"), .editField), (.character("t"), .addActionItem), (.character("x"), .tickActionItem),
        (.character("E"), .exportPostmortem), (.character("r"), .runbook), (.character("T"), .incidentStats),
    ], summaries: [
        .acknowledge: "acknowledge: you own it, its alerts too (asks)",
        .runbook: "the incident's runbook (or its alerts')",
    ])

    /// Bindings of the fleet view (`--node`), looked up before the standard ones.
    public static let fleet = KeyMap(bindings: [
        (.up, .selectUp), (.character("k"), .selectUp), (.down, .selectDown), (.character("j"), .selectDown),
        (.pageUp, .selectPageUp), (.pageDown, .selectPageDown), (.home, .selectFirst), (.end, .selectLast),
        (.enter, .openHost), (.character(">"), .sortNext), (.character("<"), .sortPrevious), (.character("r"), .sortReverse),
        (.character("/"), .filter),
    ])

    /// Bindings of the focused Latency or SLO pane, looked up before the standard ones.
    public static let probes = KeyMap(bindings: [
        (.up, .selectUp), (.character("k"), .selectUp), (.down, .selectDown), (.character("j"), .selectDown),
        (.pageUp, .selectPageUp), (.pageDown, .selectPageDown), (.home, .selectFirst), (.end, .selectLast),
        (.enter, .targetDetails), (.character("w"), .latencyWindow), (.character("y"), .sharedAxis),
    ])

    /// Bindings of the focused Processes pane, looked up before the standard ones.
    public static let processes = KeyMap(bindings: [
        (.up, .selectUp), (.character("k"), .selectUp), (.down, .selectDown), (.character("j"), .selectDown),
        (.pageUp, .selectPageUp), (.pageDown, .selectPageDown), (.home, .selectFirst), (.end, .selectLast),
        (.character(">"), .sortNext), (.character("<"), .sortPrevious), (.character("r"), .sortReverse),
        (.character("/"), .filter), (.character("T"), .toggleTree), (.character("f"), .follow),
        (.character("K"), .terminate), (.character("X"), .kill),
    ])

    public func action(for key: Key) -> Action? {
        bindings.first(where: { $0.key == key })?.action
    }

    /// One line per action (or group of related actions), its keys joined:
    /// `Left Right Up Down h l k j  move focus between panes`.
    public var helpLines: [(keys: String, summary: String)] {
        var order: [String] = []
        var keys: [String: [String]] = [:]
        for b in bindings {
            let line = summaries[b.action] ?? b.action.helpGroup ?? b.action.summary
            if keys[line] == nil { order.append(line) }
            keys[line, default: []].append(b.key.label)
        }
        return order.map { (keys[$0]!.joined(separator: " "), $0) }
    }

}
