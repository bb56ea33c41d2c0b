import Foundation
import LoopbackServers
import Testing
import WatchbillExposition

private let prometheusPath = ["/usr/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// Debian's Prometheus 2.42 scrapes every page of a corpus from a loopback server, each with
/// the Content-Type an exporter would answer (OpenMetrics or the text format), and what it
/// stored is read back through its query API: for OpenMetrics pages its verdict (the target
/// up, or down with a parse error) is held equal to Watchbill's, and wherever both read a
/// page (either format) the samples must be the same series with the same values.
///
/// The corpus: the OpenMetrics project's conformance cases, pages written by the Python
/// client library in both formats, node_exporter's published pages and Prometheus' own,
/// edge cases, and deterministic damage to a client's OpenMetrics page.
@Suite(.serialized, .enabled(if: prometheusPath != nil, "prometheus is not installed (Debian's prometheus package)"))
struct PrometheusScrapeAgreementTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = here.appendingPathComponent("Fixtures")

    struct Page {
        var name: String
        var bytes: [UInt8]
        var format: ExpositionFormat
    }

    static var openMetricsEdgeCases: [String] {
        [
            "# EOF\n", "# EOF", "", "a 1\n", "a 1\n# EOF\n\n", "a 1\n# EOF\nb 2\n", "a 1 \n# EOF\n", "a  1\n# EOF\n",
            "a{} 1\n# EOF\n", "a{b=\"1\",} 1\n# EOF\n", "a{b=\"1\", c=\"2\"} 1\n# EOF\n", "a{b=\"1\"} 1 2\n# EOF\n",
            "a 1 1.5\n# EOF\n", "a 1 NaN\n# EOF\n", "a 1 2 3\n# EOF\n", "a NaN\n# EOF\n", "a +nan\n# EOF\n", "a -Inf\n# EOF\n",
            "a infinity\n# EOF\n", "a 0x1p3\n# EOF\n", "a 0x10\n# EOF\n", "a 1_000\n# EOF\n", "a 1e400\n# EOF\n", "a 1e-400\n# EOF\n",
            "a .5\n# EOF\n", "a 5.\n# EOF\n", "# a comment\na 1\n# EOF\n", "#a 1\n# EOF\n", "# HELP a\na 1\n# EOF\n",
            "# HELP a \na 1\n# EOF\n", "# TYPE a Gauge\na 1\n# EOF\n", "# TYPE a gauge \na 1\n# EOF\n",
            "# TYPE a untyped\na 1\n# EOF\n", "# TYPE a unknown\na 1\n# EOF\n", "# TYPE a gauge\n# TYPE a counter\na_total 1\n# EOF\n",
            "# UNIT a_seconds seconds\na_seconds 1\n# EOF\n", "# UNIT a_seconds bytes\na_seconds 1\n# EOF\n", "# UNIT a seconds\na 1\n# EOF\n",
            "a{__name__=\"b\"} 1\n# EOF\n", "a{b=\"1\",b=\"2\"} 1\n# EOF\n", "a{b=\"\\q\"} 1\n# EOF\n", "a{b=\"\"} 1\n# EOF\n",
            "a_total 1 # {t=\"x\"} 2\n# EOF\n", "a 1 # {t=\"x\"} 2\n# EOF\n", "a_total 1 # {t=\"x\"} 2 3\n# EOF\n",
            "a_total 1 # {t=\"x\",t=\"y\"} 2\n# EOF\n", "a_total 1 # {} 2\n# EOF\n", "a_total 1 5 # {t=\"x\"} 2 3\n# EOF\n",
            "a_total 1 # {t=\"x\"}\n# EOF\n", "a_total 1 #{t=\"x\"} 2\n# EOF\n", "a 1\r\n# EOF\n", " a 1\n# EOF\n",
            "a:b 1\n# EOF\n", "a{b:c=\"1\"} 1\n# EOF\n", "a 1\n\n# EOF\n", "a 1\n# EOF \n", "a{b=\"1\"\n} 1\n# EOF\n",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\nh_created 1\n# EOF\n",
            "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n# EOF\n", "# TYPE s summary\ns{quantile=\"x\"} 1\n# EOF\n",
            "# HELP a h\\q\na 1\n# EOF\n", "a 1 -1\n# EOF\n", "a 1 1e30\n# EOF\n",
        ]
    }

    /// Every page of the corpus but the client library's (written when the test runs).
    static func corpus() throws -> [Page] {
        var pages: [Page] = []
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: fixtures.appendingPathComponent("openmetrics").path).filter({ $0.hasSuffix(".om") }).sorted() {
            pages.append(Page(name: "openmetrics/" + name, bytes: Array(try Data(contentsOf: fixtures.appendingPathComponent("openmetrics/" + name))), format: .openMetrics))
        }
        for name in try fm.contentsOfDirectory(atPath: fixtures.appendingPathComponent("node_exporter").path).filter({ $0.hasSuffix(".txt") }).sorted() {
            pages.append(Page(name: "node_exporter/" + name, bytes: Array(try Data(contentsOf: fixtures.appendingPathComponent("node_exporter/" + name))), format: .text))
        }
        for name in ["node_exporter-1.5.txt", "prometheus-2.42.txt"] {
            pages.append(Page(name: name, bytes: Array(try Data(contentsOf: fixtures.appendingPathComponent(name))), format: .text))
        }
        pages += openMetricsEdgeCases.enumerated().map { Page(name: "om edge \($0.offset): \($0.element.debugDescription)", bytes: Array($0.element.utf8), format: .openMetrics) }
        pages += PromtoolAgreementTests.edgeCases.enumerated().map { Page(name: "text edge \($0.offset): \($0.element.debugDescription)", bytes: Array($0.element.utf8), format: .text) }
        return pages
    }

    /// The Python client's pages, in both formats; none when Debian's python3-prometheus-client is missing.
    static func clientPages(in dir: URL) throws -> [Page] {
        let out = dir.appendingPathComponent("client")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [here.appendingPathComponent("Server/client_pages.py").path, out.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: out.path).sorted().map { name in
            Page(name: name, bytes: Array(try Data(contentsOf: out.appendingPathComponent(name))), format: name.hasSuffix(".om") ? .openMetrics : .text)
        }
    }

    /// Prometheus' answer to a GET on its API, as JSON.
    /// (Through python3's urllib: Foundation reads no http URL without FoundationNetworking.)
    static func api(_ port: Int, _ path: String) -> [String: Any]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())",
                       "http://127.0.0.1:\(port)\(path)"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return json["data"] as? [String: Any]
    }

    /// A series as both sides are compared: the name, the labels with a value (Prometheus
    /// drops empty ones), the value's text.
    struct Series: Hashable, CustomStringConvertible {
        var labels: [String: String]
        var value: String
        var description: String { "\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.debugDescription)" }.joined(separator: ",")) \(value)" }
    }

    static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        return "\(v)"
    }

    /// Watchbill's samples as Prometheus stores a scrape of them: untimestamped (a page's
    /// old timestamps are out of Prometheus' bounds), the first of a series kept.
    static func ours(_ families: [MetricFamily]) -> Set<Series> {
        var seen = Set<[String: String]>()
        var out = Set<Series>()
        for s in families.flatMap(\.samples) where s.timestampMs == nil {
            var labels = s.labels.filter { !$0.value.isEmpty }
            labels["__name__"] = s.name
            if seen.insert(labels).inserted { out.insert(Series(labels: labels, value: text(s.value))) }
        }
        return out
    }

    @Test func theSameVerdictAndSamplesAsAPrometheusScrape() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scrape-agreement-\(UUID().uuidString.prefix(8))")
        let served = dir.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var pages = try Self.corpus() + Self.clientPages(in: dir)
        if let client = pages.first(where: { $0.name == "client-basic.om" }) {
            pages += PromtoolAgreementTests.mutations(of: client.bytes).enumerated().map {
                Page(name: "client mutation \($0.offset)", bytes: $0.element, format: .openMetrics)
            }
        }
        for (i, page) in pages.enumerated() {
            try Data(page.bytes).write(to: served.appendingPathComponent("p\(i)" + (page.format == .openMetrics ? ".om" : ".txt")))
        }

        let server = try PagesServer(directory: served)
        let promPort = unusedLoopbackPort()
        let targets = pages.indices.map { i in
            "      - {targets: ['127.0.0.1:\(server.port)'], labels: {__metrics_path__: '/p\(i)\(pages[i].format == .openMetrics ? ".om" : ".txt")', wb_page: '\(i)'}}"
        }
        try """
            global: {scrape_interval: 2s, scrape_timeout: 2s}
            scrape_configs:
              - job_name: pages
                honor_labels: true
                static_configs:
            \(targets.joined(separator: "\n"))
            """.write(to: dir.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: prometheusPath!)
        prometheus.arguments = ["--config.file=" + dir.appendingPathComponent("prometheus.yml").path,
                                "--storage.tsdb.path=" + dir.appendingPathComponent("tsdb").path,
                                "--web.listen-address=127.0.0.1:\(promPort)"]
        prometheus.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: dir.appendingPathComponent("prometheus.log").path, contents: nil)
        prometheus.standardError = try FileHandle(forWritingTo: dir.appendingPathComponent("prometheus.log"))
        try prometheus.run()
        defer { kill(prometheus.processIdentifier, SIGKILL); prometheus.waitUntilExit() }

        // Every target scraped once (60 s at most).
        var verdicts: [Int: String?] = [:]
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            usleep(500_000)
            guard let data = Self.api(promPort, "/api/v1/targets?state=active"), let active = data["activeTargets"] as? [[String: Any]] else { continue }
            verdicts = [:]
            for t in active {
                guard let labels = t["labels"] as? [String: String], let i = labels["wb_page"].flatMap(Int.init),
                      let health = t["health"] as? String, health != "unknown" else { continue }
                verdicts[i] = health == "up" ? .some(nil) : .some((t["lastError"] as? String) ?? "down")
            }
            if verdicts.count == pages.count { break }
        }
        let log = String(decoding: (try? Data(contentsOf: dir.appendingPathComponent("prometheus.log")))?.suffix(1500) ?? Data(), as: UTF8.self)
        #expect(verdicts.count == pages.count, "Prometheus scraped \(verdicts.count) of \(pages.count) pages; its log: \(log)")

        // Everything stored, by page.
        var stored: [Int: Set<Series>] = [:]
        let query = "{wb_page=~\".+\"}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let result = try #require(Self.api(promPort, "/api/v1/query?query=\(query)")?["result"] as? [[String: Any]])
        for r in result {
            guard var labels = r["metric"] as? [String: String], let i = labels["wb_page"].flatMap(Int.init),
                  let value = (r["value"] as? [Any])?.last as? String else { continue }
            let name = labels["__name__"] ?? ""
            if name == "up" || name.hasPrefix("scrape_") { continue }
            labels["wb_page"] = nil
            if labels["job"] == "pages" { labels["job"] = nil }
            if labels["instance"] == "127.0.0.1:\(server.port)" { labels["instance"] = nil }
            stored[i, default: []].insert(Series(labels: labels, value: Double(value).map(Self.text) ?? value))
        }

        var compared = 0, refusedByPrometheus = 0, samplesCompared = 0
        var disagreements: [String] = []
        for (i, page) in pages.enumerated() {
            guard let verdict = verdicts[i] else { continue }
            var parsed: [MetricFamily]?
            var why = ""
            do { parsed = try Exposition.parse(page.bytes, source: "page", format: page.format) } catch { why = " (\(error))" }
            let prometheusReads = verdict == nil
            if page.format == .openMetrics {
                compared += 1
                if !prometheusReads { refusedByPrometheus += 1 }
                if (parsed != nil) != prometheusReads {
                    disagreements.append("\(page.name): Prometheus \(prometheusReads ? "reads" : "refuses (\(verdict ?? ""))") it, "
                                         + "watchbill \(parsed != nil ? "reads" : "refuses") it\(why)\n" + String(decoding: page.bytes.prefix(300), as: UTF8.self))
                    continue
                }
            }
            guard prometheusReads, let families = parsed else { continue }
            let mine = Self.ours(families), theirs = stored[i] ?? []
            samplesCompared += mine.count
            if mine != theirs {
                disagreements.append("\(page.name): samples differ: only watchbill \(mine.subtracting(theirs).sorted { $0.description < $1.description }.prefix(3)), "
                                     + "only Prometheus \(theirs.subtracting(mine).sorted { $0.description < $1.description }.prefix(3))")
            }
        }
        withExtendedLifetime(server) {}
        #expect(compared > 250 && refusedByPrometheus > 60 && samplesCompared > 5000,
                "compared \(compared) OpenMetrics pages, \(refusedByPrometheus) refused, \(samplesCompared) samples")
        #expect(disagreements.isEmpty, "\(disagreements.count) pages:\n\(disagreements.prefix(10).joined(separator: "\n---\n"))")
    }
}

/// `Server/pages_server.py` on loopback, serving one directory.
final class PagesServer {
    let port: Int
    private let process: Process
    private let input = Pipe()

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    init(directory: URL) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PrometheusScrapeAgreementTests.here.appendingPathComponent("Server/pages_server.py").path, directory.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = errors
        try process.run()
        // The first line, however it arrives (a busy machine may split it or interrupt a read).
        var line = ""
        let deadline = Date().addingTimeInterval(30)
        while !line.contains("\n") && Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                if !process.isRunning { break }
                usleep(10_000)
                continue
            }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = line.split(separator: "\n").first?.split(separator: " ").last.flatMap({ Int($0) }) else {
            let why = process.isRunning ? "" : String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw StartFailure(description: "pages_server.py said \(line.debugDescription) \(why)")
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
