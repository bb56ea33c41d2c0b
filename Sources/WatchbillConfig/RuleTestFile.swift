import WatchbillCore
import WatchbillRules
import Yams

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
/// `promql_expr_test` and the other sections promtool knows are errors here, not skipped.
public struct RuleTestFile: Sendable {
    public var ruleFiles: [String]
    public var evaluationInterval: Double
    public var tests: [RuleTestCase]

    static let topKeys = ["rule_files", "evaluation_interval", "tests", "group_eval_order"]
    static let testKeys = ["name", "interval", "input_series", "alert_rule_test"]

    public static func parse(_ text: String, file: String) throws -> RuleTestFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
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

    /// `metric{a="b"}` into labels, through the PromQL parser (equality matchers only).
    static func seriesLabels(_ text: String) throws -> Labels {
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
