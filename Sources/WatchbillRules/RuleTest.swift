/// One promtool-style unit test: input series, and the alerts expected at given times.
public struct RuleTestCase: Sendable {
    public struct Input: Sendable {
        public var labels: Labels
        public var values: [Double?]
        public init(labels: Labels, values: [Double?]) {
            self.labels = labels
            self.values = values
        }
    }

    public struct ExpectedAlert: Sendable, Equatable {
        public var labels: Labels
        public var annotations: [String: String]
        public init(labels: Labels, annotations: [String: String]) {
            self.labels = labels
            self.annotations = annotations
        }
    }

    public struct AlertCheck: Sendable {
        public var evalTime: Double
        public var alertname: String
        public var expected: [ExpectedAlert]
        public init(evalTime: Double, alertname: String, expected: [ExpectedAlert]) {
            self.evalTime = evalTime
            self.alertname = alertname
            self.expected = expected
        }
    }

    public var name: String
    public var interval: Double
    public var inputs: [Input]
    public var checks: [AlertCheck]

    public init(name: String, interval: Double, inputs: [Input], checks: [AlertCheck]) {
        self.name = name
        self.interval = interval
        self.inputs = inputs
        self.checks = checks
    }
}

/// Runs rule unit tests the way `promtool test rules` does: every rule evaluated each
/// `evaluationInterval` from time 0, and at each check's time the firing alerts of that
/// name (labels and rendered annotations) compared with the expected ones as sets.
public enum RuleTestRunner {
    /// What failed, one readable paragraph per failed check; empty when all passed.
    public static func run(_ test: RuleTestCase, rules: [AlertRule], evaluationInterval: Double) -> [String] {
        let series = test.inputs.map { input in
            RangeSeries(labels: input.labels, points: input.values.enumerated().compactMap { k, v in
                v.map { RangeSeries.Point(Double(k) * test.interval, $0) }
            })
        }
        let source = StaticSeriesSource(series)
        var engine = AlertEngine(groups: [AlertEngine.Group(name: test.name, interval: evaluationInterval, rules: rules)])
        var failures: [String] = []
        var t = 0.0
        for check in test.checks.sorted(by: { $0.evalTime < $1.evalTime }) {
            while t <= check.evalTime + 1e-9 {
                let r = engine.tick(at: t, source: source)
                for f in r.failures { failures.append("    \(f.rule) at \(spanLabel(t)): \(f.cause)") }
                t += evaluationInterval
            }
            let got = engine.alerts.filter { $0.rule.name == check.alertname && $0.alert.phase == .firing }.map { pair in
                RuleTestCase.ExpectedAlert(
                    labels: pair.alert.labels,
                    annotations: pair.rule.renderedAnnotations(labels: pair.alert.labels, value: pair.alert.value))
            }
            let expected = check.expected.map { e -> RuleTestCase.ExpectedAlert in
                var l = e.labels
                l["alertname"] = check.alertname
                return RuleTestCase.ExpectedAlert(labels: l, annotations: e.annotations)
            }
            let sameSet = got.count == expected.count && got.allSatisfy { expected.contains($0) }
            if !sameSet {
                func show(_ list: [RuleTestCase.ExpectedAlert]) -> String {
                    list.map { "{labels: \($0.labels), annotations: \($0.annotations.sorted { $0.key < $1.key })}" }
                        .sorted().joined(separator: ", ")
                }
                failures.append("    alertname: \(check.alertname), time: \(spanLabel(check.evalTime)),\n"
                                + "        exp: [\(show(expected))],\n        got: [\(show(got))]")
            }
        }
        return failures
    }

    static func spanLabel(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
        if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(Int(seconds))s"
    }
}
