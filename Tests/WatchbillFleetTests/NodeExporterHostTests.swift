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

    /// node_exporter's published end-to-end page (Fixtures/node_exporter): a Linux host whose
    /// meminfo has no MemAvailable. Figures worked out by hand from the page.
    @Test func thePublishedLinuxPageReadsAsTheKernelWould() throws {
        var host = NodeExporterHost()
        let s = host.snapshot(try Self.families("node_exporter/e2e-output.txt"), time: 0, wallClock: 0, fallbackName: "e2e")
        let m = try #require(s.memory)
        #expect(m.total == 3_831_959_552)
        // cached = Cached 953,229,312 + SReclaimable 45,846,528
        #expect(m.cached == 999_075_840)
        // available, estimated: MemFree 230,883,328 + Buffers 22,568,960 + cached 999,075,840
        #expect(m.available == 1_252_528_128 && m.availableEstimated)
        // used = 1 - 1,252,528,128 / 3,831,959,552 = 0.6731364 (67.31 %) (it read 94.0 % with MemFree as available)
        #expect(abs(m.usedFraction - 0.6731364) < 1e-6)
        // Whole disks only: mmcblk0p1 and mmcblk0p2 are partitions of mmcblk0.
        let names = Set(s.counters.disks.map(\.name))
        #expect(names.contains("mmcblk0") && names.contains("sda") && names.contains("nvme0n1") && names.contains("dm-0"))
        #expect(!names.contains("mmcblk0p1") && !names.contains("mmcblk0p2"))
        // The page has no filesystem or netdev collector: the panes say so, not a local path.
        #expect(s.filesystems == nil && s.missing[.filesystems]
                == "not served by this exporter (node_filesystem_size_bytes): enable its filesystem collector")
        #expect(s.missing[.network] == "not served by this exporter (node_network_receive_bytes_total): enable its netdev collector")
        #expect(s.missing[.cpu] == "no rate yet (first scrape)")
    }

    /// An exporter that answers the same counters twice: no CPU time passed, and the pane
    /// says that, not "first sample".
    @Test func unchangedCountersAreNotAFirstSample() throws {
        var host = NodeExporterHost()
        let page = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 100\nnode_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 5\n"
        _ = host.snapshot(try Exposition.parse(page, source: "t"), time: 0, wallClock: 0, fallbackName: "h")
        let s = host.snapshot(try Exposition.parse(page, source: "t"), time: 5, wallClock: 5, fallbackName: "h")
        #expect(s.cpuTotal == nil && s.missing[.cpu] == "no CPU time counted since the last scrape")
    }

    /// NaN, infinities and numbers past any count, where the snapshot keeps integers: the
    /// fleet screen crashed on a filesystem size of NaN (issue 19). Nothing traps; the
    /// values become 0 or the largest count.
    @Test func valuesNoCountCanHoldDoNotTrap() throws {
        let page = """
            node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} +Inf
            node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} NaN
            node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1e300
            node_filesystem_size_bytes{device="/dev/sdb1",fstype="ext4",mountpoint="/data"} 1e30
            node_filesystem_avail_bytes{device="/dev/sdb1",fstype="ext4",mountpoint="/data"} -5
            node_filesystem_free_bytes{device="/dev/sdb1",fstype="ext4",mountpoint="/data"} 1e29
            node_memory_MemTotal_bytes NaN
            node_memory_MemFree_bytes +Inf
            node_memory_MemAvailable_bytes 1e40
            node_procs_running NaN
            node_procs_blocked +Inf
            node_load1 NaN
            node_load5 1
            node_load15 1
            node_disk_reads_completed_total{device="sda"} 1e25
            node_disk_read_time_seconds_total{device="sda"} +Inf
            node_network_receive_bytes_total{device="eth0"} -Inf
            node_cpu_seconds_total{cpu="0",mode="idle"} 1e300
            node_cpu_seconds_total{cpu="1",mode="user"} NaN
            node_cpu_seconds_total{cpu="2",mode="idle"} 1e300

            """
        var host = NodeExporterHost()
        for t in 0..<2 {
            let s = host.snapshot(try Exposition.parse(page, source: "t"), time: Double(t), wallClock: Double(t), fallbackName: "h")
            #expect(s.runnable == nil && s.blocked == nil)
            // Two cores' largest counts sum to the largest count, not a trap.
            #expect(s.counters.cpu?.total.idle == .max)
            #expect(s.memory?.total == 0 && s.memory?.available == 0)
            // +Inf is no size; 1e30 is more than any count holds: the largest count.
            #expect(s.filesystems?.map(\.mount.mountPoint) == ["/data"])
            #expect(s.filesystems?.first?.size == UInt64.max && s.filesystems?.first?.available == 0)
            #expect(s.counters.disks.first?.readsCompleted == UInt64.max && s.counters.interfaces.first?.rxBytes == 0)
        }
    }
}
