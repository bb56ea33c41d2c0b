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
    /// Every silence in the journal, for `watchbill alerts`.
    public static func silences() -> [Silence] {
        var quiet = Logger(label: "watchbill.alerts")
        quiet.logLevel = .critical
        return AlertActionStore.read(log: quiet)?.actions.silences ?? []
    }

    /// `watchbill incident ack`: the incident's linked alerts acknowledged too, journaled so a
    /// running dashboard picks them up; each with nil or why it was not saved.
    public static func acknowledgeLinked(_ incident: Incident, by who: String, at now: Double)
        -> [(ack: Acknowledgement, failure: String?)] {
        guard let alerts = try? read(at: now).items else { return [] }
        return LinkedAlertAcks.acknowledgements(taking: incident, alerts: alerts, by: who, at: now).map {
            ($0, AlertActionStore.append(.acknowledge($0)))
        }
    }

    /// The rules as loaded now (for naming alerts that have ended).
    public static func rules() -> [AlertRule] {
        var quiet = Logger(label: "watchbill.alerts")
        quiet.logLevel = .critical
        return ((try? RuleLoader.engine(log: quiet, restore: false))?.groups ?? []).flatMap { $0.rules.map(\.rule) }
    }

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
/// acknowledged, notes, what was resolved) and the response figures over the shift. What
/// fired comes from the alert history (every firing in the shift, resolved or not); what is
/// pending now comes from the saved state.
public enum ShiftReport {
    public struct Problem: Error { public var message: String }

    /// The report from this account's files: the alert history, the saved alerts, the
    /// silences and the rules; a history that exists and cannot be read is an error.
    public static func fromFiles(incidents: [Incident], since from: Double, now: Double,
                                 timeZoneOffsetSeconds offset: Int) -> Result<String, Problem> {
        var quiet = Logger(label: "watchbill.report")
        quiet.logLevel = .critical
        guard let history = AlertHistoryStore.read(log: quiet) else {
            return .failure(Problem(message: "\(AlertHistoryStore.path): cannot read: \(String(cString: strerror(errno)))"))
        }
        let alerts = (try? SavedAlerts.read(at: now).items) ?? []
        let actions = AlertActionStore.read(log: quiet)?.actions ?? AlertActions()
        return .success(markdown(incidents: incidents, history: history, alerts: alerts, rules: SavedAlerts.rules(),
                                 actions: actions, since: from, now: now, timeZoneOffsetSeconds: offset))
    }

    /// `rules`: to name an alert that has ended since (its summary from the rule's template).
    public static func markdown(incidents: [Incident], history: [AlertHistoryEntry], alerts: [AlertItem],
                                rules: [AlertRule] = [], actions: AlertActions, since from: Double, now: Double,
                                timeZoneOffsetSeconds offset: Int) -> String {
        let byLabels = Dictionary(alerts.map { ($0.labels, $0) }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        func describe(_ labels: Labels) -> (name: String, severity: String, keys: String) {
            let item = byLabels[labels] ?? byName[labels["alertname"] ?? ""].map { rule in
                AlertItem(rule: rule, alert: ActiveAlert(labels: labels, phase: .resolved, value: .nan, activeAt: now, lastSeen: now),
                          actions: AlertActions(), at: now)
            }
            let name = labels["alertname"] ?? "?"
            let summary = item?.summary ?? ""
            let keys = labels.dropping(["alertname", "severity"]).pairs.map { "\($0.name)=\"\($0.value)\"" }
                .joined(separator: ", ")
            return (summary.isEmpty ? name : "\(name): \(summary)", item?.severityLabel ?? labels["severity"] ?? "P3", keys)
        }
        let fired = AlertFirings.during(history, from: from, to: now, actions: actions).map { f -> HandoffAlert in
            let (name, severity, keys) = describe(f.labels)
            return HandoffAlert(
                name: name, severity: severity, labels: keys,
                firings: f.episodes.map { HandoffAlert.Firing(firedAt: $0.firedAt, endedAt: $0.endedAt) },
                silences: f.silences.map { HandoffAlert.Action(by: $0.createdBy, at: $0.startsAt, until: $0.endsAt, comment: $0.comment) },
                acknowledgements: f.acknowledgements.map { HandoffAlert.Action(by: $0.by, at: $0.at, comment: $0.comment) })
        }
        let firedLabels = Set(AlertFirings.during(history, from: from, to: now).map(\.labels))
        let pending = alerts.filter { $0.phase == .pending && !firedLabels.contains($0.labels) }.map { a -> HandoffAlert in
            let (name, severity, keys) = describe(a.labels)
            return HandoffAlert(name: name, severity: severity, labels: keys, pendingSince: a.activeAt,
                                acknowledgements: a.acknowledgement.map { [HandoffAlert.Action(by: $0.by, at: $0.at, comment: $0.comment)] } ?? [])
        }
        return Handoff.markdown(incidents: incidents, since: from, now: now, alerts: fired + pending, timeZoneOffsetSeconds: offset)
            + "\n" + IncidentStats.summarize(incidents, from: from, to: now).markdown(timeZoneOffsetSeconds: offset)
    }
}
