import Testing
@testable import WatchbillNotify
import WatchbillRules

/// The resend rules against a fake clock: the engine evaluates every 15 s.
struct ResendPolicyTests {
    let rule = AlertRule(name: "DiskFull", expr: .number(1), labels: ["severity": "P2"])
    let id = Labels(["alertname": "DiskFull", "mountpoint": "/", "severity": "P2"])

    func alert(_ phase: AlertPhase, resolvedAt: Double? = nil, labels: Labels? = nil) -> (rule: AlertRule, alert: ActiveAlert) {
        (rule, ActiveAlert(labels: labels ?? id, phase: phase, value: 1, activeAt: 0, firedAt: phase == .pending ? nil : 0,
                           resolvedAt: resolvedAt, lastSeen: 0))
    }

    /// The times in `ticks` at which the policy sends the alert `at` gives.
    func sendTimes(_ policy: inout ResendPolicy, ticks: StrideThrough<Double>,
                   _ at: (Double) -> (rule: AlertRule, alert: ActiveAlert)?) -> [Double] {
        ticks.filter { t in !policy.due(at(t).map { [$0] } ?? [], now: t).isEmpty }
    }

    @Test func firingIsSentAtOnceThenEveryMinute() {
        var p = ResendPolicy()
        let times = sendTimes(&p, ticks: stride(from: 0, through: 180, by: 15)) { _ in alert(.firing) }
        #expect(times == [0, 60, 120, 180])
    }

    @Test func resolvedIsSentAtOnceThenEveryMinuteForFifteenMinutes() {
        var p = ResendPolicy()
        // Firing from 0, resolved at 90.
        let times = sendTimes(&p, ticks: stride(from: 0, through: 1200, by: 15)) { t in
            t < 90 ? alert(.firing) : alert(.resolved, resolvedAt: 90)
        }
        #expect(times.filter { $0 < 90 } == [0, 60])
        // At once on resolving, then every 60 s while less than 900 s have passed since.
        let resolvedSends = times.filter { $0 >= 90 }
        #expect(resolvedSends.first == 90)
        #expect(resolvedSends == Array(stride(from: 90.0, to: 90 + 900, by: 60)))
        #expect(resolvedSends.last == 930)
    }

    @Test func pendingIsNeverSent() {
        var p = ResendPolicy()
        #expect(sendTimes(&p, ticks: stride(from: 0, through: 300, by: 15)) { _ in alert(.pending) }.isEmpty)
    }

    @Test func anAlertThatVanishesIsForgottenAndCountsAsNewWhenBack() {
        var p = ResendPolicy()
        #expect(p.due([alert(.firing)], now: 0).count == 1)
        #expect(p.due([], now: 15).isEmpty)
        // Back 15 s later: new, so sent at once rather than at 60.
        #expect(p.due([alert(.firing)], now: 30).count == 1)
    }

    @Test func eachLabelSetHasItsOwnClock() {
        var p = ResendPolicy()
        let other = Labels(["alertname": "DiskFull", "mountpoint": "/var", "severity": "P2"])
        #expect(p.due([alert(.firing)], now: 0).count == 1)
        let at30 = p.due([alert(.firing), alert(.firing, labels: other)], now: 30)
        #expect(at30.map(\.alert.labels) == [other])
        let at60 = p.due([alert(.firing), alert(.firing, labels: other)], now: 60)
        #expect(at60.map(\.alert.labels) == [id])
    }

    @Test func notificationsFromTheEngineUseTheGroupInterval() throws {
        let rules = [AlertRule(name: "AlwaysOn", expr: .number(1), labels: ["severity": "P3"],
                               annotations: ["summary": "value {{ $value }}"])]
        var engine = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 120, rules: rules)])
        let source = MetricStore()
        _ = engine.tick(at: 1000, source: source)
        var p = ResendPolicy()
        let sent = p.notifications(from: engine, now: 1000, generatorURL: "http://wb/")
        let n = try #require(sent.first)
        #expect(sent.count == 1)
        #expect(n.labels == ["alertname": "AlwaysOn", "severity": "P3"] && n.annotations == ["summary": "value 1"])
        #expect(n.endsAt == 1000 + 4 * 120)
        #expect(n.generatorURL == "http://wb/")
        #expect(p.notifications(from: engine, now: 1000).isEmpty)
    }
}
