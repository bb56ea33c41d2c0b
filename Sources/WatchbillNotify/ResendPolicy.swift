import WatchbillRules

/// Which engine alerts to send at an evaluation, the way Prometheus' rule manager decides:
/// an alert that just fired or resolved goes out at once; a firing one again every
/// `resendInterval`, so the receiver's `endsAt` never lapses; a resolved one again every
/// `resendInterval` for `resolvedResendFor`, in case the first notice was lost; pending
/// ones never. Pure: time comes in as an argument.
public struct ResendPolicy: Sendable {
    public var resendInterval: Double
    public var resolvedResendFor: Double

    /// What was last sent for each alert, by its label set.
    private var lastSent: [Labels: (phase: AlertPhase, at: Double)] = [:]

    public init(resendInterval: Double = NotifyAlert.resendDelay, resolvedResendFor: Double = 15 * 60) {
        self.resendInterval = resendInterval
        self.resolvedResendFor = resolvedResendFor
    }

    /// The alerts due at `now`, remembered as sent. Alerts absent from `alerts` (or back
    /// to pending) are forgotten, so one that returns later counts as new.
    public mutating func due(_ alerts: [(rule: AlertRule, alert: ActiveAlert)], now: Double)
        -> [(rule: AlertRule, alert: ActiveAlert)] {
        var remembered: [Labels: (phase: AlertPhase, at: Double)] = [:]
        var out: [(rule: AlertRule, alert: ActiveAlert)] = []
        for pair in alerts {
            let a = pair.alert
            guard a.phase != .pending else { continue }
            let last = lastSent[a.labels]
            var send = last == nil || last!.phase != a.phase || now - last!.at >= resendInterval
            if a.phase == .resolved, let resolvedAt = a.resolvedAt, now - resolvedAt >= resolvedResendFor { send = false }
            if send {
                out.append(pair)
                remembered[a.labels] = (a.phase, now)
            } else if let last {
                remembered[a.labels] = last
            }
        }
        lastSent = remembered
        return out
    }

    /// The wiring's one call per evaluation: the engine's due alerts as notifications, each
    /// with its group's interval for `endsAt`.
    public mutating func notifications(from engine: AlertEngine, now: Double, generatorURL: String = "") -> [NotifyAlert] {
        var interval: [Labels: Double] = [:]
        var pairs: [(rule: AlertRule, alert: ActiveAlert)] = []
        for group in engine.groups {
            for state in group.rules {
                for alert in state.alerts.values {
                    interval[alert.labels] = group.interval
                    pairs.append((state.rule, alert))
                }
            }
        }
        // The engine keeps alerts in dictionaries; a stable order keeps bodies reproducible.
        pairs.sort { $0.alert.labels.description < $1.alert.labels.description }
        return due(pairs, now: now).compactMap {
            NotifyAlert.from(rule: $0.rule, alert: $0.alert, evalInterval: interval[$0.alert.labels] ?? 0, now: now,
                             generatorURL: generatorURL)
        }
    }
}
