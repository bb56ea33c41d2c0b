import WatchbillFleet
import WatchbillRules
import WatchbillScreen

/// Copies the alert state the screen shows out of the collection thread: the list when the
/// engine or an action moved on, and the open detail's value history, which costs a
/// hundred evaluations, only when the detail changes or every `historyEvery` seconds.
/// While rewinding, the list as it stood at the moment viewed.
public struct AlertsRefresh {
    private var generation = -1
    private var historyAt = -Double.infinity
    private var remoteGeneration = -1
    private var remoteAlerts: [RemoteAlert] = []
    private var remoteProblems: [String] = []
    /// The moment of the rewound list on screen.
    private var rewoundTo: Double?
    public let historyEvery = 10.0

    public mutating func invalidate() { generation = -1 }

    /// The list as it stood at a rewound moment, when the moment moved since the last
    /// call. Only this dashboard's own alerts are kept over time: remote ones are now-only.
    public mutating func rewound(from collection: CollectionLoop, to moment: Double?) -> AlertsData? {
        guard let at = moment else {
            rewoundTo = nil
            return nil
        }
        guard rewoundTo != at else { return nil }
        rewoundTo = at
        return collection.read { s in
            AlertsData(items: s.alertTimeline.items(at: at), silences: s.actions.silences, now: at,
                       ruleCount: s.engine.groups.reduce(0) { $0 + $1.rules.count }, failures: s.ruleFailures)
        }
    }

    /// The list as it is at `now` (a replay's newest tick in a replay) when the engine, an
    /// action or the remote sources moved on; nil when nothing did. `detail`: the labels
    /// of the alert whose detail is open, for its value history.
    public mutating func read(from collection: CollectionLoop, remote: RemoteAlertsLoop? = nil, at now: Double,
                              detail: Labels?, detailHistory: AlertHistory?) -> AlertsData? {
        let historyDue = detail != nil && (detailHistory?.labels != detail || now - historyAt >= historyEvery || now < historyAt)
        // Prometheus' and Alertmanager's alerts, when their loop has read them again.
        let others = remote?.shared.withLock { r -> (Int, [RemoteAlert], [String])? in
            r.generation == remoteGeneration ? nil : (r.generation, r.alerts, r.problems)
        }
        if let others {
            remoteGeneration = others.0
            remoteAlerts = others.1
            remoteProblems = others.2
        }
        let seen = others == nil ? generation : -1
        let (remoteAlerts, remoteProblems) = (self.remoteAlerts, self.remoteProblems)
        guard let fresh = collection.read({ s -> (Int, AlertsData, AlertHistory?)? in
            guard s.alertsGeneration != seen || historyDue else { return nil }
            var history: AlertHistory?
            if historyDue, let labels = detail, let pair = s.engine.alerts.first(where: { $0.alert.labels == labels }) {
                history = AlertHistory(labels: labels, graph: AlertGraph.compute(rule: pair.rule, alert: labels,
                                                                                  source: s.engine.seriesSource(over: s.rulesSource), at: now))
            }
            var data = AlertsData(engine: s.engine, actions: s.actions, at: now, failures: s.ruleFailures)
            if !remoteAlerts.isEmpty {
                data = AlertsData(items: data.items + RemoteAlertMerge.items(remoteAlerts, actions: s.actions, at: now),
                                  silences: data.silences, now: now, ruleCount: data.ruleCount, failures: data.failures)
            }
            data.sourceProblems = remoteProblems
            return (s.alertsGeneration, data, history)
        }) else { return nil }
        generation = fresh.0
        var data = fresh.1
        if let history = fresh.2 {
            data.history = history
            historyAt = now
        }
        return data
    }
}
