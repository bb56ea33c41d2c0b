import Foundation
import Testing
import WatchbillCore
import WatchbillExposition
@testable import WatchbillFleet

/// Hosts that are not Linux, from pages written with each exporter's own names
/// (`Fixtures/exporters/README.md`): every pane's figures against values worked out by hand
/// from the page, the formula beside each. Rates come from a second scrape 10 s later with
/// a few counters moved on.
@Suite struct OtherSystemsTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/exporters")

    /// The page's snapshot, and the one 10 s later with each `(series, added)` moved on.
    static func scrapes(_ system: String, moved: [(String, Double)] = []) throws -> (HostSnapshot, HostSnapshot) {
        let text = try String(contentsOf: dir.appendingPathComponent("\(system).txt"), encoding: .utf8)
        var later = text
        for (series, added) in moved {
            let line = try #require(text.split(separator: "\n").first { $0.hasPrefix(series + " ") }, "\(series) is not on the \(system) page")
            let value = try #require(Double(line.split(separator: " ").last!))
            later = later.replacingOccurrences(of: String(line), with: "\(series) \(value + added)")
        }
        var host = NodeExporterHost()
        let first = host.snapshot(try Exposition.parse(text, source: system), time: 100, wallClock: 1_754_300_000.503, fallbackName: "10.0.0.9:9100")
        let second = host.snapshot(try Exposition.parse(later, source: system), time: 110, wallClock: 1_754_300_010.503, fallbackName: "10.0.0.9:9100")
        return (first, second)
    }

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    @Test func macOS() throws {
        let (first, s) = try Self.scrapes("darwin", moved: [
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 6), ("node_cpu_seconds_total{cpu=\"0\",mode=\"user\"}", 2),
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"system\"}", 2), ("node_network_receive_bytes_total{device=\"en0\"}", 1_000_000),
            ("node_disk_read_bytes_total{device=\"disk0\"}", 5_120_000), ("node_disk_reads_completed_total{device=\"disk0\"}", 100),
            ("node_disk_read_time_seconds_total{device=\"disk0\"}", 0.5),
        ])
        #expect(first.host == HostInfo(hostname: "mbp", kernel: "24.6.0"))
        // node_time_seconds - node_boot_time_seconds = 1754300000.503 - 1754200000.123456
        #expect(Self.close(first.uptimeSeconds, 100_000.379544, 1e-3))
        #expect(first.load?.one == 1.8701171875 && first.coreCount == 2)
        let m = try #require(first.memory)
        // used = internal - purgeable + wired + compressed = 3276800000 - 49152000 + 1556480000 + 983040000 = 5767168000
        #expect(m.total == 8_589_934_592 && m.used == 5_767_168_000 && m.availableEstimated)
        // available = total - used = 2822766592; cache = available - free = 2822766592 - 147456000
        #expect(m.available == 2_822_766_592 && m.free == 147_456_000 && m.cached == 2_675_310_592)
        // swap: total 2147483648, used 524288000
        #expect(m.swapTotal == 2_147_483_648 && m.swapUsed == 524_288_000)
        // The autofs home map (size 0) is no filesystem to fill.
        #expect(first.filesystems?.map(\.mount.mountPoint) == ["/", "/System/Volumes/Data"])
        #expect(first.filesystems?.first?.size == 494_384_795_648 && first.filesystems?.first?.available == 253_115_367_424)
        // cpu0: (2 user + 2 system) of 10 s counted; cpu1 counted nothing.
        #expect(Self.close(s.cpuCores[0]?.busy, 0.4, 0.005) && Self.close(s.cpuTotal?.busy, 0.4, 0.005))
        // lo0 is loopback, not shown; en0 received 1000000 B in 10 s.
        #expect(s.interfaces?.map(\.name) == ["en0"] && Self.close(s.interfaces?.first?.rxBytesPerSecond, 100_000))
        let disk = try #require(s.disks?.first { $0.name == "disk0" })
        // 5120000 B / 10 s; 100 reads / 10 s; no busy counter on macOS: 0.5 s of request time / 10 s.
        #expect(Self.close(disk.readBytesPerSecond, 512_000) && Self.close(disk.readsPerSecond, 10) && Self.close(disk.busy, 0.05))
    }

    @Test func freeBSD() throws {
        let (first, s) = try Self.scrapes("freebsd", moved: [
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 7), ("node_cpu_seconds_total{cpu=\"0\",mode=\"interrupt\"}", 1),
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"system\"}", 2),
            ("node_devstat_bytes_total{device=\"ada0\",type=\"write\"}", 2_048_000), ("node_devstat_transfers_total{device=\"ada0\",type=\"write\"}", 50),
            ("node_devstat_busy_time_seconds_total{device=\"ada0\"}", 2),
        ])
        #expect(first.host == HostInfo(hostname: "fbsd1", kernel: "14.3-RELEASE"))
        let m = try #require(first.memory)
        // available = free + inactive + cache + buffer = 847872000 + 3686400000 + 0 + 0 = 4534272000 of size 8302592000
        #expect(m.total == 8_302_592_000 && m.available == 4_534_272_000 && m.cached == 3_686_400_000 && m.availableEstimated)
        // swap: size 2147483648, used 52428800
        #expect(m.swapTotal == 2_147_483_648 && m.swapUsed == 52_428_800)
        #expect(first.filesystems?.map(\.mount.mountPoint) == ["/", "/home", "/tmp"])
        // interrupt is the kernel's irq: (1 + 2) of 10 s busy.
        #expect(Self.close(s.cpuCores[0]?.busy, 0.3, 0.005) && Self.close(s.cpuCores[0]?.irq, 0.1, 0.005))
        // devstat: pass0 is passthrough, not shown; ada0 wrote 2048000 B, 50 writes, busy 2 s, in 10 s.
        #expect(s.disks?.map(\.name) == ["ada0"])
        let ada0 = try #require(s.disks?.first)
        #expect(Self.close(ada0.writeBytesPerSecond, 204_800) && Self.close(ada0.writesPerSecond, 5) && Self.close(ada0.busy, 0.2))
        #expect(s.interfaces?.map(\.name) == ["em0"])
    }

    @Test func dragonFly() throws {
        let (first, s) = try Self.scrapes("dragonfly", moved: [
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 5), ("node_cpu_seconds_total{cpu=\"0\",mode=\"sys\"}", 5),
        ])
        // No uname collector on DragonFly: the address names it, the system is the kernel.
        #expect(first.host.hostname == "10.0.0.9:9100")
        let m = try #require(first.memory)
        // available = free + inactive + cache + buffer = 2375680000 + 2867200000 + 614400000 + 314572800 = 6171852800
        #expect(m.total == 8_314_880_000 && m.available == 6_171_852_800 && m.buffers == 314_572_800)
        // `sys` is system time: 5 of 10 s.
        #expect(Self.close(s.cpuCores[0]?.system, 0.5, 0.005))
        // devstat has no read/write split there: said, not guessed.
        #expect(s.disks == nil && s.missing[.disks] == "DragonFly's devstat does not tell reads from writes: no disk I/O figures")
    }

    @Test func openBSD() throws {
        let (first, s) = try Self.scrapes("openbsd", moved: [
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 8), ("node_cpu_seconds_total{cpu=\"0\",mode=\"spin\"}", 2),
            ("node_disk_io_time_seconds_total{device=\"sd0\"}", 1), ("node_disk_read_bytes_total{device=\"sd0\"}", 1_000_000),
        ])
        #expect(first.host == HostInfo(hostname: "obsd1", kernel: "7.7"))
        let m = try #require(first.memory)
        // available = free + the buffer cache = 4915200000 + 819200000 = 5734400000
        #expect(m.total == 8_544_256_000 && m.available == 5_734_400_000 && m.cached == 819_200_000)
        // sd0 is a whole disk on OpenBSD (Linux's sd0 naming rule must not hide it).
        #expect(s.disks?.map(\.name) == ["sd0"] && Self.close(s.disks?.first?.busy, 0.1) && Self.close(s.disks?.first?.readBytesPerSecond, 100_000, 51.2))  // whole 512-byte sectors
        // spin is the kernel spinning: busy, 2 of 10 s.
        #expect(Self.close(s.cpuCores[0]?.busy, 0.2, 0.005))
        #expect(first.filesystems?.count == 3 && s.interfaces?.map(\.name) == ["em0"])
    }

    @Test func netBSD() throws {
        let (first, _) = try Self.scrapes("netbsd")
        let m = try #require(first.memory)
        // available = free + inactive = 3276800000 + 1843200000 = 5120000000; no cache is served
        #expect(m.total == 8_437_760_000 && m.available == 5_120_000_000 && m.cached == 0)
        // swap: size 2147483648, used 4194304
        #expect(m.swapUsed == 4_194_304)
        #expect(first.missing[.network] == "node_exporter serves no network figures on NetBSD")
        #expect(first.missing[.disks] == "node_exporter serves no disk I/O figures on NetBSD")
        #expect(first.filesystems?.map(\.mount.mountPoint) == ["/", "/var/shm"])
    }

    @Test func solaris() throws {
        let (first, s) = try Self.scrapes("solaris", moved: [
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"}", 6), ("node_cpu_seconds_total{cpu=\"0\",mode=\"kernel\"}", 3),
            ("node_cpu_seconds_total{cpu=\"0\",mode=\"wait\"}", 1),
        ])
        // Solaris' node_exporter has CPU, load and boot time only: each other pane says so.
        #expect(first.load?.one == 0.42 && first.memory == nil)
        #expect(first.missing[.memory] == "node_exporter serves no memory figures on Solaris")
        #expect(first.missing[.filesystems] == "node_exporter serves no filesystem figures on Solaris")
        // kernel is system time, wait is I/O wait (not busy): 3 of 10 s busy.
        #expect(Self.close(s.cpuCores[0]?.busy, 0.3, 0.005) && Self.close(s.cpuCores[0]?.iowait, 0.1, 0.005))
    }

    @Test func windows() throws {
        let (first, s) = try Self.scrapes("windows", moved: [
            ("windows_cpu_time_total{core=\"0,0\",mode=\"idle\"}", 7), ("windows_cpu_time_total{core=\"0,0\",mode=\"privileged\"}", 2),
            ("windows_cpu_time_total{core=\"0,0\",mode=\"interrupt\"}", 1), ("windows_cpu_time_total{core=\"0,0\",mode=\"user\"}", 1),
            ("windows_net_bytes_received_total{nic=\"Intel[R] Ethernet Connection [17] I219-LM\"}", 500_000),
            ("windows_logical_disk_write_bytes_total{volume=\"C:\"}", 1_024_000), ("windows_logical_disk_writes_total{volume=\"C:\"}", 20),
        ])
        #expect(first.host == HostInfo(hostname: "WIN-SRV01", kernel: "Windows Server 2025 Standard build 26100"))
        // wall clock - windows_system_boot_time_timestamp = 1754300000.503 - 1754200000.123
        #expect(Self.close(first.uptimeSeconds, 100_000.38, 1e-3))
        #expect(first.load == nil)
        let m = try #require(first.memory)
        // total physical 8476393472, available 3221225472 (the kernel's own figure: no estimate)
        #expect(m.total == 8_476_393_472 && m.available == 3_221_225_472 && !m.availableEstimated)
        // cache = standby core + normal + reserve + modified = 67108864 + 1879048192 + 469762048 + 134217728 = 2550136832
        #expect(m.cached == 2_550_136_832 && m.free == 805_306_368)
        // page file: limit 4831838208, free 4294967296
        #expect(m.swapTotal == 4_831_838_208 && m.swapFree == 4_294_967_296)
        // C: only: HarddiskVolume1 has no drive letter. size 254945525760, free 125829120000
        #expect(first.filesystems?.map(\.mount.mountPoint) == ["C:"] && first.filesystems?.first?.mount.fsType == "NTFS")
        #expect(first.filesystems?.first?.size == 254_945_525_760 && first.filesystems?.first?.available == 125_829_120_000)
        // interrupt is inside privileged: user 1 + privileged 2 of 10 s, not 4.
        #expect(Self.close(s.cpuCores[0]?.busy, 0.3, 0.005))
        let nic = try #require(s.interfaces?.first { $0.name.hasPrefix("Intel") })
        #expect(Self.close(nic.rxBytesPerSecond, 50_000))
        let c = try #require(s.disks?.first { $0.name == "C:" })
        #expect(Self.close(c.writeBytesPerSecond, 102_400) && Self.close(c.writesPerSecond, 2) && s.disks?.count == 1)
    }

    /// node_exporter's own published pages for these systems carry few host figures; what
    /// they carry reads, and what they lack is said in the exporter's terms.
    @Test func thePublishedPagesOfEverySystem() throws {
        let published = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../WatchbillExpositionTests/Fixtures/node_exporter").standardized
        for system in ["darwin", "dragonfly", "freebsd", "netbsd", "openbsd", "solaris"] {
            let page = try Exposition.parse(Array(try Data(contentsOf: published.appendingPathComponent("e2e-output-\(system).txt"))), source: system)
            var host = NodeExporterHost()
            let s = host.snapshot(page, time: 1, wallClock: 1, fallbackName: "10.0.0.9:9100")
            #expect(s.cpuTotal == nil && s.missing[.cpu]?.contains("not served") == true, "\(system): \(s.missing)")
            #expect(s.missing.values.allSatisfy { !$0.contains("/proc") }, "\(system): \(s.missing)")
        }
        // macOS' page serves its memory total and swap but not the free figure: that is what it names.
        let darwin = try Exposition.parse(Array(try Data(contentsOf: published.appendingPathComponent("e2e-output-darwin.txt"))), source: "darwin")
        var host = NodeExporterHost()
        let s = host.snapshot(darwin, time: 1, wallClock: 1, fallbackName: "10.0.0.9:9100")
        #expect(s.memory == nil && s.missing[.memory] == "not served by this exporter (node_memory_free_bytes): enable its meminfo collector")
    }
}
