/// An alerting rule as the engine runs it.
public struct AlertRule: Sendable, Equatable {
    public var name: String
    public var expr: Expr
    /// How long the expression must hold before the alert fires (pending until then).
    public var holdFor: Double
    /// How long a firing alert stays firing after the expression stops returning it.
    public var keepFiringFor: Double
    public var labels: [String: String] { didSet { labelTemplates = AlertRule.parse(labels.filter { $0.value.contains("{{") }) } }
    /// Label values that are templates (`{{ $labels.instance }}`), rendered for each series.
    public private(set) var labelTemplates: [String: Template]
    public var annotations: [String: String] {
        didSet { (templates, queries) = (AlertRule.parse(annotations), AlertRule.queries(annotations)) }
    }
    /// The annotations parsed once, not at every render (a text that does not parse is absent).
    public private(set) var templates: [String: Template]
    /// The expression as written, for the alert's detail view.
    public var exprText: String
    /// Where the rule came from (`default.rules.yml:9`), so a user knows which file to edit.
    public var source: String

    public init(name: String, expr: Expr, holdFor: Double = 0, keepFiringFor: Double = 0,
                labels: [String: String] = [:], annotations: [String: String] = [:], exprText: String = "",
                source: String = "") {
        self.name = name
        self.exprText = exprText
        self.source = source
        self.expr = expr
        self.holdFor = holdFor
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        templates = AlertRule.parse(annotations)
        queries = AlertRule.queries(annotations)
        labelTemplates = AlertRule.parse(labels.filter { $0.value.contains("{{") })
    }

    static func parse(_ annotations: [String: String]) -> [String: Template] {
        annotations.compactMapValues { try? Template($0) }
    }

    /// The annotations rendered for one alert; a template that failed to parse keeps its text.
    /// As in Prometheus, `$labels` are the series' labels: its metric name when the result
    /// kept one, not `alertname` nor the labels the rule adds.
    public func renderedAnnotations(labels: Labels, value: Double, metricName: String? = nil,
                                    query: ((String) throws -> [Sample])? = nil) -> [String: String] {
        var own = labels.dropping(Set(self.labels.keys).union(["alertname"]))
        if let metricName { own["__name__"] = metricName }
        return annotations.merging(templates.mapValues { $0.render(labels: own, value: value, query: query) }) { $1 }
    }

    /// The alert's annotations as shown: rendered when the rule was evaluated (with `query`
    /// answered) if its templates query, else rendered now.
    public func annotations(of alert: ActiveAlert) -> [String: String] {
        alert.annotations ?? renderedAnnotations(labels: alert.labels, value: alert.value, metricName: alert.metricName)
    }

    /// Whether any template asks `query`: only those are rendered at each evaluation. Worked
    /// out once, as the engine asks at every evaluation.
    private(set) var queries: Bool

    static func queries(_ annotations: [String: String]) -> Bool { annotations.values.contains { $0.contains("query") } }
}

public enum AlertPhase: String, Sendable, Codable {
    case pending, firing, resolved
}

/// One alert: a rule and the label set that identifies it. Its value is kept, never put
/// into its labels, so a changing value never makes a new alert.
public struct ActiveAlert: Sendable, Equatable {
    public var labels: Labels
    public var phase: AlertPhase
    public var value: Double
    /// When the expression first returned this label set (this time round).
    public var activeAt: Double
    public var firedAt: Double?
    public var resolvedAt: Double?
    /// The last evaluation that returned it.
    public var lastSeen: Double
    /// The metric name the series had (not part of the alert's identity; templates show it).
    public var metricName: String?
    /// Annotations rendered at the last evaluation, for rules whose templates `query`.
    public var annotations: [String: String]?

    public init(labels: Labels, phase: AlertPhase, value: Double, activeAt: Double, firedAt: Double? = nil,
                resolvedAt: Double? = nil, lastSeen: Double) {
        self.labels = labels
        self.phase = phase
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSeen = lastSeen
    }

    /// The same alert: the metric name, kept only for templates, does not count.
    public static func == (a: ActiveAlert, b: ActiveAlert) -> Bool {
        a.labels == b.labels && a.phase == b.phase && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
            && a.activeAt == b.activeAt && a.firedAt == b.firedAt && a.resolvedAt == b.resolvedAt && a.lastSeen == b.lastSeen
    }
}

/// A change worth telling someone about.
public struct AlertTransition: Sendable, Equatable {
    public var labels: Labels
    public var from: AlertPhase?
    public var to: AlertPhase?
    public var at: Double

    public init(labels: Labels, from: AlertPhase?, to: AlertPhase?, at: Double) {
        self.labels = labels
        self.from = from
        self.to = to
        self.at = at
    }
}

/// Prometheus' alerting state machine for one rule: inactive → pending (until `holdFor`
/// has passed) → firing → resolved; `keepFiringFor` holds a firing alert through brief
/// gaps; a resolved alert is kept for `resolvedRetention` so notifiers can send it.
public struct AlertRuleState: Sendable {
    public let rule: AlertRule
    public private(set) var alerts: [Labels: ActiveAlert] = [:]
    public static let resolvedRetention = 15.0 * 60
    /// Alerts put back after a restart whose condition is not known yet: until
    /// `knownAfter` (the rule's windows filled again), an evaluation that does not return
    /// one leaves it as it was, rather than resolving it or dropping its pending clock.
    private var restored: Set<Labels> = []
    private var knownAfter = -Double.infinity

    public init(rule: AlertRule) { self.rule = rule }

    /// Renders the annotations of every alert not resolved, `query` answered at this evaluation.
    mutating func render(using query: @escaping (String) throws -> [Sample]) {
        for (id, var a) in alerts where a.phase != .resolved {
            a.annotations = rule.renderedAnnotations(labels: a.labels, value: a.value, metricName: a.metricName, query: query)
            alerts[id] = a
        }
    }

    /// The identity of an alert for a sample: its labels without the metric name, the
    /// rule's labels over them, and `alertname`.
    public func identity(of sample: Sample) -> Labels {
        var l = sample.labels.withoutName
        // A templated label is rendered with the series' labels and value, as Prometheus does.
        for (k, v) in rule.labels { l[k] = rule.labelTemplates[k]?.render(labels: sample.labels, value: sample.value) ?? v }
        l["alertname"] = rule.name
        return l
    }

    /// Applies one evaluation's result at `t`; returns what changed.
    public mutating func apply(_ result: [Sample], at t: Double) -> [AlertTransition] {
        var changes: [AlertTransition] = []
        var seen: Set<Labels> = []
        if t >= knownAfter { restored.removeAll() }
        for sample in result {
            let id = identity(of: sample)
            seen.insert(id)
            restored.remove(id)
            if var a = alerts[id], a.phase != .resolved {
                a.value = sample.value
                a.lastSeen = t
                a.metricName = sample.labels.metricName
                alerts[id] = a
            } else {
                var a = ActiveAlert(labels: id, phase: .pending, value: sample.value, activeAt: t, firedAt: nil, resolvedAt: nil, lastSeen: t)
                a.metricName = sample.labels.metricName
                alerts[id] = a
                changes.append(AlertTransition(labels: id, from: nil, to: .pending, at: t))
            }
        }
        for (id, var a) in alerts {
            if seen.contains(id) {
                if a.phase == .pending && t - a.activeAt >= rule.holdFor {
                    a.phase = .firing
                    a.firedAt = t
                    changes.append(AlertTransition(labels: id, from: .pending, to: .firing, at: t))
                }
                alerts[id] = a
                continue
            }
            // Empty right after a start is "not known yet", not "false".
            if restored.contains(id) { continue }
            switch a.phase {
            case .pending:
                alerts[id] = nil
                changes.append(AlertTransition(labels: id, from: .pending, to: nil, at: t))
            case .firing:
                if rule.keepFiringFor > 0 && t - a.lastSeen < rule.keepFiringFor { continue }
                a.phase = .resolved
                a.resolvedAt = t
                alerts[id] = a
                changes.append(AlertTransition(labels: id, from: .firing, to: .resolved, at: t))
            case .resolved:
                if t - (a.resolvedAt ?? t) >= AlertRuleState.resolvedRetention { alerts[id] = nil }
            }
        }
        return changes.sorted { $0.labels.description < $1.labels.description }
    }

    /// Puts back alerts saved before a restart (the caller drops ones too old to trust).
    /// Until `knownAfter`, an evaluation that does not return one of them keeps it as it
    /// was: the series the rule reads are still filling, so its absence means nothing yet.
    public mutating func restore(_ saved: [ActiveAlert], knownAfter: Double = -.infinity) {
        for a in saved {
            alerts[a.labels] = a
            restored.insert(a.labels)
        }
        self.knownAfter = knownAfter
    }
}
