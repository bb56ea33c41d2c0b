import Logging
import WatchbillCore
import WatchbillRecording
import WatchbillScreen

/// The UI loop's reading side: what the workers published since the last pass, and what
/// the state asks for, turned into events (each reduced as soon as it is read, so the
/// next question sees its answer). Nothing here changes the state itself. A class: the
/// effects that `emit` carries out call back into it (a replay's seek) while it gathers.
public final class Gatherer {
    public let collection: CollectionLoop
    public let probes: (any ProbeSummaries)?
    public let fleet: (any FleetSource)?
    public let remoteAlerts: RemoteAlertsLoop?
    public let serviceLatency: ServiceLatencyLoop?
    public let replay: ReplaySource?
    public let log: Logger
    private var fleetSeen = -1
    private var latencySeen = -1
    private var alerts = AlertsRefresh()
    private var journal = AlertActionStore.Watch()

    public init(collection: CollectionLoop, probes: (any ProbeSummaries)?, fleet: (any FleetSource)?, remoteAlerts: RemoteAlertsLoop?,
         serviceLatency: ServiceLatencyLoop?, replay: ReplaySource?, log: Logger) {
        self.collection = collection
        self.probes = probes
        self.fleet = fleet
        self.remoteAlerts = remoteAlerts
        self.serviceLatency = serviceLatency
        self.replay = replay
        self.log = log
    }

    /// A saved silence or acknowledgement: the list is read again at once.
    public func alertsChanged() { alerts.invalidate() }

    /// Reads and emits; the reason to stop when an event's effects said quit.
    public func gather(wants: () -> DashboardRuntime.Wants, incidentMarks: [TimelineMark], at now: TimeReading,
                       incidents: IncidentDesk, emit: (DashboardEvent) -> String?) -> String? {
        var want = wants()
        let points = want.graphPoints
        let last = want.lastSampleTime
        let (data, time, bounds) = collection.read { s -> (DashboardData?, Double, HistoryBounds?) in
            let bounds = s.history.lastIndex.map {
                HistoryBounds(oldest: s.history.firstIndex, newest: $0, perMinute: Int((60 / s.interval).rounded()))
            }
            guard let latest = s.latest, latest.time != last else { return (nil, last, bounds) }
            return (DashboardData(store: s.store, snapshot: latest, points: points, processes: s.processes,
                                  marks: Self.marks(s, incidentMarks, now: latest.wallClock),
                                  clockOffset: latest.wallClock - latest.time), latest.time, bounds)
        }
        if let why = emit(.sample(data, sampleTime: time, bounds: bounds)) { return why }
        if let fleet {
            if let rows = fleet.rows(now: now.wall, points: FleetView.sparkWidth, since: &fleetSeen) {
                if let why = emit(.fleetRows(rows)) { return why }
            }
            if let serviceLatency, let (rows, problem) = serviceLatency.latest(since: &latencySeen) {
                if let why = emit(.serviceLatency(rows, problem: problem)) { return why }
            }
            want = wants()
            fleet.open(want.openHost, points: points)
            if let want = want.fleetHost {
                if let why = emit(.fleetHost(want, fleet.dashboardData(want.id, points: points))) { return why }
            }
        }
        if let want = wants().history {
            let tick = collection.read { s -> (DashboardData, Double, Double)? in
                guard let snap = s.history.snapshot(want.index), let latest = s.latest else { return nil }
                let data = DashboardData(store: s.store, snapshot: snap, points: max(2, 2 * want.width), processes: nil,
                                         moment: snap.time, marks: Self.marks(s, incidentMarks, now: latest.wallClock),
                                         clockOffset: latest.wallClock - latest.time)
                return (data, snap.wallClock, latest.wallClock)
            }
            if let (data, taken, newest) = tick, let why = emit(.historyTick(want, data: data, takenAt: taken, newestAt: newest)) {
                return why
            }
        }
        if let probes, let want = wants().probes {
            let summaries = probes.summaries(at: want.at, window: want.window, detail: want.detail)
            if let why = emit(.probes(summaries, want)) { return why }
        }
        if let replay {
            let position = ReplayPosition(position: replay.position, count: replay.count, step: replay.step,
                                          interval: collection.read { $0.interval }, paused: replay.paused,
                                          start: replay.wallClocks.first ?? 0, end: replay.wallClocks.last ?? 0, marks: replay.marks)
            if position != wants().replayPosition, let why = emit(.replay(position)) { return why }
        }
        if replay == nil, journal.changed(at: now.wall), let (actions, _) = AlertActionStore.read(log: log) {
            collection.replaceActions(actions, at: now.wall)
        }
        // A recording wants every incident entry as it is written, whatever is on screen.
        let wanted = wants().incidents || collection.recorder?.wantsIncidents == true
        if let stored = incidents.refresh(at: now.wall, wanted: wanted), let why = emit(.incidents(stored)) {
            return why
        }
        want = wants()
        if let list = alerts.read(from: collection, remote: remoteAlerts, at: want.liveAlertsAt,
                                  detail: want.alertDetail, detailHistory: want.alertDetailHistory),
           let why = emit(.alerts(list)) {
            return why
        }
        if let list = alerts.rewound(from: collection, to: wants().rewoundAt), let why = emit(.rewoundAlerts(list)) { return why }
        return nil
    }

    /// A replay's keys carried out on its source: the collection starts over at a seek.
    public func steer(_ command: ReplaySteer) {
        guard let replay else { return }
        switch command {
        case .togglePause: replay.paused.toggle()
        case .seek(let index):
            let history = max(1, Int((3600 / replay.step).rounded()))
            let (ticks, results) = replay.seek(to: index, history: history)
            collection.restart(with: ticks, probeResults: results)
        case .speed(let interval): collection.setInterval(interval)
        }
    }

    /// The alerts' and the incidents' marks within the history (a year of incident
    /// entries need not be placed on an hour of graph).
    public static func marks(_ s: borrowing CollectionLoop.Shared, _ incidents: [TimelineMark], now: Double) -> [TimelineMark] {
        let horizon = now - s.history.retention
        return s.alertMarks + incidents.filter { $0.wallClock >= horizon && $0.wallClock <= now + 60 }
    }
}
