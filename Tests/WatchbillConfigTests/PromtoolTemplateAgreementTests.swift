import Foundation
import Testing
import WatchbillConfig
@testable import WatchbillRules

private let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Annotation templates rendered by Watchbill and by Debian's promtool 2.42 for the same
/// alert: promtool's alert tests are given no expected annotations, so they print the ones
/// Prometheus rendered, and Watchbill's must be the same text.
@Suite(.enabled(if: promtool != nil, "promtool is not installed (Debian's prometheus package)"))
struct PromtoolTemplateAgreementTests {
    static let annotations: [String] = [
        "VALUE = {{ $value }}\\n  LABELS = {{ $labels }}",
        "{{ printf \"%.2f\" $value }}% on {{ $labels.instance | toUpper }}",
        "{{humanize $value}} {{ $value | humanize1024 }} {{ humanizePercentage $value }} {{ humanizeDuration $value }}",
        "{{ if gt $value 1.0 }}big{{ else if gt $value 0.5 }}mid{{ else }}small{{ end }}",
        "{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}",
        "{{ with $labels.instance }}on {{ . }}{{ else }}nowhere{{ end }}",
        "a  {{- \" b \" -}}  c {{ title \"disk full\" }} {{ toLower \"ABC\" }}",
        "x {{- 1 -}} y {{-\\t2\\t-}} z {{-\\n3\\n-}} w\\r\\n{{- 4}}",
        "{{ reReplaceAll \"(.*)-(.*)\" \"$2:$1\" $labels.instance }} {{ if match \"^web\" $labels.instance }}web{{ end }}",
        "{{ $x := 3 }}{{ $x }} {{ len $labels }} {{ .Labels.job }} {{ .Value }} {{/* comment */}}",
        "{{ printf \"%d items, %s, %5.1f|%-4s|%v\" 3 \"s\" $value \"ab\" $labels.job }}",
        "{{ $value | printf \"%.3e\" }} {{ printf \"%x %q %t\" 255 \"q\" true }}",
        "{{ and 1 0 }} {{ or 0 \"x\" }} {{ not true }} {{ eq $labels.job \"api\" \"web\" }} {{ index $labels \"job\" }}",
        "{{ stripPort \"host:9100\" }} {{ stripDomain \"a.b.c:80\" }} {{ humanizeTimestamp 1435065584.128 }}",
        "{{ print 1 2 \"a\" 3 }} {{ urlquery \"a b&c\" }} {{ html \"<b>\" }}",
        "{{ with query \"sum(v1)\" }}{{ . | first | value | humanize }}{{ end }} {{ range query \"v2\" }}{{ .Labels.instance }}={{ .Value }} {{ end }}",
        "{{ with query \"nothing_here\" }}{{ . | first | value }}{{ else }}no data{{ end }} {{ label \"job\" (query \"v3\" | first) }}",
    ]

    static let values = ["1000000", "2.5", "0.75", "0.00001", "123456", "0.3333333333333333"]

    static func promtoolAnnotations(_ test: URL) throws -> [String: [String: String]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: promtool!)
        p.arguments = ["test", "rules", test.path]
        p.currentDirectoryURL = test.deletingLastPathComponent()
        let out = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // "alertname: A3, time: 2m," then, under got:, "Annotations:{d="…"}".
        var result: [String: [String: String]] = [:]
        var current: String?
        var inGot = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("alertname: ") {
                current = line.dropFirst(11).split(separator: ",").first.map(String.init).map { $0 + " @ " + (line.components(separatedBy: "time: ").last?.split(separator: ",").first.map(String.init) ?? "") }
                inGot = false
            } else if line.hasPrefix("got:") {
                inGot = true
            } else if inGot, line.hasPrefix("Annotations:{"), let key = current {
                result[key] = parseQuotedMap(String(line.dropFirst(13).dropLast()))
            }
        }
        return result
    }

    /// `a="x", b="y\"z"` (Go %q values) into a dictionary.
    static func parseQuotedMap(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        var chars = Array(text)[...]
        while !chars.isEmpty {
            while chars.first == "," || chars.first == " " { chars.removeFirst() }
            guard let eq = chars.firstIndex(of: "=") else { break }
            let key = String(chars[chars.startIndex..<eq])
            chars = chars[(eq + 2)...]
            var value = ""
            while let c = chars.popFirst(), c != "\"" {
                if c == "\\", let e = chars.popFirst() {
                    switch e {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    default: value.append(e)
                    }
                } else {
                    value.append(c)
                }
            }
            out[key] = value
        }
        return out
    }

    @Test func theSameAnnotationsAsPromtool() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("template-agreement-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rules = "groups:\n  - name: g\n    rules:\n"
        for (i, _) in Self.values.enumerated() {
            rules += "      - alert: A\(i)\n        expr: \(i % 2 == 0 ? "v\(i) > 0" : "sum by (instance, job) (v\(i)) > 0")\n        labels: {severity: warning}\n        annotations:\n"
            for (k, a) in Self.annotations.enumerated() { rules += "          t\(k): \"\(a.replacingOccurrences(of: "\"", with: "\\\""))\"\n" }
        }
        try rules.write(to: dir.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        var test = "rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"
        for (i, v) in Self.values.enumerated() { test += "      - series: 'v\(i){instance=\"web-1\",job=\"api\"}'\n        values: '\(v)x5'\n" }
        test += "    alert_rule_test:\n"
        for i in Self.values.indices {
            test += "      - eval_time: 2m\n        alertname: A\(i)\n        exp_alerts:\n          - exp_labels: {severity: warning, instance: web-1, job: api}\n"
        }
        let testFile = dir.appendingPathComponent("rules_test.yml")
        try test.write(to: testFile, atomically: true, encoding: .utf8)
        let theirs = try Self.promtoolAnnotations(testFile)

        let groups = try RuleFile.parse(rules, file: "rules.yml").groups
        let suite = try RuleTestFile.parse(test, file: "rules_test.yml")
        let source = RuleTestRunner.source(for: suite.tests[0])
        var engine = AlertEngine(groups: groups.map { AlertEngine.Group(name: $0.name, interval: 60, rules: $0.rules.map(\.rule)) })
        for t in stride(from: 0.0, through: 120, by: 60) { _ = engine.tick(at: t, source: source) }
        var disagreements: [String] = []
        var compared = 0
        for pair in engine.alerts where pair.alert.phase == .firing {
            let key = pair.rule.name + " @ 2m"
            guard let expected = theirs[key] else { disagreements.append("\(key): promtool printed nothing"); continue }
            let ours = pair.rule.annotations(of: pair.alert)
            for (name, text) in expected {
                compared += 1
                if ours[name] != text { disagreements.append("\(key) \(name):\n  promtool  \(text.debugDescription)\n  watchbill \((ours[name] ?? "nil").debugDescription)") }
            }
        }
        #expect(compared == Self.values.count * Self.annotations.count, "compared \(compared)")
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(compared):\n\(disagreements.prefix(12).joined(separator: "\n"))")
    }
}
