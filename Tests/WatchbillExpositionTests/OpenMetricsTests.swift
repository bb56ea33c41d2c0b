import Foundation
import Testing
@testable import WatchbillExposition
import WatchbillCore

/// OpenMetrics pages as the Python client writes them, read into the same families the
/// text format gives; the format chosen by Content-Type; what Prometheus refuses refused
/// with the line and the cause.
@Suite struct OpenMetricsTests {
    static func fixture(_ name: String) throws -> [MetricFamily] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/python_client/\(name)")
        return try Exposition.parse(Array(try Data(contentsOf: url)), source: name, format: .openMetrics)
    }

    @Test func theFormatComesFromTheContentType() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "Application/OpenMetrics-Text") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4; charset=utf-8") == .text)
        #expect(ExpositionFormat(contentType: nil) == .text)
        #expect(ExpositionFormat(contentType: "application/json") == .text)
        // Prometheus 2.42's own Accept header, word for word.
        #expect(ExpositionFormat.scrapeAccept == "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
    }

    @Test func countersAndGaugesWithEscapesAndSpecialValues() throws {
        let families = try Self.fixture("client-basic.om")
        #expect(families.map(\.name) == ["http_requests", "queue_depth_bytes"])
        let requests = families[0]
        #expect(requests.type == .counter && requests.help == "Requests served.")
        // A counter's samples keep their names: _total and _created.
        #expect(requests.samples.map(\.name) == ["http_requests_total", "http_requests_created", "http_requests_total", "http_requests_created"])
        #expect(requests.samples[0].labels == ["method": "GET", "path": "/"] && requests.samples[0].value == 1027)
        // path="/a \"quoted\" \\ path\nwith a newline" unescaped.
        #expect(requests.samples[2].labels["path"] == "/a \"quoted\" \\ path\nwith a newline" && requests.samples[2].value == 3)
        let queue = families[1]
        #expect(queue.type == .gauge && queue.help == "Bytes waiting, with a \\ backslash and\na newline in the help.")
        let byQueue = Dictionary(uniqueKeysWithValues: queue.samples.map { ($0.labels["queue"]!, $0.value) })
        #expect(byQueue["mail"] == 12345.5 && byQueue["nan"]!.isNaN && byQueue["inf"] == .infinity && byQueue["neg-inf"] == -.infinity)
        #expect(byQueue["tiny"] == 1e-300 && byQueue["huge"] == 1.7e308)
    }

    @Test func histogramsSummariesAndTheOpenMetricsTypes() throws {
        let families = try Self.fixture("client-histogram-summary.om")
        let latency = try #require(families.first { $0.name == "request_latency_seconds" })
        // The exemplar on the 0.1 bucket is read past, not taken for a sample.
        let series = HistogramSeries.group(latency)
        #expect(series.count == 1 && series[0].labels == ["service": "api"])
        #expect(series[0].buckets.map(\.upperBound) == [0.005, 0.1, 0.5, 1, 2.5, .infinity])
        #expect(series[0].buckets.map(\.count) == [1, 3, 5, 6, 6, 7] && series[0].count == 7 && series[0].sum == 4.3709999999999996)
        let payload = try #require(families.first { $0.name == "payload_size_bytes" })
        #expect(payload.type == .summary && payload.samples.map(\.name) == ["payload_size_bytes_count", "payload_size_bytes_sum", "payload_size_bytes_created"])

        let other = try Self.fixture("client-info-enum-gaugehistogram.om")
        #expect(other.map(\.name) == ["build", "service_state", "queue_wait_seconds", "jobs_done"])
        #expect(other.map(\.type) == [.info, .stateset, .gaugehistogram, .counter])
        #expect(other[0].samples == [ExpositionSample(name: "build_info", labels: ["branch": "main", "revision": "abc123", "version": "1.2.3"], value: 1)])
        #expect(other[1].samples.map { $0.labels["service_state"]! } == ["starting", "running", "stopped"] && other[1].samples.map(\.value) == [0, 1, 0])
        #expect(other[2].samples.map(\.name) == ["queue_wait_seconds_bucket", "queue_wait_seconds_bucket", "queue_wait_seconds_gcount", "queue_wait_seconds_gsum"])
    }

    @Test func timestampsAreSecondsAndUnknownIsUntyped() throws {
        let families = try Exposition.parse("# TYPE a unknown\na 1 1520879607.789\nb{c=\"d\"} 2 -1.5\n# EOF\n", source: "p", format: .openMetrics)
        #expect(families.map(\.type) == [.untyped, .untyped])
        #expect(families[0].samples[0].timestampMs == 1_520_879_607_789 && families[1].samples[0].timestampMs == -1500)
        // The text format keeps its own types: `info` is no TYPE there.
        #expect(throws: SourceError.self) { try Exposition.parse("# TYPE a info\na 1\n", source: "p") }
    }

    /// What Prometheus refuses, with where and why.
    @Test func refusedWithLineAndCause() {
        func cause(_ page: String) -> String? {
            do {
                _ = try Exposition.parse(page, source: "om", format: .openMetrics)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(cause("a 1\n") == "om:2: column 1: the page does not end with # EOF")
        #expect(cause("a 1\n# EOF\nb 1\n") == "om:3: column 1: there is more after # EOF")
        #expect(cause("a 1\n# a note\n# EOF\n") == "om:2: column 3: a comment is '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)")
        #expect(cause("a 1\n\n# EOF\n") == "om:2: column 1: a line starts with a metric name, '# ' or nothing else")
        #expect(cause("a{b=\"1\",} 1\n# EOF\n") == "om:1: column 9: a label name was expected")
        #expect(cause("a{b=\"1\", c=\"2\"} 1\n# EOF\n") == "om:1: column 9: a label name was expected")
        #expect(cause("a  1\n# EOF\n") == "om:1: column 3: \"\" is not a number")
        #expect(cause("a 1e400\n# EOF\n") == "om:1: column 3: \"1e400\" is not a number")
        #expect(cause("a 0x10\n# EOF\n") != nil && cause("a +nan\n# EOF\n") != nil && cause("a 1 NaN\n# EOF\n") != nil)
        #expect(cause("# TYPE a Gauge\na 1\n# EOF\n")?.hasPrefix("om:1: column 10: TYPE a Gauge: not counter") == true)
        #expect(cause("# UNIT a_seconds bytes\n# EOF\n") == "om:1: column 18: unit bytes is not the end of a_seconds")
        #expect(cause("a 1 # {t=\"x\"} 2\n# EOF\n") == "om:1: column 4: a may not carry an exemplar (only _total and _bucket)")
        #expect(cause("a{b=\"1\",b=\"2\"} 1\n# EOF\n") == "om:1: column 9: label b given twice")
        #expect(cause("a 1\r\n# EOF\n") == "om:1: column 3: \"1\\r\" is not a number")
        // What Prometheus reads: a bare `# EOF` without its newline, an empty label set,
        // a trailing exemplar timestamp, an unknown escape kept as written.
        #expect(cause("a{} 1\nb_total 2 # {t=\"x\"} 2 3\nc{d=\"\\q\"} 1\n# EOF") == nil)
        #expect((try? Exposition.parse("c{d=\"\\q\"} 1\n# EOF\n", source: "om", format: .openMetrics))?.first?.samples.first?.labels["d"] == "\\q")
    }
}
