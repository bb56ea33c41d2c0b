#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillIncidents
import WatchbillRules
import WatchbillScreen

/// What the running dashboard last saved of its alerts (it saves every 30 seconds and on
/// every change), rendered with the rules' annotations and the silences and
/// acknowledgements: what `watchbill alerts` prints and the shift report lists.
public enum SavedAlerts {
    public static func read(at now: Double) throws -> (items: [AlertItem], savedAt: Double?) {
        var quiet = Logger(label: "watchbill.alerts")
        quiet.logLevel = .critical
        var engine = try RuleLoader.engine(log: quiet, restore: false)
        let path = RuleLoader.statePath
        var savedAt: Double?
        if let bytes = ProcRoot("/").read(path, limit: 16 << 20) {
            var st = stat()
            if stat(path, &st) == 0 { savedAt = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 }
            engine.restore(AlertStateFile.decode(String(decoding: bytes, as: UTF8.self)), at: now, maxAge: .infinity)
        }
        let actions = AlertActionStore.read(log: quiet)?.actions ?? AlertActions()
        return (AlertsData(engine: engine, actions: actions, at: now).items, savedAt)
    }
}

/// `watchbill report`: the shift handoff in Markdown (open incidents, what fired, what was
/// acknowledged, notes, what was resolved) and the response figures over the shift.
public enum ShiftReport {
    public static func markdown(incidents: [Incident], alerts: [AlertItem], since from: Double, now: Double,
                                timeZoneOffsetSeconds offset: Int) -> String {
        let handoffAlerts = alerts.filter { $0.phase != .resolved }.map {
            HandoffAlert(name: $0.summary.isEmpty ? $0.name : "\($0.name): \($0.summary)", severity: $0.severity.rawValue,
                         state: $0.phase.rawValue, since: $0.firedAt ?? $0.activeAt, acknowledgedBy: $0.acknowledgement?.by)
        }
        return Handoff.markdown(incidents: incidents, since: from, now: now, alerts: handoffAlerts, timeZoneOffsetSeconds: offset)
            + "\n" + IncidentStats.summarize(incidents, from: from, to: now).markdown(timeZoneOffsetSeconds: offset)
    }
}
