import Testing
@testable import WatchbillRules

@Suite struct SilenceTests {
    let api = Labels(["alertname": "ProbeDown", "target": "api", "severity": "P1"])
    let db = Labels(["alertname": "ProbeDown", "target": "db", "severity": "P1"])

    @Test func silenceMutesMatchingAlertsOnlyWhileActive() throws {
        let s = Silence(id: "a", matchers: try Silence.parseMatchers("alertname=\"ProbeDown\", target=~\"a.*\""),
                        startsAt: 100, endsAt: 200, createdBy: "alice", comment: "deploy")
        #expect(s.state(at: 99) == .pending && !s.mutes(api, at: 99))
        #expect(s.state(at: 100) == .active && s.mutes(api, at: 100) && !s.mutes(db, at: 150))
        #expect(s.state(at: 200) == .expired && !s.mutes(api, at: 200))
    }

    @Test func matchersParseLikeSelectorsAndReportColumns() throws {
        let m = try Silence.parseMatchers("  target!=\"db\", job=~\"api|web\" ")
        #expect(m.map(\.name) == ["target", "job"])
        #expect(m.map(\.kind) == [.notEqual, .regex])
        #expect(Silence.text(of: m) == "target!=\"db\", job=~\"api|web\"")
        #expect(throws: ExprError.self) { try Silence.parseMatchers("") }
        // Every matcher accepting an empty label would silence everything.
        #expect(throws: ExprError.self) { try Silence.parseMatchers("target=~\".*\"") }
        do {
            _ = try Silence.parseMatchers("target=\"db\" job")
            Issue.record("parsed")
        } catch let e as ExprError {
            #expect(e.at.column == 13)
        }
    }

    @Test func matchersForAnAlertRoundTripThroughText() throws {
        let labels = Labels(["alertname": "DiskFull", "mountpoint": "/var/\"odd\"\\path"])
        let parsed = try Silence.parseMatchers(Silence.matchersText(for: labels))
        #expect(parsed.allSatisfy { $0.kind == .equal })
        #expect(parsed.allSatisfy { $0.matches(labels) })
        #expect(parsed.count == 2)
    }

    @Test func expiringEndsTheSilenceNow() throws {
        var actions = AlertActions([.silence(Silence(id: "a", matchers: try Silence.parseMatchers("target=\"api\""),
                                                     startsAt: 100, endsAt: 1000, createdBy: "a", comment: "c"))])
        #expect(actions.silences(muting: api, at: 150).count == 1)
        actions.apply(.expire(id: "a", at: 160))
        #expect(actions.silences(muting: api, at: 161).isEmpty)
        #expect(actions.silences[0].endsAt == 160)
        // Expired silences stay listed for 120 h, then go.
        actions.prune(at: 160 + AlertActions.expiredRetention - 1, activeAlerts: [])
        #expect(actions.silences.count == 1)
        actions.prune(at: 161 + AlertActions.expiredRetention, activeAlerts: [])
        #expect(actions.silences.isEmpty)
    }

    @Test func acknowledgementLastsWhileItsAlertIsActive() {
        var actions = AlertActions([.acknowledge(Acknowledgement(labels: api, by: "alice", comment: "on it", at: 10))])
        actions.prune(at: 20, activeAlerts: [api, db])
        #expect(actions.acknowledgements[api]?.by == "alice")
        actions.prune(at: 30, activeAlerts: [db])
        #expect(actions.acknowledgements.isEmpty)
    }

    @Test func journalRoundTripsAwkwardTextAndReportsTornLines() throws {
        let silence = Silence(id: "c0ffee00", matchers: try Silence.parseMatchers("alertname=\"DiskFull\", mountpoint=~\"/var.*\""),
                              startsAt: 1.5, endsAt: 3601.5, createdBy: "bob \"the\" builder",
                              comment: "line one\nline \\two\\, \"quoted\", commas")
        let ack = Acknowledgement(labels: api, by: "alice", comment: "restarting, then \"watching\"", at: 7)
        let actions: [AlertAction] = [.silence(silence), .acknowledge(ack), .mirror(id: "c0ffee00", alertmanagerID: "4f1c-am"),
                                      .expire(id: "c0ffee00", at: 99)]
        let text = actions.map { AlertActionJournal.encode($0) + "\n" }.joined()
        #expect(text.split(separator: "\n").count == 4)
        let (decoded, problems) = AlertActionJournal.decode(text)
        #expect(problems.isEmpty)
        #expect(decoded == actions)
        // A torn last line and a foreign one are reported by number; the rest loads.
        let torn = text + "unknown x=\"1\"\n" + String(AlertActionJournal.encode(.silence(silence)).prefix(40))
        let (partial, reported) = AlertActionJournal.decode(torn)
        #expect(partial == actions)
        #expect(reported.map(\.line) == [5, 6])
        #expect(reported[0].cause == "unknown action 'unknown'")
    }

    @Test func compactedJournalRebuildsTheSameState() throws {
        var actions = AlertActions()
        actions.apply(.silence(Silence(id: "a", matchers: try Silence.parseMatchers("target=\"api\""), startsAt: 0,
                                       endsAt: 100, createdBy: "x", comment: "y")))
        actions.apply(.expire(id: "a", at: 50))
        actions.apply(.acknowledge(Acknowledgement(labels: db, by: "b", comment: "c", at: 5)))
        actions.apply(.mirror(id: "a", alertmanagerID: "am-1"))
        let rebuilt = AlertActions(actions.compacted)
        #expect(rebuilt.silences == actions.silences && rebuilt.acknowledgements == actions.acknowledgements)
        #expect(rebuilt.alertmanagerIDs == ["a": "am-1"])
        #expect(actions.compacted.count == 3)
        // The mapping goes with its silence.
        actions.prune(at: 100 + AlertActions.expiredRetention + 1, activeAlerts: [])
        #expect(actions.alertmanagerIDs.isEmpty)
    }
}

@Suite struct AlertGraphTests {
    func source() -> StaticSeriesSource {
        // Disk usage of two mounts climbing 1% a minute for 30 minutes.
        let points = (0...30).map { RangeSeries.Point(Double($0 * 60), 0.7 + Double($0) * 0.01) }
        return StaticSeriesSource([
            RangeSeries(labels: Labels(["__name__": "used", "mountpoint": "/var"]), points: points),
            RangeSeries(labels: Labels(["__name__": "used", "mountpoint": "/"]), points: points.map { .init($0.t, 0.1) }),
        ])
    }

    @Test func comparisonIsGraphedAsItsValueWithAThresholdLine() throws {
        let rule = AlertRule(name: "DiskAlmostFull", expr: try Parser.parse("used > 0.8 + 0.1"), labels: ["severity": "P2"])
        let alert = Labels(["alertname": "DiskAlmostFull", "severity": "P2", "mountpoint": "/var"])
        let g = AlertGraph.compute(rule: rule, alert: alert, source: source(), at: 1800, span: 1800, points: 31)
        #expect(g.threshold == 0.9)
        #expect(g.step == 1800.0 / 31)
        // The value of /var (not /), not only where it was over the threshold.
        let last = try #require(g.values.last ?? nil)
        #expect(abs(last - 1.0) < 1e-9)
        #expect(g.values.compactMap { $0 }.count == 31)
        #expect(g.values.compactMap { $0 }.min()! < 0.72)
    }

    @Test func otherShapesGraphTheExpressionAsItIs() throws {
        #expect(AlertGraph.split(try Parser.parse("a > bool 1")).1 == nil)
        #expect(AlertGraph.split(try Parser.parse("(a > 1) and b < 2")).1 == 1)
        #expect(AlertGraph.split(try Parser.parse("2 * 3 < a")).1 == 6)
        #expect(AlertGraph.split(try Parser.parse("a > b")).1 == nil)
    }
}
