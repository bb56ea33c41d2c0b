import WatchbillCore
import WatchbillDomain

/// What each pane draws, cut out of the app state: a pane sees its own figures and view
/// settings, never the whole state, so what it may show is written down here.

/// The Latency and SLO panes.
struct ProbePaneModel {
    var probes: [ProbeSummary]
    var view: ProbeViewState
    /// The panes are rewound (`H`) but probe windows are not kept per tick: they say "now".
    var showingNow: Bool
    var glyphs: GlyphSet

    init(_ state: AppState) {
        probes = state.shown.probes
        view = state.probeView
        showingNow = state.history != nil
        glyphs = state.glyphs
    }
}

/// The Alerts pane.
struct AlertsPaneModel {
    var visible: [AlertItem]
    var mutedCount: Int
    var showSuppressed: Bool
    var sourceProblems: [String]
    var ruleFailures: [String]
    var ruleCount: Int
    /// `21:55:27` when the list is a past moment's.
    var asOf: String?
    /// The moment ages are measured from.
    var now: Double
    var selected: Int
    var glyphs: GlyphSet

    init(_ state: AppState) {
        visible = state.visibleAlerts
        mutedCount = state.alerts.items.filter(\.suppressed).count
        showSuppressed = state.alertView.showSuppressed
        sourceProblems = state.alerts.sourceProblems
        ruleFailures = state.alerts.failures
        ruleCount = state.alerts.ruleCount
        asOf = state.alerts.asOf
        now = state.alerts.now
        selected = state.alertView.selected
        glyphs = state.glyphs
    }
}

/// The Processes pane.
struct ProcessesPaneModel {
    /// Every process scanned (nil: none to show, and `missing` says why).
    var all: [ProcessActivity]?
    var rows: [ProcessRow]
    var view: ProcessViewState
    var missing: String
    /// The host's uptime, for each process's age.
    var uptime: Double?
    var glyphs: GlyphSet

    init(_ state: AppState) {
        all = state.shown.processes
        uptime = state.shown.snapshot?.uptimeSeconds
        rows = state.processRows
        view = state.processes
        missing = state.fleetView.openHost != nil ? "node_exporter does not serve processes"
            : state.history != nil ? "not kept in history; Esc returns to live" : "scanning..."
        glyphs = state.glyphs
    }
}
