import WatchbillCore
import WatchbillIncidents
import WatchbillRules

/// One alert as the Alerts pane and its detail show it: the engine's state, the rule's
/// rendered annotations, and what people did about it.
public struct AlertItem: Sendable, Equatable {
    public var name: String
    /// P0 to P3; a rule without one counts as P3.
    public var severity: Severity
    /// The `severity` label as written (`critical` from another team's rules), shown as is.
    public var severityLabel: String
    public var phase: AlertPhase
    public var labels: Labels
    public var value: Double
    public var activeAt: Double
    public var firedAt: Double?
    public var resolvedAt: Double?
    public var lastSeen: Double
    /// Annotations rendered with the alert's labels and value (summary, description, ...).
    public var annotations: [String: String]
    public var expr: String
    public var source: String
    public var holdFor: Double
    public var silencedBy: [Silence]
    public var acknowledgement: Acknowledgement?
    /// Where an alert another system holds came from; nil for this dashboard's own rules.
    public var origin: AlertOrigin?
    /// Why Alertmanager is not paging anyone for it (a silence or an inhibition there).
    public var remoteSuppression: String?

    public var summary: String { annotations["summary"] ?? "" }
    public var runbook: String { annotations["runbook_url"] ?? "" }
    public var suppressed: Bool { !silencedBy.isEmpty || remoteSuppression != nil }
    /// The labels that tell alerts of one rule apart (the name and severity are columns).
    public var keyLabels: Labels { labels.dropping(["alertname", "severity"]) }

    /// An alert Prometheus or Alertmanager holds: its own labels and annotations; this
    /// dashboard's silences and acknowledgements apply to it as to its own.
    public init(origin: AlertOrigin, labels: [String: String], annotations: [String: String], phase: AlertPhase, activeAt: Double,
                value: Double?, remoteSuppression: String?, actions: AlertActions, at now: Double) {
        let l = Labels(labels)
        name = labels["alertname"] ?? "?"
        severity = Severity(label: labels["severity"])
        severityLabel = labels["severity"] ?? severity.rawValue
        self.phase = phase
        self.labels = l
        self.value = value ?? .nan
        self.activeAt = activeAt
        firedAt = phase == .firing ? activeAt : nil
        resolvedAt = nil
        lastSeen = now
        self.annotations = annotations
        expr = ""
        source = origin.description
        holdFor = 0
        silencedBy = actions.silences(muting: l, at: now)
        acknowledgement = actions.acknowledgements[l].flatMap { $0.at >= activeAt ? $0 : nil }
        self.origin = origin
        self.remoteSuppression = remoteSuppression
    }

    /// From the engine's rule and alert, with annotations rendered as Prometheus does (a
    /// template that fails keeps its text).
    public init(rule: AlertRule, alert: ActiveAlert, actions: AlertActions, at now: Double) {
        name = rule.name
        severity = Severity.of(alert.labels)
        severityLabel = alert.labels["severity"] ?? severity.rawValue
        phase = alert.phase
        labels = alert.labels
        value = alert.value
        activeAt = alert.activeAt
        firedAt = alert.firedAt
        resolvedAt = alert.resolvedAt
        lastSeen = alert.lastSeen
        annotations = rule.annotations(of: alert)
        expr = rule.exprText
        source = rule.source
        holdFor = rule.holdFor
        silencedBy = alert.phase == .resolved ? [] : actions.silences(muting: alert.labels, at: now)
        // An acknowledgement is of this occurrence: one older than the alert's start was of
        // an earlier one that resolved.
        acknowledgement = actions.acknowledgements[alert.labels].flatMap { $0.at >= alert.activeAt ? $0 : nil }
    }
}

/// Everything alert-related the screen shows, copied out of the engine once per pass.
public struct AlertsData: Sendable, Equatable {
    /// Grouped by rule: groups by their worst severity, then the newest first; inside a
    /// group, by severity, then firing before pending before resolved, newest first.
    public var items: [AlertItem] = []
    public var silences: [Silence] = []
    /// The moment shown (wall clock), which every age is measured from.
    public var now: Double = 0
    /// `21:55:27` when the list is as it stood at a past moment (a rewind); nil when live
    /// or when a replay's own engine made it at the replay's moment.
    public var asOf: String?
    public var ruleCount = 0
    /// Rules whose last evaluation failed, as `group/rule: cause`.
    public var failures: [String] = []
    /// Prometheus or Alertmanager not answering (`alertmanager 10.0.0.5:9093: refused`):
    /// their alerts are missing from the list.
    public var sourceProblems: [String] = []
    /// The selected alert's value over the last half hour, for its detail view.
    public var history: AlertHistory?

    public init(items: [AlertItem] = [], silences: [Silence] = [], now: Double = 0, ruleCount: Int = 0,
                failures: [String] = []) {
        self.items = AlertsData.ordered(items)
        self.silences = silences
        self.now = now
        self.ruleCount = ruleCount
        self.failures = failures
    }

    public init(engine: AlertEngine, actions: AlertActions, at now: Double, failures: [String] = []) {
        self.init(items: engine.alerts.map { AlertItem(rule: $0.rule, alert: $0.alert, actions: actions, at: now) },
                  silences: actions.silences, now: now,
                  ruleCount: engine.groups.reduce(0) { $0 + $1.rules.count }, failures: failures)
    }

    static func phaseRank(_ p: AlertPhase) -> Int {
        switch p {
        case .firing: return 0
        case .pending: return 1
        case .resolved: return 2
        }
    }

    static func ordered(_ items: [AlertItem]) -> [AlertItem] {
        func before(_ a: AlertItem, _ b: AlertItem) -> Bool {
            if a.severity != b.severity { return a.severity < b.severity }
            if a.phase != b.phase { return phaseRank(a.phase) < phaseRank(b.phase) }
            if a.activeAt != b.activeAt { return a.activeAt > b.activeAt }
            return a.labels.description < b.labels.description
        }
        let groups = Dictionary(grouping: items, by: \.name).values.map { $0.sorted(by: before) }
        return groups.sorted { a, b in
            let x = a[0], y = b[0]
            if x.severity != y.severity { return x.severity < y.severity }
            if phaseRank(x.phase) != phaseRank(y.phase) { return phaseRank(x.phase) < phaseRank(y.phase) }
            let newestA = a.map(\.activeAt).max()!, newestB = b.map(\.activeAt).max()!
            return newestA != newestB ? newestA > newestB : x.name < y.name
        }.flatMap { $0 }
    }

    /// What the pane lists: without suppressed (silenced) alerts unless asked for.
    public func visible(showSuppressed: Bool) -> [AlertItem] {
        showSuppressed ? items : items.filter { !$0.suppressed }
    }

    /// Firing P0 and P1 alerts no silence mutes: what the banner and the bell are for.
    public var paging: [AlertItem] {
        items.filter { $0.phase == .firing && $0.severity.pages && !$0.suppressed }
    }

    /// Pending or firing and not silenced: what makes the Alerts row appear.
    public var activeCount: Int { items.filter { $0.phase != .resolved && !$0.suppressed }.count }
}

/// The value of one alert's expression over time, computed while its detail is open.
public struct AlertHistory: Sendable, Equatable {
    public var labels: Labels
    public var graph: AlertGraph

    public init(labels: Labels, graph: AlertGraph) {
        self.labels = labels
        self.graph = graph
    }
}
