import Foundation
import Testing
import WatchbillConfig
@testable import WatchbillRules

private let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Every function, aggregation, operator and modifier of PromQL evaluated by Watchbill and by
/// Debian's promtool 2.42 over the same series, case by case. promtool is given each
/// expression with no expected samples, so it fails every case and prints what Prometheus
/// computed (`got: {labels} value, ...`, or `err: ...`); Watchbill's answer must be the same
/// series with the same values (to a relative 1e-9: Prometheus sums some values in another
/// order), or an error where promtool has one.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct PromtoolEvaluationAgreementTests {
    static let series: [(String, String)] = [
        (#"http_requests_total{job="api",instance="a",code="200"}"#, "0+10x30"),
        (#"http_requests_total{job="api",instance="a",code="500"}"#, "0+1x15 0+2x14"),
        (#"http_requests_total{job="api",instance="b",code="200"}"#, "0+20x30"),
        (#"http_requests_total{job="web",instance="c",code="200"}"#, "5+3x30"),
        (#"node_load1{instance="a"}"#, "0.5 1.5 2.25 0.75 1 3 2.5 0.1 0.2 4 1 1 1 2 2 2 3 5 8 13 21 34 1 1 1 0.5 0.25 0 0 1 2"),
        (#"node_load1{instance="b"}"#, "1x30"),
        (#"up{job="api",instance="a"}"#, "1x30"),
        (#"up{job="api",instance="b"}"#, "1x10 0x20"),
        (#"up{job="web",instance="c"}"#, "1 _x5 1x24"),
        (#"version_info{instance="a",version="1.2.3"}"#, "1x30"),
        (#"version_info{instance="b",version="1.3.0"}"#, "1x30"),
        (#"latency_bucket{job="api",le="0.1"}"#, "0+5x30"),
        (#"latency_bucket{job="api",le="0.5"}"#, "0+8x30"),
        (#"latency_bucket{job="api",le="1"}"#, "0+9x30"),
        (#"latency_bucket{job="api",le="+Inf"}"#, "0+10x30"),
        (#"temp{sensor="s1"}"#, "-3 -1.5 0 2.5 NaN 4 Inf -Inf 7 8 9 9 9 -2 -2"),
        (#"disk_free{instance="a",device="sda1"}"#, "100-2x30"),
    ]

    static let expressions: [String] = [
        // Arithmetic, comparisons, precedence, number forms.
        "http_requests_total + 1", "2 * http_requests_total", "http_requests_total > 100", "http_requests_total > bool 100",
        "100 < http_requests_total", "-http_requests_total", "-2 ^ 2", "2 ^ 3 ^ 2", "5 % 3", "-5 % 3", "node_load1 atan2 2",
        "1 > bool 2", "(1 + 2) * 3", "0x1f + 1e3", "node_load1 / 0", "-node_load1 ^ 2", "sum(up) # a comment",
        "node_load1 == bool node_load1", "node_load1 != 2",
        // Vector matching.
        "up * on(instance) group_left(version) version_info", "node_load1 * on(instance) group_right(version) version_info",
        "http_requests_total / ignoring(code) group_left sum by (job, instance) (http_requests_total)",
        "sum by (instance) (rate(http_requests_total[5m])) / on(instance) node_load1", "up == on(instance, job) up",
        "up and on(instance) node_load1", "up or node_load1", "up unless on(job) (up == 0)", "up + on(job) up",
        "node_load1 > on(instance) group_left node_load1", "http_requests_total + ignoring(code) up",
        "up AND ON(instance) node_load1", "http_requests_total / on(job, instance) group_left up",
        // Aggregations.
        "sum(http_requests_total)", "sum by (job) (http_requests_total)", "sum without (code) (http_requests_total)",
        "sum(http_requests_total) by (job)", "avg by (job) (http_requests_total)", "min by (job) (http_requests_total)",
        "max by (job) (http_requests_total)", "count by (job) (http_requests_total)", "group by (job) (http_requests_total)",
        "stddev by (job) (http_requests_total)", "stdvar(http_requests_total)", "topk(2, http_requests_total)",
        "bottomk by (job) (1, http_requests_total)", "quantile(0.9, http_requests_total)", "quantile by (job) (0.5, http_requests_total)",
        "count_values(\"v\", up)", "count_values by (job) (\"v\", http_requests_total)", "SUM BY (job) (http_requests_total)",
        "avg(temp)", "max(temp)", "min(temp)", "sum(temp)", "topk(1, temp)", "avg(node_load1)", "stddev(node_load1)",
        // Functions over ranges.
        "rate(http_requests_total[5m])", "irate(http_requests_total[5m])", "increase(http_requests_total[5m])",
        "delta(node_load1[5m])", "idelta(node_load1[5m])", "deriv(node_load1[10m])", "changes(node_load1[10m])",
        "resets(http_requests_total[30m])", "predict_linear(node_load1[10m], 600)", "holt_winters(node_load1[10m], 0.5, 0.5)",
        "avg_over_time(node_load1[10m])", "min_over_time(node_load1[10m])", "max_over_time(node_load1[10m])",
        "sum_over_time(node_load1[10m])", "count_over_time(up[10m])", "stddev_over_time(node_load1[10m])",
        "stdvar_over_time(node_load1[10m])", "last_over_time(node_load1[10m])", "present_over_time(up[10m])",
        "quantile_over_time(0.5, node_load1[10m])", "absent_over_time(nonexistent{job=\"x\"}[5m])", "absent_over_time(up[5m])",
        "changes(temp[10m])", "rate(http_requests_total[1h30m])", "rate(http_requests_total[2m])",
        // Functions of instant vectors.
        "absent(nonexistent{job=\"x\",instance=~\"a.*\"})", "absent(up)", "abs(node_load1 - 2)", "ceil(node_load1)",
        "floor(node_load1)", "round(node_load1)", "round(node_load1, 0.5)", "exp(node_load1)", "sqrt(node_load1)",
        "ln(node_load1)", "log2(node_load1)", "log10(node_load1)", "sgn(node_load1 - 2)", "sin(node_load1)", "cos(node_load1)",
        "tan(node_load1)", "asin(node_load1 / 100)", "acos(node_load1 / 100)", "atan(node_load1)", "sinh(node_load1)",
        "cosh(node_load1)", "tanh(node_load1)", "asinh(node_load1)", "acosh(node_load1 + 1)", "atanh(node_load1 / 100)",
        "deg(node_load1)", "rad(node_load1)", "pi()", "clamp(node_load1, 1, 2)", "clamp_min(node_load1, 1)", "clamp_max(node_load1, 1)",
        "clamp(node_load1, 3, 1)", "histogram_quantile(0.9, rate(latency_bucket[5m]))", "histogram_quantile(0.5, latency_bucket)",
        "histogram_quantile(0.99, sum by (le) (latency_bucket))", "histogram_quantile(1.5, latency_bucket)",
        "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*)\")", "label_replace(up, \"x\", \"${1}-y\", \"job\", \"a(p)i\")",
        "label_replace(up, \"job\", \"\", \"job\", \"web\")", "label_join(up, \"id\", \"/\", \"job\", \"instance\")",
        "sort(node_load1)", "sort_desc(node_load1)", "timestamp(up)", "timestamp(up + 1)", "scalar(node_load1{instance=\"b\"})",
        "scalar(node_load1)", "vector(3)", "time()", "year()", "month()", "day_of_month()", "day_of_week()", "day_of_year()",
        "hour()", "minute()", "days_in_month()", "year(vector(1e9))", "minute(vector(31557600))", "days_in_month(vector(1e9))",
        "timestamp(node_load1 offset 1m)",
        // Modifiers and subqueries.
        "http_requests_total offset 5m", "rate(http_requests_total[5m] offset 5m)", "http_requests_total offset -5m",
        "http_requests_total @ 300", "rate(http_requests_total[5m] @ 600)", "node_load1 @ 300 offset 1m",
        "max_over_time(rate(http_requests_total[5m])[10m:1m])", "avg_over_time(node_load1[10m:])",
        "rate(http_requests_total[10m:2m])", "max_over_time((node_load1 > 1)[15m:3m])", "min_over_time(node_load1[5m:1m] offset 2m)",
        "count_over_time(up[20m:90s])", "sum_over_time(vector(1)[5m:1m])",
        // Staleness and gaps.
        "up{job=\"web\"}", "temp", "temp > 0", "{__name__=~\"node_.*\"}",
    ]

    static let times = ["3m", "10m", "20m", "30m"]

    /// promtool's report, case by case: the samples it computed, or nil where it errored.
    static func promtoolAnswers(_ file: URL) throws -> [String: [String: String]?] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool!)
        p.arguments = ["test", "rules", file.path]
        // The failures (every case's answer) go to standard error.
        let out = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        var answers: [String: [String: String]?] = [:]
        let lines = text.split(separator: "\n").map(String.init)
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            i += 1
            guard line.hasPrefix("expr: ") else { continue }
            // expr: "…", time: 5m,   or   expr: "…", time: 5m, err: …
            guard let timeRange = line.range(of: "\", time: ", options: .backwards) else { continue }
            let quoted = String(line[line.index(line.startIndex, offsetBy: 6)..<line.index(after: timeRange.lowerBound)])
            let expr = (try? JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String) ?? quoted
            let rest = line[timeRange.upperBound...]
            let time = String(rest.prefix { $0 != "," })
            let key = expr + " @ " + time
            if rest.contains(", err: ") {
                answers[key] = .some(nil)
                continue
            }
            // exp: nil, then got: …
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("got: ") { i += 1 }
            guard i < lines.count else { break }
            let got = String(lines[i].trimmingCharacters(in: .whitespaces).dropFirst(5))
            i += 1
            answers[key] = .some(got == "nil" ? [:] : parseSamples(got))
        }
        return answers
    }

    /// `{a="1", b="2"} 1.5E+00, {} 6E+00` into label text to value text.
    static func parseSamples(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = Array(text)[...]
        while let open = chars.firstIndex(of: "{") {
            var j = open + 1, inQuote = false
            while j < chars.endIndex {
                if chars[j] == "\\" && inQuote { j += 2; continue }
                if chars[j] == "\"" { inQuote.toggle() }
                if chars[j] == "}" && !inQuote { break }
                j += 1
            }
            let labels = String(chars[open...j])
            var k = j + 2
            var value = ""
            while k < chars.endIndex, chars[k] != "," { value.append(chars[k]); k += 1 }
            out[labels] = value
            chars = chars[min(k, chars.endIndex)...]
        }
        return out
    }

    /// Labels as promtool prints them: `{__name__="x", a="1"}`, sorted by name.
    static func promtoolLabels(_ l: Labels) -> String {
        "{" + l.pairs.map { "\($0.name)=\(quote($0.value))" }.joined(separator: ", ") + "}"
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    }

    @Test func theSameAnswersAsPromtool() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("promql-agreement-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var yaml = "rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for (s, v) in Self.series { yaml += "      - series: '\(s)'\n        values: '\(v)'\n" }
        yaml += "    promql_expr_test:\n"
        for e in Self.expressions {
            for t in Self.times { yaml += "      - expr: \(Self.quote(e))\n        eval_time: \(t)\n        exp_samples: []\n" }
        }
        let file = dir.appendingPathComponent("agreement_test.yml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let answers = try Self.promtoolAnswers(file)

        let suite = try RuleTestFile.parse(yaml, file: file.path)
        let source = RuleTestRunner.source(for: suite.tests[0])
        let evaluator = Evaluator(source: source, defaultStep: suite.evaluationInterval)
        var compared = 0, errors = 0
        var disagreements: [String] = []
        for check in suite.tests[0].exprChecks {
            let key = check.text + " @ " + RuleTestRunner.spanLabel(check.evalTime)
            // A case promtool does not report passed: its answer was the expected nothing.
            let theirs = answers[key] ?? .some([:])
            compared += 1
            var ours: [String: Double]?
            do {
                switch try evaluator.evaluate(check.expr, at: check.evalTime) {
                case .vector(let v): ours = Dictionary(v.map { (Self.promtoolLabels($0.labels), $0.value) }, uniquingKeysWith: { a, _ in a })
                case .scalar(let s): ours = ["{}": s]
                default: ours = nil
                }
            } catch {
                ours = nil
            }
            guard let theirs else {
                errors += 1
                if ours != nil { disagreements.append("\(key): promtool errs, watchbill answers \(ours!)") }
                continue
            }
            guard let ours else {
                disagreements.append("\(key): watchbill errs, promtool answers \(theirs)")
                continue
            }
            let same = Set(ours.keys) == Set(theirs.keys) && ours.allSatisfy { k, v in Double(theirs[k]!).map { Self.close(v, $0) } ?? false }
            if !same { disagreements.append("\(key):\n  promtool  \(theirs.sorted { $0.key < $1.key })\n  watchbill \(ours.sorted { $0.key < $1.key })") }
        }
        #expect(compared == Self.expressions.count * Self.times.count && errors > 0, "compared \(compared), errors \(errors)")
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(compared):\n\(disagreements.prefix(15).joined(separator: "\n"))")
    }
}
