import Foundation
import Testing
import WatchbillCore
import WatchbillRecording
import WatchbillRules
import WatchbillRuntime

/// A restart takes the flight recorder's last minutes back: graphs go on, rule windows are
/// full at once, and the alerts restored from the state file neither flap nor re-fire.
@Suite struct FlightRefillTests {
    static let start = 1_796_000_000.0
    static let api = ProbeSpec(name: "api", kind: .http(HTTPCheck(url: "http://127.0.0.1:9/api")))
    static let gone = ProbeSpec(name: "gone", kind: .http(HTTPCheck(url: "http://127.0.0.1:9/gone")))
    static let db = ProbeSpec(name: "db", kind: .http(HTTPCheck(url: "http://127.0.0.1:9/db")))

    /// Five minutes of a host whose load is 3 and whose api probe fails, recorded by a run
    /// whose monotonic clock (5,000 s ahead) was another boot's.
    func recording() throws -> RecordingSet {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refill-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/flight.wbr"
        let w = try RecordingWriter(path: path)
        try w.append(kind: .probes, EventCodec.encode([RecordedProbe(Self.gone), RecordedProbe(Self.api)]), now: 0)
        for n in 0..<300 {
            var s = HostSnapshot(time: 5_000 + Double(n), wallClock: Self.start + Double(n), host: HostInfo(hostname: "h", kernel: "k"))
            s.load = LoadAverage(one: 3, five: 3, fifteen: 3, runnable: 1, total: 100)
            try w.append(s, now: Double(n))
            if n % 5 == 0 {
                for probe in 0..<2 {
                    let r = ProbeResult(probe: probe, time: Self.start + Double(n), duration: 0.01, error: probe == 1 ? .refused : nil)
                    try w.append(kind: .probeResult, EventCodec.encode(r), now: Double(n))
                }
            }
        }
        w.close()
        return try RecordingSet(paths: [path])
    }

    @Test func theLastSpanComesBackOnThisBootsClockForTheProbesStillConfigured() throws {
        let refill = FlightRefill(try recording(), span: 120, wallNow: Self.start + 310, monotonicNow: 700, specs: [Self.db, Self.api])
        #expect(refill.problems.isEmpty)
        var ticks: [HostSnapshot] = []
        refill.forEachTick { ticks.append($0) }
        // From 310 - 120 = 190 s into the recording to its end at 299 s.
        #expect(ticks.first?.wallClock == Self.start + 190 && ticks.last?.wallClock == Self.start + 299)
        #expect(ticks.count == 110 && refill.tickCount == 110)
        #expect(refill.span?.first == Self.start + 190 && refill.span?.last == Self.start + 299)
        // 10 s before now on this boot's clock, not 5,000 s ahead of it.
        #expect(abs((ticks.last?.time ?? 0) - 689) < 1e-6)
        // api is probe 1 in this run too, db has no results, gone's are left out.
        #expect(Set(refill.probeResults.map(\.probe)) == [1])
        #expect(refill.probeResults.count == 22 && refill.probeResults.allSatisfy { !$0.succeeded })
    }

    @Test func aRefilledStoreHasFullWindowsAndTheRestoredAlertStaysFiringWithoutATransition() throws {
        let down = AlertRule(name: "ProbeDown", expr: try Parser.parse("max_over_time(probe_success[2m]) == 0"), holdFor: 0,
                             labels: ["severity": "P1"])
        let busy = AlertRule(name: "LoadHigh", expr: try Parser.parse("avg_over_time(node_load1[1m]) > 1"), holdFor: 30,
                             labels: ["severity": "P2"])
        var engine = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 1, rules: [down, busy])])
        let now = Self.start + 301
        // LoadHigh was firing when the last run stopped; ProbeDown is new to this run.
        let labels = Labels(["alertname": "LoadHigh", "severity": "P2", "job": "node", "instance": "h"])
        engine.restore([ActiveAlert(labels: labels, phase: .firing, value: 3, activeAt: Self.start + 10, firedAt: Self.start + 40,
                                    lastSeen: Self.start + 299)], at: now)
        var state = CollectionState(capacity: 4000, retention: 3600, interval: 1, rules: engine, actions: AlertActions())
        state.refill(FlightRefill(try recording(), span: 3600, wallNow: now, monotonicNow: 900, specs: [Self.api]), specs: [Self.api])
        #expect(state.store[SeriesKey(Metric.load1)]?.count == 300, "the graphs go on from the last run")
        #expect(state.history.lastIndex == 299)

        var first = HostSnapshot(time: 901, wallClock: now + 1, host: HostInfo(hostname: "h", kernel: "k"))
        first.load = LoadAverage(one: 3, five: 3, fifteen: 3, runnable: 1, total: 100)
        let out = state.tick(first, processes: nil, live: true)
        // ProbeDown's two-minute window is full of failures: firing at the first evaluation
        // (without the refill, two minutes of "no data" first).
        #expect(out.transitions.map { $0.labels["alertname"] } == ["ProbeDown", "ProbeDown"])
        #expect(out.transitions.map(\.to) == [.pending, .firing])
        // LoadHigh kept its clock and was not sent as new.
        let kept = try #require(state.engine.alerts.first { $0.alert.labels == labels }?.alert)
        #expect(kept.phase == .firing && kept.firedAt == Self.start + 40 && kept.activeAt == Self.start + 10)
    }

    @Test func recordingRulesRunOverTheRefilledHistory() throws {
        let smooth = RecordingRule(name: "instance:load1:avg1m", expr: try Parser.parse("avg_over_time(node_load1[1m])"))
        let high = AlertRule(name: "LoadHigh", expr: try Parser.parse("instance:load1:avg1m > 1"), holdFor: 0, labels: ["severity": "P2"])
        let engine = AlertEngine(groups: [AlertEngine.Group(name: "g", interval: 15, rules: [high], recordings: [smooth])])
        let now = Self.start + 301
        var state = CollectionState(capacity: 4000, retention: 3600, interval: 1, rules: engine, actions: AlertActions())
        state.refill(FlightRefill(try recording(), span: 3600, wallNow: now, monotonicNow: 900, specs: []), specs: [])
        // The recorded series covers the refilled five minutes, every 15 s, at the load of 3.
        let points = try #require(state.engine.recorded.first?.value)
        #expect(points.count == 20 && points.allSatisfy { $0.v == 3 })
        #expect(points.first!.t >= Self.start && points.last!.t <= Self.start + 300)
        // A rule with a range over it is full at the first evaluation after the start.
        #expect(state.engine.window(of: try Parser.parse("instance:load1:avg1m > 1")) == 75)
    }
}
