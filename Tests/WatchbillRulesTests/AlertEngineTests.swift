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
        #expect(r.failures.first?.cause.contains("many-to-many matching not allowed") == true)
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

    /// The drill's defect: a rule whose expression is empty until its window fills
    /// (`rate(...[1m])`) resolved the restored alert in the first second after a restart,
    /// then went pending and fired again with its age reset. Empty right after a start is
    /// "not known yet": the restored alert keeps its state and clocks until the window has
    /// filled and the group has run again.
    @Test func aRestoredAlertIsNotResolvedBeforeItsWindowFills() throws {
        func rule() throws -> AlertEngine {
            AlertEngine(groups: [AlertEngine.Group(name: "cpu", interval: 15, rules: [
                AlertRule(name: "Busy", expr: try Parser.parse("sum(rate(cpu_seconds_total[1m])) >= 0"), holdFor: 10,
                          labels: ["severity": "P2"]),
            ])])
        }
        #expect(try Parser.parse("sum(rate(cpu_seconds_total[1m] offset 30s)) > bool avg_over_time(x[5m])").window == 300)
        // Before the restart: a counter moving every 15 s, the alert firing since 1,015.
        func counter(from start: Double, until t: Double) -> MemorySource {
            MemorySource([series(["__name__": "cpu_seconds_total"], stride(from: start, through: t, by: 15).map { ($0, $0) })])
        }
        var before = try rule()
        for t in stride(from: 1_000.0, through: 1_120, by: 15) { _ = before.tick(at: t, source: counter(from: 1_000, until: t)) }
        let saved = before.alerts.map(\.alert)
        #expect(saved.map(\.phase) == [.firing])
        let firedAt = try #require(saved.first?.firedAt)
        // Two minutes later a new process starts with an empty store.
        var after = try rule()
        after.restore(saved, at: 1_240)
        var transitions: [AlertTransition] = []
        for t in stride(from: 1_240.0, through: 1_400, by: 15) {
            transitions += after.tick(at: t, source: counter(from: 1_240, until: t)).transitions
        }
        #expect(transitions.isEmpty, "\(transitions.map { "\($0.from.map(\.rawValue) ?? "-") -> \($0.to.map(\.rawValue) ?? "-") at \($0.at)" })")
        #expect(after.alerts.first?.alert.phase == .firing && after.alerts.first?.alert.firedAt == firedAt)
        // Once the window is full, an alert the rule no longer returns resolves as usual.
        var gone = try rule()
        gone.restore(saved, at: 1_240)
        var late: [AlertTransition] = []
        for t in stride(from: 1_240.0, through: 1_400, by: 15) { late += gone.tick(at: t, source: MemorySource([])).transitions }
        #expect(late.map(\.to) == [.resolved])
        #expect(late.first.map(\.at) ?? 0 >= 1_240 + 60 + 15, "not before the window and one more run")
    }

    @Test func aRestoredPendingAlertKeepsItsClock() throws {
        var e = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 15, rules: [
            AlertRule(name: "Slow", expr: try Parser.parse("rate(x[1m]) >= 0"), holdFor: 120),
        ])])
        let pending = ActiveAlert(labels: Labels(["alertname": "Slow"]), phase: .pending, value: 1, activeAt: 900, lastSeen: 990)
        e.restore([pending], at: 1_000)
        // Empty at first (one sample is no rate), then there: it fires 120 s after 900, not after 1,000.
        var fired: Double?
        for t in stride(from: 1_000.0, through: 1_200, by: 15) {
            let source = MemorySource([series(["__name__": "x"], stride(from: 1_000.0, through: t, by: 15).map { ($0, $0) })])
            if let f = e.tick(at: t, source: source).transitions.first(where: { $0.to == .firing }) { fired = f.at }
        }
        #expect(fired == 1_030, "the first run at or after 1,020 that sees it")
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

    @Test func theMetricNameSurvivesTheStateFileForTemplates() throws {
        var a = ActiveAlert(labels: Labels(["alertname": "Hot", "sensor": "s1"]), phase: .firing, value: 80,
                            activeAt: 10, firedAt: 40, resolvedAt: nil, lastSeen: 50)
        a.metricName = "temp_celsius"
        let text = AlertStateFile.encode([a])
        #expect(text.contains("__name__=\"temp_celsius\""))
        let back = try #require(AlertStateFile.decode(text).first)
        #expect(back.labels == a.labels && back.metricName == "temp_celsius")
        let rule = AlertRule(name: "Hot", expr: try Parser.parse("temp_celsius > 70"), annotations: ["summary": "{{ $labels.__name__ }} {{ $value }}"])
        #expect(rule.annotations(of: back) == ["summary": "temp_celsius 80"])
    }

    /// `step` is 0 for three minutes, then 5; `step:copy` records it each minute.
    func ordered(_ order: [AlertEngine.Group.Step]) throws -> [Double] {
        let copy = RecordingRule(name: "step:copy", expr: try Parser.parse("step"))
        let rule = AlertRule(name: "High", expr: try Parser.parse("step:copy > 1"))
        var e = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 60, rules: [rule], recordings: [copy], order: order)])
        let source = MemorySource([series(["__name__": "step"], [(0, 0), (60, 0), (120, 0), (180, 5), (240, 5)])])
        var pendingAt: [Double] = []
        for t in stride(from: 0.0, through: 240, by: 60) {
            pendingAt += e.tick(at: t, source: source).transitions.filter { $0.to == .pending }.map(\.at)
        }
        return pendingAt
    }

    @Test func rulesRunInTheFilesOrder() throws {
        // Below its recording rule the alert sees this evaluation's value; above it, the last one's.
        #expect(try ordered([.record(0), .alert(0)]) == [180])
        #expect(try ordered([.alert(0), .record(0)]) == [240])
    }

    @Test func aRecordedSeriesWindowCountsTowardsTheRulesThatReadIt() throws {
        let rate = RecordingRule(name: "job:rate5m", expr: try Parser.parse("rate(requests_total[5m])"))
        let ratio = RecordingRule(name: "job:ratio", expr: try Parser.parse("job:rate5m / 2"))
        let e = AlertEngine(groups: [
            AlertEngine.Group(name: "rec", interval: 30, rules: [], recordings: [rate, ratio]),
            AlertEngine.Group(name: "alerts", interval: 15, rules: []),
        ])
        #expect(e.window(of: try Parser.parse("up == 0")) == 0)
        #expect(e.window(of: try Parser.parse("rate(requests_total[10m]) > 1")) == 600)
        // 300 s of input, 30 s until the rule has run over it.
        #expect(e.window(of: try Parser.parse("job:rate5m > 1")) == 330)
        // Through two recording rules, and a range over the recorded series.
        #expect(e.window(of: try Parser.parse("max_over_time(job:ratio[2m]) > 1")) == 120 + 330 + 30)
        // A selector by other labels reads recorded series too.
        #expect(e.window(of: try Parser.parse("{__name__=~\"job:.*\"} > 1")) == 360)
    }

    @Test func recordingRulesRunOverTheHistoryARestartTakesBack() throws {
        let rate = RecordingRule(name: "job:rate1m", expr: try Parser.parse("rate(requests_total[1m])"))
        var e = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 30, rules: [], recordings: [rate])])
        let source = MemorySource([series(["__name__": "requests_total"], stride(from: 0.0, through: 600, by: 15).map { ($0, $0 * 2) })])
        e.backfillRecordings(source: source, from: 0, to: 600)
        let points = try #require(e.recorded.first { $0.key.metricName == "job:rate1m" }?.value)
        // Every 30 s back from 600 (the live evaluation takes 600 itself); at 30 s the range
        // reaches before the counter's start and the rate is extrapolated over half of it.
        #expect(points.map(\.t) == stride(from: 30.0, through: 570, by: 30).map { $0 })
        #expect(points.first?.v == 1 && points.dropFirst().allSatisfy { abs($0.v - 2) < 1e-9 })
    }
}

struct RuleHistoryReachTests {
    /// A rule reading more than the live engine keeps is named with what it reads, through a
    /// recording rule too: a burn-rate alert over a recorded 1d rate reads a day.
    @Test func rulesReadingPastTheKeptHistoryAreNamed() throws {
        let engine = AlertEngine(groups: [AlertEngine.Group(
            name: "slo", interval: 60,
            rules: [AlertRule(name: "BurnSlow", expr: try Parser.parse("job:errors:rate1d > 0.001")),
                    AlertRule(name: "BurnFast", expr: try Parser.parse("rate(errors_total[5m]) > 0.01")),
                    AlertRule(name: "SixHours", expr: try Parser.parse("rate(errors_total[6h]) > 0.001"))],
            recordings: [RecordingRule(name: "job:errors:rate1d", expr: try Parser.parse("rate(errors_total[1d])"))])])
        let found = engine.rulesReading(moreThan: MetricStore.ruleHistory)
        #expect(found.map(\.rule) == ["job:errors:rate1d", "BurnSlow", "SixHours"])
        let sixHours = try #require(found.first { $0.rule == "SixHours" }?.reads)
        #expect(abs(sixHours - 21_600) < 1e-6)
        #expect((found.first { $0.rule == "BurnSlow" }?.reads ?? 0) >= 86_400)
        #expect(engine.rulesReading(moreThan: 86_400 * 2).isEmpty)
    }
}
