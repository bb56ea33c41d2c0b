import Foundation
import Testing
import WatchbillCollectors
import WatchbillCore
@testable import WatchbillRules

/// The rule-facing series under node_exporter's and blackbox_exporter's names.
struct MetricStoreTests {
    static let realRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WatchbillCollectorsTests/Fixtures/real").path

    func value(_ text: String, _ store: MetricStore, at t: Double) throws -> [Sample] {
        guard case .vector(let v) = try Evaluator(source: store).evaluate(try Parser.parse(text), at: t) else { return [] }
        return v
    }

    @Test func aRealProcTreeUnderNodeExporterNames() throws {
        var collector = HostCollector(root: ProcRoot(Self.realRoot), selfRoot: nil)
        let snap = collector.sample(time: 1, wallClock: 1_800_000_000)
        var store = MetricStore()
        store.record(snap)
        let t = 1_800_000_000.0
        // /proc/meminfo of the fixture: MemTotal 24683656 kB, MemAvailable 24297824 kB.
        let ratio = try value("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes", store, at: t)
        #expect(ratio.count == 1 && abs(ratio[0].value - 24_297_824.0 / 24_683_656) < 1e-12)
        // Two CPUs, eight modes each, seconds from USER_HZ ticks.
        #expect(try value("count(node_cpu_seconds_total{mode=\"idle\"})", store, at: t).first?.value == 2)
        #expect(try value("count(node_cpu_seconds_total)", store, at: t).first?.value == 16)
        let idle0 = try value("node_cpu_seconds_total{cpu=\"0\", mode=\"idle\"}", store, at: t)
        #expect(idle0.count == 1 && idle0[0].value > 0)
        #expect(try value("node_load1", store, at: t).count == 1)
        #expect(try !value("node_network_receive_bytes_total", store, at: t).isEmpty)
    }

    func snapshot(_ t: Double, avail: UInt64, rx: UInt64) -> HostSnapshot {
        var s = HostSnapshot(time: t, wallClock: t, host: HostInfo(hostname: "h", kernel: "k"))
        let gib: UInt64 = 1 << 30
        s.filesystems = [FilesystemUsage(mount: Mount(mountPoint: "/var", fsType: "ext4", source: "/dev/sda2", device: "8:2"),
                                         size: 100 * gib, available: avail, used: 100 * gib - avail)]
        s.counters.interfaces = [InterfaceCounters(name: "eth0", rxBytes: rx, rxPackets: 0, rxErrors: 0, rxDrops: 0,
                                                   txBytes: 0, txPackets: 0, txErrors: 0, txDrops: 0)]
        return s
    }

    @Test func rulesReadLikePrometheusRules() throws {
        var store = MetricStore()
        let gib: UInt64 = 1 << 30
        // An hour of ticks every 10 s: /var losing 5 GiB an hour from 20 GiB; eth0 at 1 MB/s.
        var t = 0.0
        while t <= 3600 {
            store.record(snapshot(1_800_000_000 + t, avail: 20 * gib - UInt64(t / 3600 * 5 * Double(gib)), rx: UInt64(t * 1_000_000)))
            t += 10
        }
        let now = 1_800_003_600.0
        let fills = try value("predict_linear(node_filesystem_avail_bytes{mountpoint=\"/var\"}[1h], 4 * 3600) < 0", store, at: now)
        #expect(fills.count == 1 && fills[0].labels["device"] == "/dev/sda2" && fills[0].labels["fstype"] == "ext4")
        let used = try value("1 - node_filesystem_avail_bytes / node_filesystem_size_bytes", store, at: now)
        #expect(abs(used[0].value - 0.85) < 1e-9)
        let rate = try value("rate(node_network_receive_bytes_total{device=\"eth0\"}[1m])", store, at: now)
        #expect(abs(rate[0].value - 1_000_000) < 1e-6)
    }

    @Test func probesUnderBlackboxNames() throws {
        var store = MetricStore()
        let spec = ProbeSpec(name: "api", kind: .http(HTTPCheck(url: "https://api.example.com/")), labels: ["team": "pay"])
        for i in 0..<10 {
            store.record(ProbeResult(probe: 0, time: 1000 + Double(i) * 5, duration: 0.2, error: i < 3 ? .timeout : nil,
                                     status: i < 3 ? nil : 200, phases: ProbePhases(dns: 0.01, firstByte: 0.15),
                                     certificateExpiry: 1045 + 10 * 86_400), spec: spec)
        }
        let up = try value("avg_over_time(probe_success[1m])", store, at: 1045)
        #expect(up.count == 1 && up[0].value == 0.7)
        #expect(up[0].labels == Labels(["probe": "api", "instance": "https://api.example.com/", "team": "pay"]))
        let days = try value("probe_ssl_earliest_cert_expiry - time() < 14 * 86400", store, at: 1045)
        #expect(days.count == 1)
        #expect(try value("probe_http_duration_seconds{phase=\"processing\"}", store, at: 1045).first?.value == 0.15)
    }

    @Test func perCPUSeriesKeepLessHistory() throws {
        var store = MetricStore(retention: 3600, cpuRetention: 900)
        for k in 0...200 {
            let t = Double(k) * 10
            store.append(Labels(["__name__": "node_cpu_seconds_total", "cpu": "0", "mode": "idle"]), t: t, v: t)
            store.append(Labels(["__name__": "node_load1"]), t: t, v: 1)
        }
        let cpu = store.series(matching: [try LabelMatcher("__name__", .equal, "node_cpu_seconds_total")], in: 0...2000)
        let load = store.series(matching: [try LabelMatcher("__name__", .equal, "node_load1")], in: 0...2000)
        #expect(cpu[0].points.first?.t == 1100 && load[0].points.first?.t == 0)
    }
}

struct MetricStoreOrderTests {
    let up = Labels(["__name__": "up", "job": "a"])

    /// Windows come from a binary search, which needs points in time order; a wall clock
    /// stepping back must not break it.
    @Test func aClockSteppingBackKeepsTheSeriesInOrder() {
        var store = MetricStore()
        for t in stride(from: 1000.0, through: 1100, by: 10) { store.append(up, t: t, v: t) }
        store.append(up, t: 1050, v: -1)  // NTP stepped back 50 s
        let range = store.series(matching: [try! LabelMatcher("__name__", .equal, "up")], in: 0...2000)
        #expect(range.first?.points.map(\.t) == [1000, 1010, 1020, 1030, 1040, 1050])
        #expect(range.first?.points.last?.v == -1)
        let latest = store.latest(matching: [try! LabelMatcher("job", .equal, "a")], at: 1060, lookback: 300)
        #expect(latest.map(\.point.v) == [-1])
    }

    /// Both include their start, as Debian's promtool 2.42 reads them (`x` with one point at
    /// 0 is still there at 5m, gone at 301 s; PromtoolEvaluationAgreementTests holds it).
    @Test func windowsAndTheLookbackIncludeTheirStart() {
        var store = MetricStore()
        for t in stride(from: 0.0, through: 600, by: 60) { store.append(up, t: t, v: t) }
        let m = [try! LabelMatcher("__name__", .equal, "up")]
        #expect(store.series(matching: m, in: 120...300).first?.points.map(\.t) == [120, 180, 240, 300])
        #expect(store.latest(matching: m, at: 900, lookback: 300).map(\.point.t) == [600])
        #expect(store.latest(matching: m, at: 901, lookback: 300).isEmpty)
    }
}

struct AlertStateDamageTests {
    @Test func impossibleTimesAreDroppedNotRestored() {
        let text = """
            firing nan - 20 1 alertname="A"
            firing 10 1e300 20 1 alertname="B"
            pending 10 - inf 1 alertname="C"
            firing 10 15 20 inf alertname="D"
            """
        let alerts = AlertStateFile.decode(text)
        #expect(alerts.map { $0.labels["alertname"] ?? "" } == ["B", "D"])
        #expect(alerts[0].firedAt == nil)
    }
}
