import Foundation
import Testing

private let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The same rule files and unit tests through `watchbill rules test` and Debian's
/// `promtool test rules`: they must agree, case by case, on pass or fail.
@Suite(.serialized) struct RulesTestEndToEndTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var rules: String
        var test: String
        var passes: Bool
        var testDescription: String { name }
    }

    static let down = """
        groups:
          - name: g
            rules:
              - alert: InstanceDown
                expr: up == 0
                for: 2m
                labels: {severity: P1}
                annotations:
                  summary: "{{ $labels.instance }} of {{ $labels.job }} is down"
                  runbook_url: down.md
        """

    static let cases: [Case] = [
        Case(name: "instance down fires after for", rules: down, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'up{job="node", instance="a"}'
                    values: '1 1 0x6'
                  - series: 'up{job="node", instance="b"}'
                    values: '1x8'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: InstanceDown
                  - eval_time: 4m
                    alertname: InstanceDown
                    exp_alerts:
                      - exp_labels: {severity: P1, job: node, instance: a}
                        exp_annotations: {summary: "a of node is down", runbook_url: down.md}
            """, passes: true),
        Case(name: "a wrong severity fails", rules: down, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'up{job="node", instance="a"}'
                    values: '0x6'
                alert_rule_test:
                  - eval_time: 5m
                    alertname: InstanceDown
                    exp_alerts:
                      - exp_labels: {severity: P2, job: node, instance: a}
                        exp_annotations: {summary: "a of node is down", runbook_url: down.md}
            """, passes: false),
        Case(name: "error rate from a counter, humanized", rules: """
            groups:
              - name: g
                rules:
                  - alert: ErrorsHigh
                    expr: rate(http_errors_total[5m]) > 0.5
                    for: 2m
                    labels: {severity: P2}
                    annotations: {summary: "{{ $value | humanize }} errors/s", runbook_url: e.md}
            """, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'http_errors_total{job="api"}'
                    values: '0+60x20'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: ErrorsHigh
                    exp_alerts:
                      - exp_labels: {severity: P2, job: api}
                        exp_annotations: {summary: "1 errors/s", runbook_url: e.md}
            """, passes: true),
        Case(name: "disk predicted to fill", rules: """
            groups:
              - name: g
                rules:
                  - alert: DiskFillsIn4h
                    expr: predict_linear(node_filesystem_avail_bytes[1h], 4 * 3600) < 0
                    for: 5m
                    labels: {severity: P1}
                    annotations: {summary: "{{ $labels.mountpoint }}", runbook_url: d.md}
            """, test: """
            tests:
              - interval: 5m
                input_series:
                  - series: 'node_filesystem_avail_bytes{mountpoint="/var"}'
                    values: '100e9-3e9x30'
                  - series: 'node_filesystem_avail_bytes{mountpoint="/"}'
                    values: '100e9x30'
                alert_rule_test:
                  - eval_time: 2h
                    alertname: DiskFillsIn4h
                    exp_alerts:
                      - exp_labels: {severity: P1, mountpoint: /var}
                        exp_annotations: {summary: "/var", runbook_url: d.md}
            """, passes: true),
        Case(name: "absent metric", rules: """
            groups:
              - name: g
                rules:
                  - alert: NodeMissing
                    expr: absent(up{job="node"})
                    for: 1m
                    labels: {severity: P2}
                    annotations: {summary: "no node", runbook_url: n.md}
            """, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'up{job="other"}'
                    values: '1x10'
                alert_rule_test:
                  - eval_time: 5m
                    alertname: NodeMissing
                    exp_alerts:
                      - exp_labels: {severity: P2, job: node}
                        exp_annotations: {summary: "no node", runbook_url: n.md}
            """, passes: true),
        Case(name: "label templates are rendered for each series", rules: """
            groups:
              - name: g
                rules:
                  - alert: Busy
                    expr: load > 1
                    labels:
                      severity: warning
                      host: "{{ $labels.instance }}-x"
                      level: "{{ if gt $value 5.0 }}high{{ else }}low{{ end }}"
                    annotations: {summary: "{{ $labels.instance }} {{ $labels.level }}", runbook_url: b.md}
            """, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'load{instance="a"}'
                    values: '7x5'
                  - series: 'load{instance="b"}'
                    values: '2x5'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: Busy
                    exp_alerts:
                      - exp_labels: {severity: warning, instance: a, host: a-x, level: high}
                        exp_annotations: {summary: "a ", runbook_url: b.md}
                      - exp_labels: {severity: warning, instance: b, host: b-x, level: low}
                        exp_annotations: {summary: "b ", runbook_url: b.md}
            """, passes: true),
        Case(name: "recording rules feed an alert and an expression test", rules: recorded, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'http_requests_total{job="api", code="200"}'
                    values: '0+60x20'
                  - series: 'http_requests_total{job="api", code="500"}'
                    values: '0+6x20'
                promql_expr_test:
                  - expr: job:errors:ratio5m
                    eval_time: 10m
                    exp_samples:
                      - labels: 'job:errors:ratio5m{job="api", team="core"}'
                        value: 0.09090909090909091
                  - expr: sum(job:requests:rate5m)
                    eval_time: 10m
                    exp_samples:
                      - labels: '{}'
                        value: 1.1
                alert_rule_test:
                  - eval_time: 10m
                    alertname: ErrorsHigh
                    exp_alerts:
                      - exp_labels: {severity: warning, job: api, team: core}
                        exp_annotations: {summary: "api: 9.091% errors", runbook_url: e.md}
            """, passes: true),
        Case(name: "a wrong recorded value fails", rules: recorded, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'http_requests_total{job="api", code="200"}'
                    values: '0+60x20'
                promql_expr_test:
                  - expr: job:requests:rate5m
                    eval_time: 10m
                    exp_samples:
                      - labels: 'job:requests:rate5m{job="api"}'
                        value: 2
            """, passes: false),
        // Rules run in the file's order: an alert above the recording rule it reads sees the
        // value recorded one evaluation earlier, so it fires a minute later than below it.
        Case(name: "an alert above its recording rule sees the last evaluation", rules: """
            groups:
              - name: ordered
                rules:
                  - alert: Above
                    expr: step:copy > 1
                    labels: {severity: warning}
                  - record: step:copy
                    expr: step
                  - alert: Below
                    expr: step:copy > 1
                    labels: {severity: warning}
            """, test: """
            tests:
              - interval: 1m
                input_series:
                  - series: 'step{job="a"}'
                    values: '0 0 0 5 5 5 5'
                alert_rule_test:
                  - eval_time: 3m
                    alertname: Above
                  - eval_time: 3m
                    alertname: Below
                    exp_alerts:
                      - exp_labels: {severity: warning, job: a}
                  - eval_time: 4m
                    alertname: Above
                    exp_alerts:
                      - exp_labels: {severity: warning, job: a}
            """, passes: true),
    ]

    static let recorded = """
        groups:
          - name: recorded
            rules:
              - record: job:requests:rate5m
                expr: sum by (job) (rate(http_requests_total[5m]))
              - record: job:errors:ratio5m
                expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / job:requests:rate5m
                labels: {team: core}
              - alert: ErrorsHigh
                expr: job:errors:ratio5m > 0.05
                for: 2m
                labels: {severity: warning}
                annotations:
                  summary: "{{ $labels.job }}: {{ $value | humanizePercentage }} errors"
                  runbook_url: e.md
        """

    func run(_ c: Case) throws -> (watchbill: Int32, promtool: Int32?, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-rt-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try c.rules.write(to: dir.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        try ("rule_files: [rules.yml]\nevaluation_interval: 1m\n" + c.test)
            .write(to: dir.appendingPathComponent("test.yml"), atomically: true, encoding: .utf8)
        let test = dir.appendingPathComponent("test.yml").path
        let w = try runWatchbill(["rules", "test", test])
        let p = try promtool.map { try runProgram($0, ["test", "rules", test]).status }
        return (w.status, p, w.out + w.err)
    }

    @Test(arguments: cases)
    func watchbillAgreesWithPromtool(_ c: Case) throws {
        let r = try run(c)
        #expect((r.watchbill == 0) == c.passes, "watchbill: \(r.output)")
        if let p = r.promtool {
            #expect(r.watchbill == p, "watchbill exit \(r.watchbill), promtool exit \(p): \(r.output)")
        }
    }
}

/// The shipped default rules: they load without warnings, their unit tests pass here and in
/// promtool, and every rule's runbook exists with the sections of the team's template.
@Suite struct DefaultRulesTests {
    static let rules = TmuxSession.packageRoot.appendingPathComponent("rules")
    static let runbooks = TmuxSession.packageRoot.appendingPathComponent("runbooks")

    @Test func loadCleanly() throws {
        let r = try runWatchbill(["rules", "check", Self.rules.appendingPathComponent("default.rules.yml").path])
        #expect(r.status == 0 && r.err.isEmpty, "\(r.out)\(r.err)")
        #expect(r.out.contains("OK, 2 groups, 13 rules"))
    }

    @Test func unitTestsPassHereAndInPromtool() throws {
        let file = Self.rules.appendingPathComponent("default.rules.test.yml").path
        let r = try runWatchbill(["rules", "test", file])
        #expect(r.status == 0, "\(r.out)\(r.err)")
        guard let promtool else { return }
        let p = try runProgram(promtool, ["test", "rules", file])
        #expect(p.status == 0, "promtool disagrees: \(p.out)\(p.err)")
    }

    @Test func everyRuleHasARunbookInTheTemplate() throws {
        let text = try String(contentsOf: Self.rules.appendingPathComponent("default.rules.yml"), encoding: .utf8)
        let names = text.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "runbook_url: ") else { return nil }
            return String(line[r.upperBound...])
        }
        #expect(names.count == 13)
        for name in Set(names) {
            let book = try String(contentsOf: Self.runbooks.appendingPathComponent(name), encoding: .utf8)
            for section in ["## Alert:", "### What This Means", "### Impact", "### Triage Steps", "### Common Causes",
                            "### Mitigation", "### Resources"] {
                #expect(book.contains(section), "\(name) lacks \(section)")
            }
        }
    }
}
