import WatchbillFleet
import WatchbillRules
import WatchbillScreen

/// Copies the alert state the screen shows out of the collection thread: the list when the
/// engine or an action moved on, and the open detail's value history, which costs a
/// hundred evaluations, only when the detail changes or every `historyEvery` seconds.
struct AlertsRefresh {
    private var generation = -1
    private var paging: Set<Labels>?
    private var historyAt = -Double.infinity
    private var remoteGeneration = -1
    private var remoteAlerts: [RemoteAlert] = []
    private var remoteProblems: [String] = []
    let historyEvery = 10.0

    mutating func invalidate() { generation = -1 }

    /// Updates `state.alerts` and the wall banner; returns the P0 and P1 alerts that
    /// started paging since the last call (none on the first, which would ring for
    /// restored alerts).
    mutating func refresh(_ state: inout AppState, from collection: CollectionLoop, remote: RemoteAlertsLoop? = nil,
                          at now: Double) -> [AlertItem] {
        state.alerts.now = now
        let detail = state.alertView.detail ? state.alertView.detailLabels : nil
        let historyDue = detail != nil && (state.alerts.history?.labels != detail || now - historyAt >= historyEvery)
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
                                                                                  source: s.metrics, at: now))
            }
            var data = AlertsData(engine: s.engine, actions: s.actions, at: now, failures: s.ruleFailures + remoteProblems)
            if !remoteAlerts.isEmpty {
                data = AlertsData(items: data.items + RemoteAlertsLoop.items(remoteAlerts, actions: s.actions, at: now),
                                  silences: data.silences, now: now, ruleCount: data.ruleCount, failures: data.failures)
            }
            return (s.alertsGeneration, data, history)
        }) else { return [] }
        generation = fresh.0
        var data = fresh.1
        if let history = fresh.2 {
            data.history = history
            historyAt = now
        } else if detail != nil {
            data.history = state.alerts.history
        }
        state.alerts = data
        let count = state.visibleAlerts.count
        state.alertView.selected = max(0, min(state.alertView.selected, count - 1))
        state.firing = data.paging.map { FiringAlert(severity: $0.severity, text: "\($0.name): " + ($0.summary.isEmpty ? "\($0.keyLabels)" : $0.summary)) }
        let nowPaging = Set(data.paging.map(\.labels))
        defer { paging = nowPaging }
        guard let before = paging else { return [] }
        return data.paging.filter { !before.contains($0.labels) }
    }
}
