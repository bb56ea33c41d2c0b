import Foundation
import Testing
import WatchbillCore
@testable import WatchbillConfig
import WatchbillRules

struct RuleFileTests {
    @Test func aPrometheusRuleFileLoads() throws {
        let text = """
            groups:
              - name: host
                interval: 15s
                rules:
                  - alert: DiskAlmostFull
                    expr: (1 - node_filesystem_avail_bytes / node_filesystem_size_bytes) > 0.9
                    for: 5m
                    keep_firing_for: 10m
                    labels: {severity: P2}
                    annotations:
                      summary: "{{ $labels.mountpoint }} is {{ $value | humanizePercentage }} full"
                      runbook_url: disk-full.md
                  - alert: ProbeDown
                    expr: |
                      probe_success == 0
                    for: 1m
                    labels: {severity: P1}
            """
        let (groups, warnings) = try RuleFile.parse(text, file: "host.rules.yml")
        #expect(groups.map(\.name) == ["host"] && groups[0].interval == 15)
        let disk = groups[0].rules[0]
        #expect(disk.rule.name == "DiskAlmostFull" && disk.rule.holdFor == 300 && disk.rule.keepFiringFor == 600)
        #expect(disk.rule.labels == ["severity": "P2"] && disk.rule.annotations["runbook_url"] == "disk-full.md")
        #expect(disk.line == 5)
        #expect(groups[0].rules[1].exprText == "probe_success == 0\n")
        #expect(warnings == ["host.rules.yml:13: rule ProbeDown has no runbook_url annotation"])
    }

    /// An error inside `expr` points into the file, not into the expression.
    @Test(arguments: [
        ("      expr: rate(x[5m]) / bogus(y)\n", 5, 27),  // inline
        ("      expr: \"rate(x[5m]) / bogus(y)\"\n", 5, 28),  // quoted: after the quote
        ("      expr: |\n        rate(x[5m])\n          / bogus(y)\n", 7, 13),  // block: its own lines
    ])
    func exprErrorsPointIntoTheFile(exprLines: String, line: Int, column: Int) throws {
        // Lines 1 to 4: groups, the group's name, rules, the alert; the expression from line 5.
        let file = "groups:\n  - name: g\n    rules:\n    - alert: A\n" + exprLines
        do {
            _ = try RuleFile.parse(file, file: "r.yml")
            Issue.record("no error")
        } catch let e as SourceError {
            #expect(e.line == line && e.column == column, "\(e)")
            #expect(e.cause == "in A: unknown function 'bogus'")
        }
    }

    @Test func errorsNameLineAndColumn() throws {
        let recorded = try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - record: x:rate\n      expr: rate(x[5m])\n      labels: {a: b}\n", file: "r.yml")
        #expect(recorded.groups[0].recordings.map(\.name) == ["x:rate"] && recorded.groups[0].recordings[0].labels == ["a": "b"])
        #expect(throws: SourceError(file: "r.yml", line: 6, column: 7, cause: "invalid field 'for' in recording rule x:rate")) {
            try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - record: x:rate\n      expr: rate(x[5m])\n      for: 5m\n", file: "r.yml")
        }
        #expect(throws: SourceError.self) {
            try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - record: 'not a name'\n      expr: x\n", file: "r.yml")
        }
        // A label's template is checked at load like an annotation's.
        #expect(throws: SourceError(file: "r.yml", line: 6, column: 22, cause: "label host: function \"upper\" not defined")) {
            try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      labels: {host: \"{{ upper $labels.instance }}\"}\n", file: "r.yml")
        }
        // A team's severity words load: the common ones mapped, any other a warning (P3).
        let team = try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      labels: {severity: critical}\n"
                                      + "      annotations: {runbook_url: r.md}\n    - alert: B\n      expr: up == 0\n      labels: {severity: sev2}\n", file: "r.yml")
        #expect(team.groups[0].rules.map { $0.rule.labels["severity"] } == ["critical", "sev2"])
        #expect(team.warnings == ["r.yml:8: rule B: severity 'sev2' is none of P0 to P3, critical, page, error, warning, info, none or the config's severities; it counts as P3"])
        #expect(throws: SourceError.self) {
            try RuleFile.parse("groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n", file: "r.yml")
        }
        #expect(throws: SourceError(file: "r.yml", line: 6, column: 30,
                                    cause: "annotation summary: function \"upper\" not defined")) {
            try RuleFile.parse("groups:\n  - name: g\n    rules:\n    - alert: A\n      expr: up == 0\n      annotations: {summary: \"{{ $labels.job | upper }}\"}\n", file: "r.yml")
        }
    }
}

struct BuiltinRulesTests {
    /// The embedded copy is the shipped file (rules/embed.sh regenerates it).
    @Test func embeddedRulesMatchTheFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules/default.rules.yml")
        let file = try String(contentsOf: url, encoding: .utf8)
        #expect(BuiltinRules.source + "\n" == file, "run rules/embed.sh")
        let (groups, warnings) = try RuleFile.parse(BuiltinRules.source, file: BuiltinRules.file)
        #expect(groups.flatMap(\.rules).count == 13 && warnings.isEmpty)
    }

    /// Every shipped runbook is embedded as it is on disk, and every default rule's
    /// runbook_url names one of them.
    @Test func embeddedRunbooksMatchTheFilesAndCoverEveryRule() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("runbooks")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".md") }
        #expect(Set(names) == Set(BuiltinRunbooks.files.keys), "run rules/embed.sh")
        for name in names {
            let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
            #expect(BuiltinRunbooks.files[name].map { $0 + "\n" } == text, "\(name): run rules/embed.sh")
        }
        let (groups, _) = try RuleFile.parse(BuiltinRules.source, file: BuiltinRules.file)
        for rule in groups.flatMap(\.rules) {
            #expect(BuiltinRunbooks.files[rule.rule.annotations["runbook_url"] ?? ""] != nil, "\(rule.rule.name)")
        }
    }
}
