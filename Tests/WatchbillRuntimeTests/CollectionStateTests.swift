import Testing
import WatchbillCore
import WatchbillRules
import WatchbillRuntime
import WatchbillScreen

/// The collection's step over a fake clock: a sample a second, the rules evaluated at the
/// sample's wall clock, what a rewind and the graphs' marks are given.
@Suite struct CollectionStateTests {
    static func engine() throws -> AlertEngine {
        AlertEngine(groups: [AlertEngine.Group(name: "host", interval: 5, rules: [
            AlertRule(name: "LoadHigh", expr: try Parser.parse("node_load1 > 1"), holdFor: 10, labels: ["severity": "P1"]),
        ])])
    }

    static func tick(_ t: Double, load: Double) -> HostSnapshot {
        var s = HostSnapshot(time: t, wallClock: 1_000 + t, host: HostInfo(hostname: "h", kernel: "6.1"))
        s.load = LoadAverage(one: load, five: load, fifteen: load, runnable: 1, total: 100)
        return s
    }

    @Test func anAlertGoesPendingThenFiringWithMarksAndATimeline() throws {
        var state = CollectionState(capacity: 100, retention: 60, interval: 1, rules: try Self.engine(), actions: AlertActions())
        var transitions: [(Double, AlertPhase?)] = []
        for t in 0..<30 {
            let out = state.tick(Self.tick(Double(t), load: t >= 5 ? 3 : 0.2), processes: nil, live: true)
            #expect(out.accepted)
            transitions += out.transitions.map { ($0.at, $0.to) }
            if !out.transitions.isEmpty { #expect(out.alerts.count == 1) }
        }
        // Evaluated every 5 s of the sample's clock: pending at 1005, firing once held 10 s.
        #expect(transitions.map(\.0) == [1005, 1015])
        #expect(transitions.map(\.1) == [.pending, .firing])
        #expect(state.alertMarks == [TimelineMark(wallClock: 1015, kind: .alert(paging: true))])
        // A rewind to before it fired sees it pending; before that, nothing.
        #expect(state.alertTimeline.items(at: 1003).isEmpty)
        #expect(state.alertTimeline.items(at: 1010).map(\.phase) == [.pending])
        #expect(state.alertTimeline.items(at: 1029).map(\.phase) == [.firing])
        #expect(state.latest?.time == 29 && state.history.lastIndex == 29)
        #expect(state.alertsGeneration == 6, "once per evaluation: 0, 5, ... 25")
    }

    @Test func aReplayThatSoughtBackRefusesAnOlderTickAndRestartsAsItWouldHaveRun() throws {
        var state = CollectionState(capacity: 100, retention: 60, interval: 1, rules: try Self.engine(), actions: AlertActions())
        let ticks = (0..<30).map { Self.tick(Double($0), load: $0 >= 5 ? 3 : 0.2) }
        for t in ticks.prefix(20) { _ = state.tick(t, processes: nil, live: false) }
        #expect(!state.tick(ticks[10], processes: nil, live: false).accepted)
        // Seeking to tick 25: evaluated tick by tick, the alert fired at 1015, not at the seek.
        state.restart(with: Array(ticks.prefix(26)))
        let alert = try #require(state.engine.alerts.first?.alert)
        #expect(alert.phase == .firing && alert.firedAt == 1015 && alert.activeAt == 1005)
        #expect(state.alertTimeline.items(at: 1012).map(\.phase) == [.pending])
        #expect(state.latest?.time == 25)
    }

    @Test func restoredFiringAlertsKeepTheirMarks() throws {
        var engine = try Self.engine()
        var metrics = MetricStore(retention: 3600)
        for t in stride(from: 0.0, through: 20, by: 5) {
            metrics.record(Self.tick(t, load: 3))
            _ = engine.tick(at: 1_000 + t, source: metrics)
        }
        let state = CollectionState(capacity: 10, retention: 60, interval: 1, rules: engine, actions: AlertActions())
        #expect(state.alertMarks.map(\.wallClock) == [1010])
    }

    /// An idle host, 15 s after start: a 5m rate over 15 s of counters is not "5% idle".
    /// The drill's restart showed CPUSaturated pending at 0.956 on a host 99% idle.
    @Test func aRateWindowReachingBeforeTheStartIsTakenOverWhatWasCollected() throws {
        let rule = AlertRule(name: "CPUSaturated",
                             expr: try Parser.parse(#"1 - avg without (cpu, mode) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.95"#),
                             holdFor: 0, labels: ["severity": "P3"])
        let engine = AlertEngine(groups: [AlertEngine.Group(name: "cpu", interval: 1, rules: [rule])])
        var state = CollectionState(capacity: 100, retention: 600, interval: 1, rules: engine, actions: AlertActions())
        var transitions: [AlertTransition] = []
        for n in 0...15 {
            var s = Self.tick(Double(n), load: 0.1)
            // Idle all along: 100 ticks a second per core.
            let idle = CPUTimes(idle: 1_000_000 + UInt64(n) * 100)
            s.counters.cpu = CPUStat(total: idle, cores: [0: idle, 1: idle])
            transitions += state.tick(s, processes: nil, live: true).transitions
        }
        #expect(transitions.isEmpty, "\(transitions)")
        #expect(state.metrics.coveredSince == 1_000)
        // A rule test (no start) keeps Prometheus' arithmetic: 15 s of increase over 300 s.
        var plain = state.metrics
        plain.coveredSince = nil
        let rate = try Evaluator(source: plain).evaluate(try Parser.parse(#"rate(node_cpu_seconds_total{mode="idle",cpu="0"}[5m])"#), at: 1_015)
        guard case .vector(let v) = rate else { Issue.record("\(rate)"); return }
        #expect(abs((v.first?.value ?? 0) - 15.5 / 300) < 0.001, "\(v)")
    }
}
