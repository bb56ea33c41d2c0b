import Foundation
import Testing
import WatchbillCore
import WatchbillExposition
@testable import WatchbillFleet
import WatchbillRules

/// The fleet reads hosts two ways: scraping node_exporter (`--node`) and asking Prometheus
/// (`--prometheus`) with PromQL. Here the PromQL the fleet sends runs through Watchbill's own
/// evaluator over the same two real scrapes, stored as Prometheus would store them; the
/// table's figures must be the ones the scraping path shows.
@Suite struct FleetQueryAgreementTests {
    static let instance = "vm:9100"

    /// Both pages as series with the labels Prometheus adds, and `up`.
    static func source() throws -> StaticSeriesSource {
        var points: [Labels: [RangeSeries.Point]] = [:]
        for (file, t) in [("scrape-a.txt", NodeExporterHostTests.timeA), ("scrape-b.txt", NodeExporterHostTests.timeB)] {
            for family in try NodeExporterHostTests.families(file) {
                for s in family.samples {
                    var l = s.labels
                    (l["__name__"], l["job"], l["instance"]) = (s.name, "node", instance)
                    points[Labels(l), default: []].append(RangeSeries.Point(t, s.value))
                }
            }
            points[Labels(["__name__": "up", "job": "node", "instance": instance]), default: []].append(RangeSeries.Point(t, 1))
        }
        return StaticSeriesSource(points.map { RangeSeries(labels: $0.key, points: $0.value) })
    }

    @Test func theFleetsQueriesGiveTheScrapedFigures() throws {
        // The scrapes are 141.8 s apart: a rate window that holds both.
        let fleet = PrometheusFleet(job: "node", window: "3m")
        let evaluator = Evaluator(source: try Self.source(), defaultStep: 15)
        let t = NodeExporterHostTests.timeB
        let answers = try fleet.queries.map { query -> [PrometheusAPI.Sample] in
            guard case .vector(let v) = try evaluator.evaluate(try Parser.parse(query), at: t) else {
                Issue.record("\(query) is not a vector")
                return []
            }
            return v.map { PrometheusAPI.Sample(labels: Dictionary(uniqueKeysWithValues: $0.labels.pairs.map { ($0.name, $0.value) }), value: $0.value) }
        }
        let host = try #require(fleet.hosts(answers, cpuHistory: []).first)

        var exporter = NodeExporterHost()
        _ = exporter.snapshot(try NodeExporterHostTests.families("scrape-a.txt"), time: NodeExporterHostTests.timeA,
                              wallClock: NodeExporterHostTests.timeA, fallbackName: Self.instance)
        let s = exporter.snapshot(try NodeExporterHostTests.families("scrape-b.txt"), time: t, wallClock: t, fallbackName: Self.instance)

        #expect(host.instance == Self.instance && host.up && host.name == s.host.hostname)
        let memory = try #require(host.memory), used = try #require(s.memory?.usedFraction)
        #expect(abs(memory - used) < 1e-12)
        let worst = try #require(s.filesystems?.max { $0.usedFraction < $1.usedFraction })
        #expect(host.worstDisk?.mount == worst.mount.mountPoint && abs((host.worstDisk?.used ?? -1) - worst.usedFraction) < 1e-12)
        // Rates: the scraping path divides by the time between scrapes, PromQL's rate
        // extrapolates over the window; with the window's start before the first scrape both are delta / dt.
        let rx = (s.interfaces ?? []).reduce(0) { $0 + $1.rxBytesPerSecond }, tx = (s.interfaces ?? []).reduce(0) { $0 + $1.txBytesPerSecond }
        let (hostRx, hostTx) = (try #require(host.rx), try #require(host.tx))
        #expect(abs(hostRx - rx) < 1e-6 && abs(hostTx - tx) < 1e-6)
        // CPU: busy modes over all modes' seconds (the scraping path keeps them as ticks of 10 ms).
        let (cpu, busy) = (try #require(host.cpu), try #require(s.cpuTotal?.busy))
        #expect(abs(cpu - busy) < 1e-4, "\(cpu) vs \(busy)")
        // The CPU sparkline's range query parses and runs as well.
        guard case .vector(let history) = try evaluator.evaluate(try Parser.parse(fleet.cpuHistoryQuery), at: t) else {
            Issue.record("the CPU history query is not a vector")
            return
        }
        #expect(history.count == 1 && abs(history[0].value - host.cpu!) < 1e-12)
    }
}
