import Testing
@testable import WatchbillRules

struct AlertEngineTests {
    /// Disk usage climbing a point a minute from 85 %: over 90 % from minute 6.
    func disk(until t: Double) -> [RangeSeries] {
        var points: [(Double, Double)] = []
        var x = 0.0
        while x <= t {
            points.append((x, 0.85 + x / 60 / 100))
            x += 15
        }
        return [series(["__name__": "used_ratio", "mountpoint": "/"], points)]
    }

    func diskFull() throws -> AlertRule {
        AlertRule(name: "DiskFull", expr: try Parser.parse("used_ratio > 0.9"), holdFor: 120, labels: ["severity": "P2"])
    }

    func engine() throws -> AlertEngine {
        AlertEngine(groups: [AlertEngine.Group(name: "host", interval: 30, rules: [try diskFull()])])
    }

    @Test func groupsRunOnTheirIntervalAndRulesFireAfterFor() throws {
        var e = try engine()
        var log: [(Double, AlertPhase?)] = []
        var t = 0.0
        while t <= 600 {
            let r = e.tick(at: t, source: MemorySource(disk(until: t)))
            log += r.transitions.filter { $0.labels["alertname"] == "DiskFull" }.map { (t, $0.to) }
            t += 10  // the caller ticks faster than the group's 30 s
        }
        // Over 0.9 from t = 300 (0.85 + 5 points); evaluations at 0, 30, 60, ...: pending at
        // 330 (300 gives exactly 0.9, not over), firing 120 s later at 450.
        #expect(log.map(\.0) == [330, 450])
        #expect(log.map(\.1) == [.pending, .firing])
    }

    @Test func aFailingRuleDoesNotStopTheOthers() throws {
        // `{mountpoint="/"}` selects two series with the same labels but the name: the
        // match is many-to-many, an error at evaluation, reported for that rule alone.
        var e = AlertEngine(groups: [AlertEngine.Group(name: "host", interval: 30, rules: [
            AlertRule(name: "Broken", expr: try Parser.parse("used_ratio + {mountpoint=\"/\"}")),
            AlertRule(name: "DiskFull", expr: try Parser.parse("used_ratio > 0.9")),
        ])])
        let data = [series(["__name__": "used_ratio", "mountpoint": "/"], [(0, 0.95)]),
                    series(["__name__": "size_bytes", "mountpoint": "/"], [(0, 1e12)])]
        let r = e.tick(at: 0, source: MemorySource(data))
        #expect(r.failures.map(\.rule) == ["Broken"])
        #expect(r.failures.first?.cause.hasPrefix("many-to-many matching") == true)
        #expect(r.transitions.map(\.to) == [.pending, .firing])
    }

    @Test func pendingAndFiringAlertsSurviveARestart() throws {
        var e = try engine()
        var t = 0.0
        while t <= 480 {
            _ = e.tick(at: t, source: MemorySource(disk(until: t)))
            t += 30
        }
        let saved = AlertStateFile.encode(e.alerts.map(\.alert))
        #expect(saved.hasPrefix("firing 330.0 450.0 480.0 "))
        // Three minutes later a new process picks up where the old one stopped: still firing,
        // with the same activeAt, and no new pending transition.
        var next = try engine()
        next.restore(AlertStateFile.decode(saved), at: 660)
        let r = next.tick(at: 660, source: MemorySource(disk(until: 660)))
        #expect(r.transitions.isEmpty)
        #expect(next.alerts.first?.alert.phase == .firing && next.alerts.first?.alert.activeAt == 330)
        // Saved too long ago: not trusted, the alert starts over as pending.
        var late = try engine()
        late.restore(AlertStateFile.decode(saved), at: 480 + 3600)
        #expect(late.tick(at: 4080, source: MemorySource(disk(until: 4080))).transitions.map(\.to) == [.pending])
    }

    @Test func firingAlertsCarryTheirRenderedSummaries() throws {
        var e = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 15, rules: [
            AlertRule(name: "DiskFull", expr: try Parser.parse("used_ratio > 0.9"), labels: ["severity": "P1"],
                      annotations: ["summary": "{{ $labels.mountpoint }} is {{ $value | humanizePercentage }} full"]),
            AlertRule(name: "Info", expr: try Parser.parse("used_ratio > 0"), labels: ["severity": "P3"]),
        ])])
        _ = e.tick(at: 0, source: MemorySource([series(["__name__": "used_ratio", "mountpoint": "/"], [(0, 0.95)])]))
        let firing = e.alerts.filter { $0.alert.phase == .firing }.sorted { $0.rule.name < $1.rule.name }
        #expect(firing.map(\.rule.name) == ["DiskFull", "Info"])
        #expect(firing[0].rule.renderedAnnotations(labels: firing[0].alert.labels, value: firing[0].alert.value)
                == ["summary": "/ is 95% full"])
        // A template that does not parse is kept as written.
        var broken = firing[1].rule
        broken.annotations = ["summary": "{{ $nope"]
        #expect(broken.renderedAnnotations(labels: Labels(), value: 1) == ["summary": "{{ $nope"])
    }

    @Test func stateFileEscapesAndSkipsDamage() {
        let a = ActiveAlert(labels: Labels(["alertname": "X", "path": "C:\\\"quoted\"\nline"]), phase: .pending, value: 1.5,
                            activeAt: 10, firedAt: nil, resolvedAt: nil, lastSeen: 20)
        let text = AlertStateFile.encode([a])
        #expect(AlertStateFile.decode(text) == [a])
        #expect(AlertStateFile.decode("firing 1 2\ngarbage\n" + text + "pending x y z 1 a=\"b\"\n") == [a])
    }
}
