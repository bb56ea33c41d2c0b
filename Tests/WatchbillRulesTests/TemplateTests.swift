import Testing
@testable import WatchbillRules

struct TemplateTests {
    let labels = Labels(["mountpoint": "/var", "instance": "web-1"])

    func render(_ text: String, _ value: Double) throws -> String {
        try Template(text).render(labels: labels, value: value)
    }

    @Test func labelsAndValues() throws {
        #expect(try render("{{ $labels.mountpoint }} on {{$labels.instance}} is {{ $value | humanizePercentage }} full", 0.9312)
            == "/var on web-1 is 93.12% full")
        #expect(try render("value {{ $value }}", 0.95) == "value 0.95")
        #expect(try render("{{ $value }}", 3) == "3")
        #expect(try render("missing '{{ $labels.nope }}'", 1) == "missing ''")
    }

    /// Prometheus' humanize functions, figures checked against what Prometheus prints.
    @Test func humanizers() throws {
        #expect(try render("{{ $value | humanize }}", 1234.5) == "1.234k")
        #expect(try render("{{ $value | humanize }}", 0.0125) == "12.5m")
        #expect(try render("{{ $value | humanize }}", 2_500_000) == "2.5M")
        #expect(try render("{{ $value | humanize1024 }}", 1_073_741_824) == "1Gi")
        #expect(try render("{{ $value | humanizeDuration }}", 93_784) == "1d 2h 3m 4s")
        #expect(try render("{{ $value | humanizeDuration }}", 0.0125) == "12.5ms")
        #expect(try render("{{ $value | humanizeDuration }}", 61) == "1m 1s")
        // A value no duration can be (a broken exporter's 1e300) is printed, not a trap.
        #expect(try render("{{ $value | humanizeDuration }}", 1e300) == "1e+300")
    }

    /// Go's text/template as Prometheus runs it: `$labels` printed as a Go map, printf's
    /// verbs, pipelines without spaces, conditionals, range, with, trim markers, comparisons.
    @Test func goTemplateSemantics() throws {
        #expect(try render("LABELS = {{ $labels }}", 1) == "LABELS = map[instance:web-1 mountpoint:/var]")
        #expect(try render("VALUE = {{ $value }}", 1_000_000) == "VALUE = 1e+06")
        #expect(try render("{{ $value }}", 123456) == "123456")
        #expect(try render("{{ $value }}", 0.00001) == "1e-05")
        #expect(try render("{{ printf \"%.2f\" $value }}%", 93.126) == "93.13%")
        #expect(try render("{{printf \"%.1f%%\" $value}}", 5) == "5.0%")
        #expect(try render("{{humanize $value}}", 1234.5) == "1.234k")
        #expect(try render("{{ .Labels.instance }} {{ .Value }}", 2.5) == "web-1 2.5")
        #expect(try render("{{ if gt $value 80.0 }}hot{{ else if gt $value 50.0 }}warm{{ else }}cool{{ end }}", 60) == "warm")
        #expect(try render("{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}", 1) == "instance=web-1;mountpoint=/var;")
        #expect(try render("{{ with $labels.instance }}on {{ . }}{{ end }}", 1) == "on web-1")
        #expect(try render("a  {{- \" b \" -}}  c", 1) == "a b c")
        #expect(try render("{{ $labels.instance | toUpper }} {{ title \"disk full\" }}", 1) == "WEB-1 Disk Full")
        #expect(try render("{{ reReplaceAll \"(.*)-(.*)\" \"$2:$1\" $labels.instance }}", 1) == "1:web")
        #expect(try render("{{ if match \"^web\" $labels.instance }}web{{ end }}", 1) == "web")
        #expect(try render("{{ $x := 3 }}{{ $x }} {{ len $labels }}", 1) == "3 2")
        #expect(try render("{{/* a comment */}}ok", 1) == "ok")
        // What fails when run renders as Prometheus renders it, never stopping the engine.
        #expect(try render("{{ gt $value 80 }}", 90).hasPrefix("<error expanding template: incompatible types for comparison"))
    }

    @Test func whatGoRefusesFailsAtLoad() {
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 7), cause: "function \"upper\" not defined")) {
            try Template("Disk: {{ $labels.mountpoint | upper }}")
        }
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 1), cause: "'{{' is not closed")) {
            try Template("{{ $value")
        }
        #expect(throws: ExprError.self) { try Template("{{ if $value }}x") }
        #expect(throws: ExprError.self) { try Template("{{ end }}") }
        #expect(throws: ExprError.self) { try Template("{{ template \"x\" }}") }
    }
}
