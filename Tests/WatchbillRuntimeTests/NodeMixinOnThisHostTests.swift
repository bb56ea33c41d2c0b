import Foundation
import Testing
import WatchbillCollectors
import WatchbillConfig
import WatchbillCore
import WatchbillRules
import WatchbillRuntime

/// node-mixin's rules, as its project renders them (selecting `job="node"`), run over this
/// host's own series: they find them, with the `job` and `instance` a Prometheus scrape of
/// the host would add, and their figures are this host's.
@Suite struct NodeMixinOnThisHostTests {
    static let mixins = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../WatchbillConfigTests/Fixtures/monitoring-mixins").standardized

    func engine() throws -> AlertEngine {
        var groups: [RuleGroup] = []
        for name in ["node-exporter-rules.yaml", "node-exporter-alerts.yaml"] {
            let text = try String(contentsOf: Self.mixins.appendingPathComponent(name), encoding: .utf8)
            groups += try RuleFile.parse(text, file: name).groups
        }
        return AlertEngine(groups: groups.map {
            AlertEngine.Group(name: $0.name, interval: 1, rules: $0.rules.map(\.rule), recordings: $0.recordings, order: $0.order)
        })
    }

    @Test func theRecordingRulesFindThisHostsSeries() throws {
        var state = CollectionState(capacity: 100, retention: 3600, interval: 1, rules: try engine(), actions: AlertActions())
        var collector = HostCollector(root: ProcRoot("/"), selfRoot: nil)
        let start = Date().timeIntervalSince1970
        var last: HostSnapshot?
        for k in 0..<4 {
            if k > 0 { usleep(300_000) }
            let snap = collector.sample(time: Double(k), wallClock: start + Double(k))
            _ = state.tick(snap, processes: nil, live: true)
            last = snap
        }
        let host = try #require(last)
        func recorded(_ name: String) -> [(Labels, Double)] {
            state.engine.recorded.filter { $0.key.metricName == name }.compactMap { e in e.value.last.map { (e.key, $0.v) } }
        }
        let cpus = recorded("instance:node_num_cpu:sum")
        #expect(cpus.count == 1 && cpus.first?.1 == Double(host.coreCount ?? -1), "\(cpus)")
        #expect(cpus.first?.0["job"] == "node" && cpus.first?.0["instance"] == host.host.hostname)
        let memory = recorded("instance:node_memory_utilisation:ratio")
        let used = try #require(host.memory?.usedFraction)
        #expect(memory.count == 1 && abs((memory.first?.1 ?? -1) - used) < 0.02, "\(memory) vs \(used)")
        let load = recorded("instance:node_load1_per_cpu:ratio")
        #expect(load.count == 1 && abs((load.first?.1 ?? -1) - (host.load?.one ?? 0) / Double(host.coreCount ?? 1)) < 1e-9)
        let utilisation = recorded("instance:node_cpu_utilisation:rate5m")
        #expect(utilisation.count == 1 && (0...1).contains(utilisation.first?.1 ?? -1), "\(utilisation)")
        // Only rules for collectors Watchbill does not have (vmstat, hwmon, ...) find nothing;
        // none fails.
        #expect(state.ruleFailures.isEmpty, "\(state.ruleFailures)")
    }

    @Test func aSelectorForAnotherJobFindsNothingAndTheConfigNamesTheJob() throws {
        var metrics = MetricStore(retention: 60)
        metrics.append(Labels(["__name__": "node_load1"]), t: 100, v: 2)
        metrics.append(Labels(["__name__": "probe_success", "probe": "api", "instance": "https://api"]), t: 100, v: 1)
        let source = ScrapeTargetLabels(base: metrics, host: ["job": "node-exporter", "instance": "web-01:9100"])
        let evaluator = Evaluator(source: source)
        func vector(_ q: String) throws -> [Sample] {
            guard case .vector(let v) = try evaluator.evaluate(try Parser.parse(q), at: 100) else { return [] }
            return v
        }
        #expect(try vector(#"node_load1{job="node"}"#).isEmpty)
        let load = try vector(#"node_load1{job="node-exporter", instance=~"web-.*"}"#)
        #expect(load.map(\.labels) == [Labels(["__name__": "node_load1", "job": "node-exporter", "instance": "web-01:9100"])])
        // A probe's series are blackbox_exporter's: its target stays the instance.
        let probe = try vector(#"probe_success{job="blackbox"}"#)
        #expect(probe.first?.labels["instance"] == "https://api" && probe.count == 1)
        #expect(try vector(#"sum by (job) (node_load1)"#).first?.labels["job"] == "node-exporter")
    }
}
