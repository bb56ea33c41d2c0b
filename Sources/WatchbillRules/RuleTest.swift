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

    /// A `promql_expr_test`: an expression at a time and the samples it must give.
    public struct ExprCheck: Sendable {
        public var expr: Expr
        public var text: String
        public var evalTime: Double
        public var expected: [Sample]
        public init(expr: Expr, text: String, evalTime: Double, expected: [Sample]) {
            self.expr = expr
            self.text = text
            self.evalTime = evalTime
            self.expected = expected
        }
    }

    public var name: String
    public var interval: Double
    public var inputs: [Input]
    public var checks: [AlertCheck]
    public var exprChecks: [ExprCheck] = []

    public init(name: String, interval: Double, inputs: [Input], checks: [AlertCheck], exprChecks: [ExprCheck] = []) {
        self.name = name
        self.interval = interval
        self.inputs = inputs
        self.checks = checks
        self.exprChecks = exprChecks
    }
}

/// Runs rule unit tests the way `promtool test rules` does: every rule evaluated each
/// `evaluationInterval` from time 0, and at each check's time the firing alerts of that
/// name (labels and rendered annotations) compared with the expected ones as sets.
public enum RuleTestRunner {
    /// What failed, one readable paragraph per failed check; empty when all passed.
    /// A test's input series, one point every `interval` from time 0 (`_` leaves a gap).
    public static func source(for test: RuleTestCase) -> StaticSeriesSource {
        StaticSeriesSource(test.inputs.map { input in
            RangeSeries(labels: input.labels, points: input.values.enumerated().compactMap { k, v in
                v.map { RangeSeries.Point(Double(k) * test.interval, $0) }
            })
        })
    }

    public static func run(_ test: RuleTestCase, rules: [AlertRule], recordings: [RecordingRule] = [], order: [AlertEngine.Group.Step]? = nil,
                           evaluationInterval: Double) -> [String] {
        let source = source(for: test)
        var engine = AlertEngine(groups: [AlertEngine.Group(name: test.name, interval: evaluationInterval, rules: rules, recordings: recordings, order: order)])
        var failures: [String] = []
        var t = 0.0
        /// Every rule evaluated each interval up to `time`, as promtool runs them.
        func advance(to time: Double) {
            while t <= time + 1e-9 {
                let r = engine.tick(at: t, source: source)
                for f in r.failures { failures.append("    \(f.rule) at \(spanLabel(t)): \(f.cause)") }
                t += evaluationInterval
            }
        }
        // Expression tests read the recording rules' series too, as of their time.
        for check in test.exprChecks.sorted(by: { $0.evalTime < $1.evalTime }) where !recordings.isEmpty {
            advance(to: check.evalTime)
            failures += exprFailures(check, source: RecordedOverlay(base: source, recorded: engine.recorded), evaluationInterval: evaluationInterval)
        }
        if !recordings.isEmpty {
            engine = AlertEngine(groups: [AlertEngine.Group(name: test.name, interval: evaluationInterval, rules: rules, recordings: recordings, order: order)])
            t = 0
        }
        for check in test.checks.sorted(by: { $0.evalTime < $1.evalTime }) {
            advance(to: check.evalTime)
            let got = engine.alerts.filter { $0.rule.name == check.alertname && $0.alert.phase == .firing }.map { pair in
                RuleTestCase.ExpectedAlert(
                    labels: pair.alert.labels,
                    annotations: pair.rule.annotations(of: pair.alert))
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
        for check in test.exprChecks where recordings.isEmpty { failures += exprFailures(check, source: source, evaluationInterval: evaluationInterval) }
        return failures
    }

    /// A `promql_expr_test` as promtool checks it: the expression's samples at the time (a
    /// scalar is one sample without labels), sorted by labels, equal to the expected ones
    /// exactly (as promtool 2.42 compares: a NaN never equals).
    static func exprFailures(_ check: RuleTestCase.ExprCheck, source: SeriesSource, evaluationInterval: Double) -> [String] {
        let got: [Sample]
        do {
            switch try Evaluator(source: source, defaultStep: evaluationInterval).evaluate(check.expr, at: check.evalTime) {
            case .vector(let v): got = v
            case .scalar(let v): got = [Sample(labels: Labels(), value: v)]
            default: return ["    expr: \(check.text.debugDescription), time: \(spanLabel(check.evalTime)): the result is not a vector or a scalar"]
            }
        } catch {
            return ["    expr: \(check.text.debugDescription), time: \(spanLabel(check.evalTime)), err: \(error)"]
        }
        func order(_ a: Sample, _ b: Sample) -> Bool { a.labels.description < b.labels.description }
        let exp = check.expected.sorted(by: order), have = got.sorted(by: order)
        let same = exp.count == have.count && zip(exp, have).allSatisfy { $0.labels == $1.labels && $0.value == $1.value }
        guard !same else { return [] }
        func show(_ list: [Sample]) -> String { list.map { "\($0.labels) \($0.value)" }.joined(separator: ", ") }
        return ["    expr: \(check.text.debugDescription), time: \(spanLabel(check.evalTime)),\n        exp: [\(show(exp))]\n        got: [\(show(have))]"]
    }

    static func spanLabel(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
        if seconds >= 60 && seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(Int(seconds))s"
    }
}
