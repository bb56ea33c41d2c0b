import WatchbillRules

/// One alert as it leaves Watchbill: the shape both Alertmanager's API and its webhook
/// format share. Times are Unix epoch seconds.
public struct NotifyAlert: Sendable, Equatable {
    public enum Status: String, Sendable { case firing, resolved }

    /// The alert's identity, `alertname` included.
    public var labels: [String: String]
    /// Already rendered: receivers get text, never templates.
    public var annotations: [String: String]
    public var startsAt: Double
    public var endsAt: Double
    public var generatorURL: String
    public var status: Status

    /// Prometheus' resend delay (`--rules.alert.resend-delay`): alerts go out at most this
    /// often and a firing alert stays valid for four of these or four evaluation intervals.
    public static let resendDelay = 60.0

    public init(labels: [String: String], annotations: [String: String] = [:], startsAt: Double, endsAt: Double,
                generatorURL: String = "", status: Status) {
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
        self.status = status
    }

    /// Status from `endsAt`, the way Alertmanager reads an alert: over once its end has passed.
    public init(labels: [String: String], annotations: [String: String] = [:], startsAt: Double, endsAt: Double,
                generatorURL: String = "", now: Double) {
        self.init(labels: labels, annotations: annotations, startsAt: startsAt, endsAt: endsAt,
                  generatorURL: generatorURL, status: endsAt <= now ? .resolved : .firing)
    }

    public var fingerprint: String { Fingerprint.of(labels) }

    /// The status a receiver sees at `now`: a firing alert whose `endsAt` has passed
    /// without a resend is resolved, as Alertmanager treats it.
    public func status(at now: Double) -> Status { status == .resolved || endsAt <= now ? .resolved : .firing }

    /// What Prometheus sends for an engine alert; nil for a pending one, which is never sent.
    /// A firing alert claims validity for `4 × max(evalInterval, resendDelay)`, so a few
    /// lost resends do not resolve it at the receiver but a dead Watchbill does.
    public static func from(rule: AlertRule, alert: ActiveAlert, evalInterval: Double, now: Double,
                            generatorURL: String = "") -> NotifyAlert? {
        let labels = Dictionary(alert.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        // Rules are checked at load; a template that still fails is better sent raw than dropped.
        let annotations = rule.annotations(of: alert)
        let startsAt = alert.firedAt ?? alert.activeAt
        switch alert.phase {
        case .pending:
            return nil
        case .firing:
            return NotifyAlert(labels: labels, annotations: annotations, startsAt: startsAt,
                               endsAt: now + 4 * max(evalInterval, resendDelay), generatorURL: generatorURL,
                               status: .firing)
        case .resolved:
            return NotifyAlert(labels: labels, annotations: annotations, startsAt: startsAt,
                               endsAt: alert.resolvedAt ?? now, generatorURL: generatorURL, status: .resolved)
        }
    }
}
