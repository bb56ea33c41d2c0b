import WatchbillCore
import WatchbillFleet
import WatchbillRules
import WatchbillScreen

/// Prometheus' and Alertmanager's alerts as the Alerts pane lists them, beside this
/// dashboard's own. An alert both systems hold is shown once, as Alertmanager's copy, which
/// knows about its silences and inhibitions; this dashboard's silences and
/// acknowledgements apply to them as to its own.
public enum RemoteAlertMerge {
    public static func items(_ alerts: [RemoteAlert], actions: AlertActions, at now: Double) -> [AlertItem] {
        let managed = Set(alerts.filter { $0.source.system == .alertmanager }.map(\.labels))
        return alerts.filter { $0.source.system == .alertmanager || !managed.contains($0.labels) }.map { a in
            AlertItem(origin: a.source, labels: a.labels, annotations: a.annotations, phase: a.state == .firing ? .firing : .pending,
                      activeAt: a.activeAt ?? now, value: a.value, remoteSuppression: a.suppressedBy, actions: actions, at: now)
        }
    }

    /// The fleet table's alerts column: firing remote alerts counted by their `instance`
    /// label, matched to a row by its address or its host name.
    public static func firingByHost(_ items: [AlertItem], rows: [FleetRow]) -> [Int] {
        var byInstance: [String: Int] = [:]
        for a in items where a.origin != nil && a.phase == .firing {
            if let i = a.labels["instance"] { byInstance[i, default: 0] += 1 }
        }
        return rows.map { row in (byInstance[row.id] ?? 0) + (row.name != row.id ? byInstance[row.name] ?? 0 : 0) }
    }
}
