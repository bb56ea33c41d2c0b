import WatchbillCore
import WatchbillRules
import WatchbillYAML

/// promtool's rule unit-test files:
///
/// ```yaml
/// rule_files: [host.rules.yml]        # relative to this file
/// evaluation_interval: 1m
/// tests:
///   - interval: 1m
///     input_series:
///       - series: 'up{job="node", instance="a"}'
///         values: '1 1 0x5'
///     alert_rule_test:
///       - eval_time: 5m
///         alertname: InstanceDown
///         exp_alerts:
///           - exp_labels: {severity: P1, job: node, instance: a}
///             exp_annotations: {summary: "a is down"}
/// ```
///
/// and `promql_expr_test` (an expression's samples at a time). Sections promtool knows and
/// Watchbill does not (`external_labels`, `alert_rule_test` of recording rules' output) are
/// errors here, not skipped.
public struct RuleTestFile: Sendable {
    public var ruleFiles: [String]
    public var evaluationInterval: Double
    public var tests: [RuleTestCase]

    static let topKeys = ["rule_files", "evaluation_interval", "tests", "group_eval_order"]
    static let testKeys = ["name", "interval", "input_series", "alert_rule_test", "promql_expr_test"]

    public static func parse(_ text: String, file: String) throws -> RuleTestFile {
        let root: Node?
        do {
            root = try YAML.compose(text)
        } catch let error as YAMLError {
            throw ConfigFile.notYAML(error, text: text, file: file)
        }
        let r = ConfigReader(file: file, environment: [:])
        var result = RuleTestFile(ruleFiles: [], evaluationInterval: 60, tests: [])
        guard let root else { return result }
        var testsNode: Node?
        for e in try r.entries(of: root, in: "a rule test file", allowed: topKeys, word: "section") {
            switch e.name {
            case "rule_files":
                guard let list = e.value.sequence else { throw r.fail(e.value, "rule_files must be a list of paths") }
                result.ruleFiles = try list.map { try r.string($0, key: "a rule file") ?? "" }
            case "evaluation_interval":
                result.evaluationInterval = try r.duration(e.value, key: "evaluation_interval", positive: true)?.seconds ?? 60
            case "tests":
                testsNode = e.value
                guard let list = e.value.sequence else { throw r.fail(e.value, "tests must be a list") }
                for (i, t) in list.enumerated() { result.tests.append(try test(t, number: i + 1, reader: r)) }
            default: break
            }
        }
        // Every evaluation up to the last eval_time is run: `eval_time: 10000d` at a minute,
        // or a millisecond interval, would run for minutes.
        for t in result.tests {
            let last = t.checks.map(\.evalTime).max() ?? 0
            let steps = last / result.evaluationInterval
            if let testsNode, !(steps <= Double(maxEvaluations)) {
                throw r.fail(testsNode, "\(t.name): eval_time \(Int(min(last, 1e15)))s at an evaluation_interval of "
                    + "\(result.evaluationInterval)s is more than \(maxEvaluations) evaluations")
            }
        }
        return result
    }

    /// The most rule evaluations one test may ask for (a minute's interval covers 69 days).
    public static let maxEvaluations = 100_000

    static func test(_ node: Node, number: Int, reader r: ConfigReader) throws -> RuleTestCase {
        var c = RuleTestCase(name: "test \(number)", interval: 60, inputs: [], checks: [])
        let allowed = testKeys
        if let mapping = node.mapping {
            for (key, _) in mapping where !allowed.contains(key.string ?? "") {
                throw r.fail(key, "'\(key.string ?? "")' is not supported in a test (only \(allowed.joined(separator: ", ")))")
            }
        }
        for e in try r.entries(of: node, in: "a test", allowed: allowed) {
            switch e.name {
            case "name": c.name = try r.string(e.value, key: "name") ?? c.name
            case "interval": c.interval = try r.duration(e.value, key: "interval", positive: true)?.seconds ?? 60
            case "input_series":
                guard let list = e.value.sequence else { throw r.fail(e.value, "input_series must be a list") }
                for item in list {
                    var labels = Labels()
                    var values: [Double?] = []
                    for f in try r.entries(of: item, in: "an input series", allowed: ["series", "values"]) {
                        let text = try r.string(f.value, key: f.name) ?? ""
                        do {
                            if f.name == "series" { labels = try seriesLabels(text) } else { values = try SeriesNotation.expand(text) }
                        } catch let error as ExprError {
                            throw r.fail(f.value, error.cause)
                        }
                    }
                    c.inputs.append(RuleTestCase.Input(labels: labels, values: values))
                }
            case "promql_expr_test":
                guard let list = e.value.sequence else { throw r.fail(e.value, "promql_expr_test must be a list") }
                for item in list { c.exprChecks.append(try exprCheck(item, reader: r)) }
            default:
                guard let list = e.value.sequence else { throw r.fail(e.value, "alert_rule_test must be a list") }
                for item in list {
                    var check = RuleTestCase.AlertCheck(evalTime: 0, alertname: "", expected: [])
                    for f in try r.entries(of: item, in: "an alert test", allowed: ["eval_time", "alertname", "exp_alerts"]) {
                        switch f.name {
                        case "eval_time": check.evalTime = try r.duration(f.value, key: "eval_time", positive: false)?.seconds ?? 0
                        case "alertname": check.alertname = try r.string(f.value, key: "alertname") ?? ""
                        default:
                            for a in f.value.sequence.map(Array.init) ?? [] {
                                var labels: [String: String] = [:], annotations: [String: String] = [:]
                                for g in try r.entries(of: a, in: "an expected alert", allowed: ["exp_labels", "exp_annotations"]) {
                                    if g.name == "exp_labels" { labels = try r.stringMap(g.value, key: g.name) } else {
                                        annotations = try r.stringMap(g.value, key: g.name)
                                    }
                                }
                                check.expected.append(RuleTestCase.ExpectedAlert(labels: Labels(labels), annotations: annotations))
                            }
                        }
                    }
                    guard !check.alertname.isEmpty else { throw r.fail(item, "an alert test needs an alertname") }
                    c.checks.append(check)
                }
            }
        }
        return c
    }

    /// `- expr: ..., eval_time: 5m, exp_samples: [{labels: 'm{a="b"}', value: 1}]`.
    static func exprCheck(_ node: Node, reader r: ConfigReader) throws -> RuleTestCase.ExprCheck {
        var text = "", evalTime = 0.0, expected: [Sample] = []
        var exprNode: Node?
        for f in try r.entries(of: node, in: "an expression test", allowed: ["expr", "eval_time", "exp_samples"]) {
            switch f.name {
            case "expr":
                text = try r.string(f.value, key: "expr") ?? ""
                exprNode = f.value
            case "eval_time": evalTime = try r.duration(f.value, key: "eval_time", positive: false)?.seconds ?? 0
            default:
                for item in f.value.sequence.map(Array.init) ?? [] {
                    var labels = Labels(), value = 0.0
                    for g in try r.entries(of: item, in: "an expected sample", allowed: ["labels", "value"]) {
                        if g.name == "labels" {
                            do { labels = try seriesLabels(try r.string(g.value, key: "labels") ?? "") } catch let error as ExprError {
                                throw r.fail(g.value, error.cause)
                            }
                        } else {
                            guard let v = g.value.scalar.flatMap({ Double($0.string) ?? SeriesNotation.number($0.string) }) else {
                                throw r.fail(g.value, "value must be a number")
                            }
                            value = v
                        }
                    }
                    expected.append(Sample(labels: labels, value: value))
                }
            }
        }
        guard let exprNode, !text.isEmpty else { throw r.fail(node, "an expression test needs an expr") }
        do {
            return RuleTestCase.ExprCheck(expr: try Parser.parse(text), text: text, evalTime: evalTime, expected: expected)
        } catch let error as ExprError {
            throw r.fail(exprNode, error.cause)
        }
    }

    /// `metric{a="b"}` into labels, through the PromQL parser (equality matchers only).
    static func seriesLabels(_ text: String) throws -> Labels {
        // A scalar's expected sample has no labels.
        if text.allSatisfy({ $0 == " " }) || text.filter({ $0 != " " }) == "{}" { return Labels() }
        guard case .selector(let s) = try Parser.parse(text), s.range == nil,
              s.matchers.allSatisfy({ $0.kind == .equal }) else {
            throw ExprError(at: SourcePosition(line: 1, column: 1), cause: "a series is written metric{label=\"value\", ...}")
        }
        var labels = Labels()
        labels["__name__"] = s.name
        for m in s.matchers { labels[m.name] = m.value }
        return labels
    }
}
