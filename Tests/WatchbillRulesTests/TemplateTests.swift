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

    @Test func unsupportedTemplatesFailAtLoad() {
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 7),
                                  cause: "template function 'toUpper' is not supported (humanize, humanize1024, humanizePercentage, humanizeDuration)")) {
            try Template("Disk: {{ $labels.mountpoint | toUpper }}")
        }
        #expect(throws: ExprError(at: SourcePosition(line: 1, column: 1), cause: "'{{' is not closed")) {
            try Template("{{ $value")
        }
        #expect(throws: ExprError.self) { try Template("{{ range $labels }}x{{ end }}") }
    }
}
