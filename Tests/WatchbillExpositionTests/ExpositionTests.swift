import Foundation
import Testing
import WatchbillCore
@testable import WatchbillExposition

/// The text exposition format against what real exporters serve (captured from Debian's
/// prometheus-node-exporter 1.5 and prometheus 2.42), the corners of the format, and
/// malformed input: an error with its line and cause, never a crash.
@Suite struct ExpositionTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    func family(_ families: [MetricFamily], _ name: String) throws -> MetricFamily {
        try #require(families.first { $0.name == name }, "no family \(name)")
    }

    @Test func nodeExporterOutput() throws {
        let families = try Exposition.parse(try Self.fixture("node_exporter-1.5.txt"), source: "node_exporter")
        // The fixture has 283 TYPE lines and 507 sample lines (grep -c).
        #expect(families.count == 283)
        #expect(families.reduce(0) { $0 + $1.samples.count } == 507)
        let memory = try family(families, "node_memory_MemTotal_bytes")
        #expect(memory.type == .gauge && memory.samples == [ExpositionSample(name: "node_memory_MemTotal_bytes", value: 25_275_990_016)])
        #expect(memory.help == "Memory information field MemTotal_bytes.")
        let cpu = try family(families, "node_cpu_seconds_total")
        #expect(cpu.type == .counter && cpu.samples.count == 16)
        #expect(cpu.samples[0] == ExpositionSample(name: "node_cpu_seconds_total", labels: ["cpu": "0", "mode": "idle"], value: 7284.98))
        let uname = try family(families, "node_uname_info")
        #expect(uname.samples.first?.labels["nodename"] == "vm" && uname.samples.first?.labels["version"] == "#1 SMP PREEMPT_DYNAMIC @0")
        let gc = try family(families, "go_gc_duration_seconds")
        #expect(gc.type == .summary && gc.samples.map(\.name) == Array(repeating: "go_gc_duration_seconds", count: 5)
                + ["go_gc_duration_seconds_sum", "go_gc_duration_seconds_count"])
        #expect(gc.samples.last?.value == 16)
    }

    @Test func prometheusOutputWithHistogramsAndNaN() throws {
        let families = try Exposition.parse(try Self.fixture("prometheus-2.42.txt"), source: "prometheus")
        #expect(families.count == 169 && families.reduce(0) { $0 + $1.samples.count } == 331)
        let duration = try family(families, "prometheus_http_request_duration_seconds")
        #expect(duration.type == .histogram)
        let series = HistogramSeries.group(duration)
        let metrics = try #require(series.first { $0.labels == ["handler": "/metrics"] })
        #expect(metrics.buckets.map(\.upperBound) == [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120, .infinity])
        #expect(metrics.buckets.allSatisfy { $0.count == 3 } && metrics.count == 3 && metrics.sum == 0.004332763)
        // All three requests under 0.1 s: the median is interpolated inside the first bucket.
        #expect(abs(metrics.quantile(0.5) - 0.05) < 1e-12)
        let engine = try family(families, "prometheus_engine_query_duration_seconds")
        #expect(engine.type == .summary && engine.samples.contains { $0.value.isNaN && $0.labels["quantile"] == "0.99" })
    }

    @Test func theFormatsCorners() throws {
        let text = """
            # A comment that is neither HELP nor TYPE.
            # HELP escaped A help with a backslash \\\\ and a line\\nbreak.
            # TYPE escaped gauge
            escaped{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb"} 1
            # TYPE spaced counter
            spaced  { a = "1" , b="2", }   3.5e+2   1700000000000
            untyped_one -Inf
            untyped_two +inf
            untyped_three NaN
            colon:metric{x=""} 0x1

            """
        // 0x1 is not the format's: Go would read it, Prometheus's lexer does not.
        #expect(throws: SourceError.self) { try Exposition.parse(text, source: "t") }
        let families = try Exposition.parse(text.replacingOccurrences(of: "0x1", with: "1"), source: "t")
        let escaped = try family(families, "escaped")
        #expect(escaped.help == "A help with a backslash \\ and a line\nbreak.")
        #expect(escaped.samples[0].labels == ["path": "C:\\dir", "quote": "say \"hi\"", "nl": "a\nb"])
        let spaced = try family(families, "spaced")
        #expect(spaced.samples == [ExpositionSample(name: "spaced", labels: ["a": "1", "b": "2"], value: 350, timestampMs: 1_700_000_000_000)])
        #expect(try family(families, "untyped_one").samples[0].value == -.infinity)
        #expect(try family(families, "untyped_two").samples[0].value == .infinity)
        #expect(try family(families, "untyped_three").samples[0].value.isNaN)
        #expect(try family(families, "colon:metric").type == .untyped)
        #expect(try Exposition.parse("", source: "t").isEmpty)
        // As Prometheus reads them: a bare HELP or TYPE, or one with a name and nothing
        // more, is a comment (so the HELP with text after it is the first); blanks after the
        // last newline are nothing.
        let comments = try Exposition.parse("# HELP\n# TYPE\n# HELP h\n# HELP h the help\n# TYPE h \nh 1\n  ", source: "t")
        #expect(comments.map(\.name) == ["h"] && comments.first?.help == "the help" && comments.first?.samples.count == 1)
        #expect(Exposition.isMetricName("a:b_c9") && !Exposition.isMetricName("9a") && !Exposition.isMetricName(""))
    }

    @Test(arguments: [
        ("x{a=\"1\"", 1, "the label set is not closed"),
        ("x{a=1} 2", 1, "must be quoted"),
        ("x{a=\"1\",a=\"2\"} 2", 1, "label a given twice"),
        ("x{a=\"\\q\"} 2", 1, "is not an escape"),
        ("x", 1, "x has no value"),
        ("x abc", 1, "abc is not a number"),
        ("x 1 12.5", 1, "12.5 is not a timestamp"),
        ("x 1 2 3", 1, "unexpected text after the value"),
        ("{a=\"1\"} 2", 1, "a sample starts with a metric name"),
        ("ok 1\r\n", 1, "1\r is not a number"),
        ("ok 1 \n", 1, "a blank after the value but no timestamp"),
        ("# TYPE g gauge \ng 1\n", 1, "not counter, gauge"),
        ("# HELP h a \\q\n", 1, "\\q is not an escape a HELP may hold"),
        ("# TYPE t histogram\nt_bucket{le=\"fast\"} 2", 2, "le=\"fast\" is not a number"),
        ("# TYPE s summary\ns{quantile=\"high\"} 2", 2, "quantile=\"high\" is not a number"),
        ("# TYPE c counter\nc 1\n# TYPE c counter", 3, "TYPE for c after its samples"),
        ("# TYPE c counter\n# TYPE c gauge", 2, "a second TYPE for c"),
        ("# TYPE c speedometer", 1, "not counter, gauge, histogram, summary or untyped"),
        ("# HELP c one\n# HELP c two", 2, "a second HELP for c"),
        ("# TYPE 9x gauge\n", 1, "TYPE needs a metric name"),
        ("# TYPE c untyped\n# TYPE c gauge\n", 2, "a second TYPE for c"),
        ("c{__name__=\"d\"} 1\n", 1, "label name __name__ is reserved"),
        ("ok 1\nlast 2", 2, "the page ends without a newline"),
    ])
    func malformedInputSaysWhereAndWhy(text: String, line: Int, cause: String) {
        do {
            _ = try Exposition.parse(text, source: "http://127.0.0.1:9100/metrics")
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.file == "http://127.0.0.1:9100/metrics" && error.line == line, "\(error)")
            #expect(error.cause.contains(cause), "\(error)")
        }
    }

    /// One sample's labels within Watchbill's bounds, in both formats: past them the page is
    /// refused with the line, never held.
    @Test func labelsPerSampleAndValueLengthAreBounded() throws {
        let many = (0...Exposition.maxLabels).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let long = "a=\"" + String(repeating: "x", count: Exposition.maxLabelValueBytes + 1) + "\""
        for (format, end) in [(ExpositionFormat.text, ""), (.openMetrics, "# EOF\n")] {
            for (labels, cause) in [(many, "over 256 labels on one sample"), (long, "the value of a is over 65536 bytes")] {
                let page = "ok 1\nm{\(labels)} 1\n" + end
                #expect(throws: SourceError.self) { try Exposition.parse(Array(page.utf8), source: "p", format: format) }
                do { _ = try Exposition.parse(Array(page.utf8), source: "p", format: format) } catch {
                    #expect(error.line == 2 && error.cause.contains(cause), "\(error)")
                }
            }
            let fits = "ok 1\nm{" + (1..<Exposition.maxLabels).map { "l\($0)=\"v\"" }.joined(separator: ",") + "} 1\n" + end
            #expect(try Exposition.parse(Array(fits.utf8), source: "p", format: format).last?.samples.first?.labels.count == Exposition.maxLabels - 1)
        }
    }

    /// Every prefix and a spread of single-byte corruptions of a real scrape: a clean error
    /// or a parse, never a crash (half a response is what a dropped connection leaves).
    @Test func halfResponsesAndCorruptionNeverCrash() throws {
        let bytes = try Self.fixture("node_exporter-1.5.txt")
        var parsed = 0, failed = 0
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            do { _ = try Exposition.parse(Array(bytes[0..<cut]), source: "cut"); parsed += 1 } catch { failed += 1 }
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var b = bytes
            b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            do { _ = try Exposition.parse(b, source: "flip"); parsed += 1 } catch { failed += 1 }
        }
        #expect(parsed > 0 && failed > 0)
    }

    @Test func histogramQuantileAsPrometheusComputesIt() {
        func h(_ pairs: [(Double, Double)]) -> HistogramSeries {
            HistogramSeries(labels: [:], buckets: pairs.map { .init(upperBound: $0.0, count: $0.1) }, sum: nil, count: nil)
        }
        // 10 in (0, 0.1], 10 in (0.1, 0.5], none above: rank of p75 is 15, halfway into the second.
        let s = h([(0.1, 10), (0.5, 20), (.infinity, 20)])
        #expect(abs(s.quantile(0.75) - 0.3) < 1e-12)
        #expect(abs(s.quantile(0.25) - 0.05) < 1e-12)
        #expect(s.quantile(1) == 0.5)
        // Past the last finite bound: that bound.
        #expect(h([(0.1, 1), (.infinity, 10)]).quantile(0.9) == 0.1)
        #expect(h([(0.1, 1), (0.2, 2)]).quantile(0.5).isNaN)      // no +Inf bucket
        #expect(h([(0.1, 0), (.infinity, 0)]).quantile(0.5).isNaN) // no observations
        #expect(s.quantile(-1) == -.infinity && s.quantile(2) == .infinity && s.quantile(.nan).isNaN)
        // A torn scrape with a count going down is read as flat.
        #expect(abs(h([(0.1, 10), (0.5, 8), (.infinity, 20)]).quantile(0.5) - 0.1) < 1e-12)
    }
}

@Suite struct ExpositionWriterTests {
    @Test func whatIsWrittenReadsBackTheSame() throws {
        let families = [
            MetricFamily(name: "node_network_receive_bytes_total", type: .counter, help: "Bytes in.\nPer device \\ interface.",
                         samples: [ExpositionSample(name: "node_network_receive_bytes_total", labels: ["device": "eth0"], value: 66_664_781),
                                   ExpositionSample(name: "node_network_receive_bytes_total", labels: ["device": "we\"ird\\dev\nice"], value: 1.5)]),
            MetricFamily(name: "probe_duration_seconds", type: .gauge, samples: [
                ExpositionSample(name: "probe_duration_seconds", labels: ["instance": "https://x", "probe": "api"], value: .nan),
                ExpositionSample(name: "probe_duration_seconds", labels: ["instance": "b", "probe": "b"], value: .infinity, timestampMs: 1_700_000_000_000),
                ExpositionSample(name: "probe_duration_seconds", labels: ["instance": "c", "probe": "c"], value: -.infinity)]),
            MetricFamily(name: "empty", type: .gauge),
        ]
        let text = ExpositionWriter.render(families)
        #expect(text.contains("node_network_receive_bytes_total{device=\"eth0\"} 66664781\n"))
        #expect(text.contains("{device=\"we\\\"ird\\\\dev\\nice\"} 1.5"))
        #expect(text.contains("probe_duration_seconds{instance=\"https://x\",probe=\"api\"} NaN\n"))
        #expect(text.contains("+Inf 1700000000000\n") && text.contains("-Inf\n") && !text.contains("empty"))
        let back = try Exposition.parse(text, source: "written")
        #expect(back == Array(families.prefix(2)))
    }
}
