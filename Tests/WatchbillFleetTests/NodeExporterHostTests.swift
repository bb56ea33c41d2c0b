import Foundation
import Testing
import WatchbillCore
import WatchbillExposition
@testable import WatchbillFleet

/// Two real scrapes of Debian's node_exporter 1.5, 141.84 s apart (node_time_seconds), made
/// into snapshots: the figures below were worked out by hand from the two files.
@Suite struct NodeExporterHostTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func families(_ name: String) throws -> [MetricFamily] {
        try Exposition.parse(Array(try Data(contentsOf: fixtures.appendingPathComponent(name))), source: name)
    }
    static let timeA = 1_796_167_408.3219466, timeB = 1_796_167_550.160148

    @Test func twoScrapesMakeASnapshotWithRates() throws {
        var host = NodeExporterHost()
        let first = host.snapshot(try Self.families("scrape-a.txt"), time: Self.timeA, wallClock: Self.timeA, fallbackName: "127.0.0.1:9100")
        // The first scrape has levels but no rates yet, as the local collector's first tick.
        #expect(first.host == HostInfo(hostname: "vm", kernel: "6.18.44-fc-v1045"))
        #expect(first.cpuTotal == nil && first.coreCount == 2 && first.memory?.total == 25_275_990_016)
        #expect(first.disks?.isEmpty == true && first.interfaces?.isEmpty == true)
        let s = host.snapshot(try Self.families("scrape-b.txt"), time: Self.timeB, wallClock: Self.timeB, fallbackName: "127.0.0.1:9100")
        #expect(s.problems.isEmpty, "\(s.problems)")
        #expect(abs(s.uptimeSeconds! - 12_154.160148) < 1e-6)
        #expect(s.memory?.available == 24_819_322_880)
        let root = try #require(s.filesystems?.first { $0.mount.mountPoint == "/" })
        #expect(root.size == 270_553_174_016 && root.used == 270_553_174_016 - 252_088_483_840 && root.mount.fsType == "ext4")
        let eth0 = try #require(s.interfaces?.first { $0.name == "eth0" })
        #expect(abs(eth0.rxBytesPerSecond - 244 / 141.83820128440857) < 1e-6)
        #expect(s.interfaces?.contains { $0.name == "lo" } == false)
        let vda = try #require(s.disks?.first { $0.name == "vda" })
        #expect(abs(vda.writeBytesPerSecond - 229_597_184 / 141.83820128440857) < 1e-3)
        #expect(abs(vda.busy - 1888 / 141_838.20128440857) < 1e-6)
        let busy = try #require(s.cpuTotal?.busy)
        #expect(busy > 0 && busy < 1 && s.cpuCores.count == 2)
        // The raw counters go to the alert rules as node_exporter's own series.
        #expect(s.counters.cpu?.cores.count == 2 && s.counters.interfaces.contains { $0.name == "eth0" })
    }

    @Test func anExporterWithoutCollectorsSaysWhatIsMissing() throws {
        var host = NodeExporterHost()
        let families = try Exposition.parse("node_load1 0.5\nnode_load5 0.25\nnode_load15 0.125\n", source: "t")
        let s = host.snapshot(families, time: 1, wallClock: 1, fallbackName: "10.0.0.7:9100")
        #expect(s.host.hostname == "10.0.0.7:9100" && s.load?.one == 0.5 && s.load?.total == 0)
        #expect(s.problems.contains("node_cpu_seconds_total: not served") && s.problems.contains("node_memory_MemTotal_bytes: not served"))
        #expect(s.memory == nil && s.filesystems == nil && s.disks == nil)
    }

    @Test func aRestartedExporterIsAResetNotANegativeRate() throws {
        var host = NodeExporterHost()
        _ = host.snapshot(try Exposition.parse("node_network_receive_bytes_total{device=\"eth0\"} 1000000\n", source: "t"),
                          time: 0, wallClock: 0, fallbackName: "h")
        let s = host.snapshot(try Exposition.parse("node_network_receive_bytes_total{device=\"eth0\"} 500\n", source: "t"),
                              time: 5, wallClock: 5, fallbackName: "h")
        // counterDelta calls a drop far from the top a reset: no rate this once, never a negative one.
        #expect(s.interfaces?.allSatisfy { $0.rxBytesPerSecond >= 0 } == true)
    }
}
