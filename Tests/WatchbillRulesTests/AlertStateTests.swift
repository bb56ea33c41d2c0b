import Testing
@testable import WatchbillRules

/// The state machine against a fake clock: one evaluation every 15 s.
struct AlertStateTests {
    let rule = AlertRule(name: "DiskFull", expr: .number(1), holdFor: 60, keepFiringFor: 0, labels: ["severity": "P2"])

    func sample(_ mount: String, _ v: Double) -> Sample {
        Sample(labels: Labels(["__name__": "used", "mountpoint": mount]), value: v)
    }

    @Test func pendingThenFiringAfterForThenResolved() {
        var s = AlertRuleState(rule: rule)
        let id = Labels(["alertname": "DiskFull", "mountpoint": "/", "severity": "P2"])
        #expect(s.apply([sample("/", 0.95)], at: 0) == [AlertTransition(labels: id, from: nil, to: .pending, at: 0)])
        // Still pending at 45 s; firing at 60 s, when `for` has passed.
        for t in [15.0, 30, 45] { #expect(s.apply([sample("/", 0.96)], at: t).isEmpty) }
        #expect(s.apply([sample("/", 0.97)], at: 60) == [AlertTransition(labels: id, from: .pending, to: .firing, at: 60)])
        #expect(s.alerts[id]?.value == 0.97 && s.alerts[id]?.firedAt == 60)
        // The value changes; the identity does not.
        #expect(s.apply([sample("/", 0.99)], at: 75).isEmpty)
        #expect(s.alerts.count == 1)
        #expect(s.apply([], at: 90) == [AlertTransition(labels: id, from: .firing, to: .resolved, at: 90)])
        #expect(s.alerts[id]?.phase == .resolved)
        // Kept 15 minutes for the notifiers, then gone.
        _ = s.apply([], at: 90 + 899)
        #expect(s.alerts[id] != nil)
        _ = s.apply([], at: 90 + 900)
        #expect(s.alerts.isEmpty)
    }

    @Test func aPendingAlertThatGoesAwayNeverFires() {
        var s = AlertRuleState(rule: rule)
        _ = s.apply([sample("/", 0.95)], at: 0)
        let changes = s.apply([], at: 15)
        #expect(changes.map(\.to) == [nil] && changes.map(\.from) == [.pending])
        #expect(s.alerts.isEmpty)
    }

    @Test func keepFiringForBridgesGaps() {
        var r = rule
        r.keepFiringFor = 120
        var s = AlertRuleState(rule: r)
        for t in stride(from: 0.0, through: 60, by: 15) { _ = s.apply([sample("/", 1)], at: t) }
        // Gone from the result for 105 s: still firing; at 120 s without it: resolved.
        for t in stride(from: 75.0, through: 165, by: 15) { #expect(s.apply([], at: t).isEmpty) }
        #expect(s.alerts.values.first?.phase == .firing)
        #expect(s.apply([], at: 180).map(\.to) == [.resolved])
    }

    @Test func resolvedThenBackIsANewAlert() {
        var r = rule
        r.holdFor = 0
        var s = AlertRuleState(rule: r)
        _ = s.apply([sample("/", 1)], at: 0)
        #expect(s.apply([sample("/", 1)], at: 15).isEmpty)  // already firing: for 0 fires at once
        _ = s.apply([], at: 30)
        let back = s.apply([sample("/", 1)], at: 45)
        #expect(back.map(\.to) == [.pending, .firing])  // for: 0 fires in the same evaluation
        #expect(s.alerts.values.first?.activeAt == 45)
    }

    @Test func eachLabelSetIsItsOwnAlert() {
        var s = AlertRuleState(rule: rule)
        _ = s.apply([sample("/", 1), sample("/data", 1)], at: 0)
        #expect(s.alerts.count == 2)
        _ = s.apply([sample("/data", 1)], at: 15)
        #expect(s.alerts.keys.map { $0["mountpoint"] } == ["/data"])
    }
}
