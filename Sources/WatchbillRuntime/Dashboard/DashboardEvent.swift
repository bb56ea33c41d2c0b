import WatchbillCore
import WatchbillDomain
import WatchbillIncidents
import WatchbillRules
import WatchbillScreen

/// Everything that reaches the dashboard's state: each becomes one `reduce` step.
public enum DashboardEvent: Sendable {
    /// The keys of one read of the terminal (several at once: a paste).
    case keys([Key])
    case clock(TimeReading)
    case resized(width: Int, height: Int)
    /// This host's newest tick (nil when none arrived since the last), taken at `sampleTime`
    /// on the collector's monotonic clock, and what the history holds.
    case sample(DashboardData?, sampleTime: Double, bounds: HistoryBounds?)
    /// The panes at a history tick: when it was taken and when the newest was.
    case historyTick(HistoryRequest, data: DashboardData, takenAt: Double, newestAt: Double)
    case probes([ProbeSummary], ProbeRequest)
    /// The alert list as it is now (the engine's and the remote ones; a replay's at its head).
    case alerts(AlertsData)
    /// The list as it stood at the moment a rewind shows.
    case rewoundAlerts(AlertsData)
    /// Every incident in the store (as stored now; the runtime shows the moment).
    case incidents(IncidentsData)
    case fleetRows([FleetRow])
    /// An opened fleet host's panes (nil: nothing of it yet), for the request it answers.
    case fleetHost(FleetHostRequest, DashboardData?)
    case serviceLatency([ServiceLatency], problem: String?)
    case replay(ReplayPosition)
    /// What an effect came to, said in the footer: saved, or NOT saved and why.
    case saved(String)
    case notSaved(String)
    case notice(String)
    /// An incident was opened or linked: show it.
    case incidentShown(Int64)
    case runbookLoaded(RunbookPage)
    case signalOutcome(String)
    case recording(String?)
}

/// What the loop must do after a step: talk to the world, then feed the outcome back as an event.
public enum DashboardEffect: Sendable, Equatable {
    /// One of the screen model's effects (a signal, a saved alert action, an incident write...).
    case app(Effect)
    case quit(String)
    case ringBell
    /// A P0 or P1 started paging and `auto_open` is on.
    case openIncident(for: AlertItem)
    case replay(ReplaySteer)
    /// The panes the user now has, for the layout memory.
    case rememberLayout(panes: [String], compact: Bool)
    /// Scan processes only while their pane is on screen.
    case processesWanted(Bool)
    case log(String)
}

/// What the loop should read for the next step, because the state asks for something it
/// does not have: a history tick, probe summaries for a window, an opened fleet host.
public struct HistoryRequest: Sendable, Equatable {
    public var index: Int
    public var width: Int
    public var sampleTime: Double
}

public struct ProbeRequest: Sendable, Equatable {
    /// The whole second of the moment shown (summaries are computed once a second).
    public var second: Int
    public var at: Double
    public var window: LatencyWindow
    public var detail: Int?
}

public struct FleetHostRequest: Sendable, Equatable {
    public var id: String
    public var generation: Int
    public var width: Int
}
