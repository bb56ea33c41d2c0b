import Testing
@testable import WatchbillRules

struct SeriesNotationTests {
    @Test func expandingNotation() throws {
        #expect(try SeriesNotation.expand("1+2x3") == [1, 3, 5, 7])
        #expect(try SeriesNotation.expand("5-1x2") == [5, 4, 3])
        #expect(try SeriesNotation.expand("7x2") == [7, 7, 7])
        // Input from a test file: no value before the x crashed (issue 19); a series past a
        // million samples would take gigabytes and minutes.
        #expect(throws: ExprError.self) { try SeriesNotation.expand("x5") }
        #expect(throws: ExprError.self) { try SeriesNotation.expand("1x99999999") }
        #expect(throws: ExprError.self) { try SeriesNotation.expand("0+1x500000 _x500000") }
        #expect(try SeriesNotation.expand("0+1x999999").count == SeriesNotation.maxSamples)
        #expect(try SeriesNotation.expand("0x3") == [0, 0, 0, 0])  // not hexadecimal
        #expect(try SeriesNotation.expand("-2+1x2") == [-2, -1, 0])
        #expect(try SeriesNotation.expand("1 _ _x2 3") == [1, nil, nil, nil, 3])
        #expect(try SeriesNotation.expand("1e3+1e3x1") == [1000, 2000])
        let s = try SeriesNotation.expand("1 stale 2")
        #expect(s.count == 3 && SeriesNotation.isStale(s[1]!))
        #expect(throws: ExprError.self) { try SeriesNotation.expand("1+x") }
    }

    @Test func staleMarkersEndTheSeries() throws {
        let src = StaticSeriesSource([series(["__name__": "up"], [(0, 1), (60, SeriesNotation.stale)])])
        let e = Evaluator(source: src)
        guard case .vector(let before) = try e.evaluate(try Parser.parse("up"), at: 30),
              case .vector(let after) = try e.evaluate(try Parser.parse("up"), at: 90) else { return }
        #expect(before.count == 1 && after.isEmpty)
    }
}

struct RuleTestRunnerTests {
    func rule() throws -> AlertRule {
        AlertRule(name: "InstanceDown", expr: try Parser.parse("up == 0"), holdFor: 120, labels: ["severity": "P1"],
                  annotations: ["summary": "{{ $labels.instance }} of {{ $labels.job }} is down"])
    }

    func test(_ checks: [RuleTestCase.AlertCheck]) -> RuleTestCase {
        RuleTestCase(name: "down", interval: 60, inputs: [
            RuleTestCase.Input(labels: Labels(["__name__": "up", "job": "node", "instance": "a"]), values: try! SeriesNotation.expand("1 1 0x6")),
            RuleTestCase.Input(labels: Labels(["__name__": "up", "job": "node", "instance": "b"]), values: try! SeriesNotation.expand("1x8")),
        ], checks: checks)
    }

    @Test func passesWhenFiringAlertsMatch() throws {
        // a is down from 2m: pending at 2m, firing at 4m (for: 2m).
        let failures = RuleTestRunner.run(test([
            RuleTestCase.AlertCheck(evalTime: 180, alertname: "InstanceDown", expected: []),
            RuleTestCase.AlertCheck(evalTime: 240, alertname: "InstanceDown", expected: [
                RuleTestCase.ExpectedAlert(labels: Labels(["severity": "P1", "job": "node", "instance": "a"]),
                                           annotations: ["summary": "a of node is down"]),
            ]),
        ]), rules: [try rule()], evaluationInterval: 60)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func saysWhatDiffered() throws {
        let failures = RuleTestRunner.run(test([
            RuleTestCase.AlertCheck(evalTime: 240, alertname: "InstanceDown", expected: [
                RuleTestCase.ExpectedAlert(labels: Labels(["severity": "P2", "job": "node", "instance": "a"]), annotations: [:]),
            ]),
        ]), rules: [try rule()], evaluationInterval: 60)
        #expect(failures.count == 1)
        #expect(failures[0].contains("alertname: InstanceDown, time: 4m"))
        #expect(failures[0].contains("severity=\"P2\"") && failures[0].contains("severity=\"P1\""))
    }
}
