import Testing
import WatchbillCore
import WatchbillExposition
import WatchbillRules
import WatchbillRuntime

/// What `watchbill agent` serves, written and read back with the exposition parser, as
/// Prometheus would scrape it.
@Suite struct AgentMetricsTests {
    static let specs = [ProbeSpec(name: "api", kind: .dns(DNSCheck(name: "api.example")), interval: 5)]

    static func page(alerts: [ActiveAlert] = [], engine: AlertEngine? = nil) throws -> [MetricFamily] {
        var metrics = MetricStore(retention: 3600)
        var s = HostSnapshot(time: 1, wallClock: 1000, host: HostInfo(hostname: "h", kernel: "6.1"))
        s.load = LoadAverage(one: 0.5, five: 0.25, fifteen: 0.125, runnable: 1, total: 10)
        metrics.record(s)
        let histograms = ProbeHistograms(specs: specs)
        for (d, e) in [(0.003, nil), (0.2, nil), (7.0, ProbeErrorClass.timeout), (.nan, nil)] as [(Double, ProbeErrorClass?)] {
            histograms.record(ProbeResult(probe: 0, time: 1000, duration: d, error: e))
        }
        var engine = engine
        _ = engine?.tick(at: 1000, source: metrics)
        let text = ExpositionWriter.render(AgentMetrics.families(metrics: engine?.seriesSource(over: metrics) ?? metrics, alerts: alerts, probes: histograms,
                                                                 version: "1.2.3", now: 1001))
        return try Exposition.parse(Array(text.utf8), source: "agent")
    }

    @Test func seriesAreNodeExportersNamesSorted() throws {
        let families = try Self.page()
        let names = families.map(\.name)
        let host = Array(names.prefix { $0.hasPrefix("node_") })
        #expect(host.contains("node_load1") && host.contains("node_load15") && host == host.sorted())
        #expect(families.first { $0.name == "node_load1" }?.samples.first?.value == 0.5)
        // ALERTS has no sample with nothing pending or firing, so the writer leaves it out.
        #expect(Array(names.suffix(3)) == ["watchbill_probe_duration_seconds", "watchbill_probe_failures_total", "watchbill_agent_info"])
        #expect(families.last?.samples.first?.labels["version"] == "1.2.3")
    }

    @Test func probeDurationsAreCumulativeBuckets() throws {
        let duration = try #require(try Self.page().first { $0.name == "watchbill_probe_duration_seconds" })
        func bucket(_ le: String) -> Double? {
            duration.samples.first { $0.name.hasSuffix("_bucket") && $0.labels["le"] == le }?.value
        }
        // 3 ms, 200 ms and 7 s taken; a NaN duration is not a measurement.
        #expect(bucket("0.005") == 1 && bucket("0.25") == 2 && bucket("5") == 2 && bucket("10") == 3 && bucket("+Inf") == 3)
        #expect(duration.samples.first { $0.name.hasSuffix("_count") }?.value == 3)
        let sum = duration.samples.first { $0.name.hasSuffix("_sum") }?.value ?? 0
        #expect(abs(sum - 7.203) < 1e-9)
        let failures = try #require(try Self.page().first { $0.name == "watchbill_probe_failures_total" })
        #expect(failures.samples.map { $0.labels["error"] } == ["timeout"])
        #expect(failures.samples.first?.labels["probe"] == "api")
    }

    @Test func recordingRulesSeriesAreServedBesideTheHosts() throws {
        let engine = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 5, rules: [], recordings: [
            RecordingRule(name: "instance:load:ratio", expr: try Parser.parse("node_load1 / node_load15"), labels: ["team": "sre"]),
        ])])
        let recorded = try #require(try Self.page(engine: engine).first { $0.name == "instance:load:ratio" })
        #expect(recorded.samples.count == 1 && recorded.samples[0].value == 4 && recorded.samples[0].labels["team"] == "sre")
    }

    @Test func alertsAreExportedAsPrometheusDoes() throws {
        var engine = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 5, rules: [
            AlertRule(name: "Up", expr: .number(1), holdFor: 0, labels: ["severity": "P2"]),
            AlertRule(name: "Held", expr: .number(1), holdFor: 600, labels: ["severity": "P3"]),
        ])])
        _ = engine.tick(at: 1000, source: MetricStore(retention: 60))
        let alerts = try #require(try Self.page(alerts: engine.alerts.map(\.alert)).first { $0.name == "ALERTS" })
        let states = Dictionary(uniqueKeysWithValues: alerts.samples.map { ($0.labels["alertname"] ?? "", $0.labels["alertstate"] ?? "") })
        #expect(states == ["Up": "firing", "Held": "pending"])
        #expect(alerts.samples.allSatisfy { $0.value == 1 && $0.labels["severity"] != nil })
    }
}

/// A replay publishes SLO burn rates from its recorded probe results every 15 s of the
/// recording's clock, as the live probe loop does from its counters.
@Suite struct BurnRatePublicationTests {
    @Test func everyFifteenRecordedSecondsPerTargetAndSLI() throws {
        let specs = [ProbeSpec(name: "api", kind: .dns(DNSCheck(name: "api.example")), interval: 5)]
        var state = CollectionState(capacity: 100, retention: 60, interval: 1, rules: AlertEngine(groups: []),
                                    actions: AlertActions(), replayProbes: specs)
        for t in 0..<40 {
            let wall = 1_800_000_000.0 + Double(t)
            let tick = HostSnapshot(time: Double(t), wallClock: wall, host: HostInfo(hostname: "h", kernel: "6.1"))
            // A result a second (an SLO needs ten before it says anything); failing from 20 s.
            let results = [ProbeResult(probe: 0, time: wall, duration: 0.02, error: t >= 20 ? .timeout : nil)]
            _ = state.tick(tick, processes: nil, probeResults: results, live: false)
        }
        let matcher = try LabelMatcher("__name__", .equal, "watchbill_slo_burn_rate_5m")
        let series = state.metrics.latest(matching: [matcher], at: 1_800_000_039, lookback: 300)
        #expect(Set(series.map { $0.labels["sli"] ?? "" }) == ["availability", "latency"])
        #expect(series.allSatisfy { $0.labels["probe"] == "api" && $0.labels["instance"] == specs[0].target })
        // Published at 0, 15 and 30 s: the last one saw 11 of 31 probes fail.
        let availability = try #require(series.first { $0.labels["sli"] == "availability" })
        #expect(availability.point.t == 1_800_000_030)
        let expected = BurnRates.of(specs: specs, counters: try #require(state.replayProbes?.countersByName), at: 1_800_000_030)
        #expect(availability.point.v > 1)
        #expect(expected.count == 2 && expected.map(\.sli) == ["availability", "latency"])
        #expect(BurnRates.of(specs: specs, counters: [:], at: 0).isEmpty, "no counters, nothing published")
    }
}
