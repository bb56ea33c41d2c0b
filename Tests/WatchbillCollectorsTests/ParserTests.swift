import Testing
@testable import WatchbillCollectors
import WatchbillCore

/// Parsers against `/proc` files captured from a real 2-core VM (Fixtures/real), a
/// synthesized 64-CPU host with one CPU offline (Fixtures/manycore), and a container
/// without diskstats or pressure (Fixtures/container).
@Suite struct CPUParserTests {
    @Test func realStat() throws {
        let s = try CPUParsers.stat(Fixture.bytes("real", "/proc/stat"))
        #expect(s.total == CPUTimes(user: 3222, nice: 0, system: 1321, idle: 14115, iowait: 380, irq: 0, softirq: 69, steal: 55))
        #expect(s.cores.count == 2)
        #expect(s.cores[1] == CPUTimes(user: 2253, nice: 0, system: 649, idle: 6348, iowait: 277, irq: 0, softirq: 34, steal: 16))
        #expect(s.runnable == 1)
        #expect(s.blocked == 2)
    }

    @Test func manyCoresWithOneOffline() throws {
        let s = try CPUParsers.stat(Fixture.bytes("manycore", "/proc/stat"))
        #expect(s.cores.count == 63)
        #expect(s.cores[5] == nil)
        #expect(s.cores[63] == CPUTimes(user: 1630, nice: 315, system: 363, idle: 7740, iowait: 103, irq: 0, softirq: 7, steal: 3))
        #expect(s.runnable == 17)
        #expect(s.blocked == 2)
    }

    @Test func oldKernelWithFourCounters() throws {
        let s = try CPUParsers.stat(Array("cpu  1 2 3 4\ncpu0 1 2 3 4\n".utf8))
        #expect(s.total == CPUTimes(user: 1, nice: 2, system: 3, idle: 4))
        #expect(s.cores[0]?.steal == 0)
    }

    @Test func malformedStatNamesFileAndLine() {
        #expect(throws: SourceError(file: "/proc/stat", line: 2, cause: "cpu line has fewer than 4 counters")) {
            try CPUParsers.stat(Array("cpu  1 2 3 4\ncpu0 1 x\n".utf8))
        }
        #expect(throws: SourceError(file: "/proc/stat", line: 1, cause: "no aggregate cpu line")) {
            try CPUParsers.stat(Array("garbage\n".utf8))
        }
    }

    @Test func loadavg() throws {
        let l = try CPUParsers.loadavg(Fixture.bytes("real", "/proc/loadavg"))
        #expect(l == LoadAverage(one: 0.45, five: 0.16, fifteen: 0.06, runnable: 1, total: 99))
        let m = try CPUParsers.loadavg(Fixture.bytes("manycore", "/proc/loadavg"))
        #expect(m == LoadAverage(one: 48.5, five: 40.25, fifteen: 33, runnable: 17, total: 2048))
        #expect(throws: SourceError.self) { try CPUParsers.loadavg(Array("0.1 0.2\n".utf8)) }
    }

    @Test func pressure() throws {
        let io = try CPUParsers.pressure(Fixture.bytes("real", "/proc/pressure/io"), file: "io")
        #expect(io == Pressure(someAvg10: 13.31, someAvg60: 2.86, someAvg300: 0.70, fullAvg10: 12.98))
        let cpu = try CPUParsers.pressure(Fixture.bytes("manycore", "/proc/pressure/cpu"), file: "cpu")
        #expect(cpu.someAvg10 == 12.5 && cpu.someAvg60 == 8.25 && cpu.someAvg300 == 4)
        // Kernels before 5.13 have no "full" line for cpu.
        let old = try CPUParsers.pressure(Array("some avg10=1.00 avg60=2.00 avg300=3.00 total=4\n".utf8), file: "cpu")
        #expect(old.fullAvg10 == nil)
    }

    @Test func uptime() throws {
        #expect(try CPUParsers.uptime(Fixture.bytes("manycore", "/proc/uptime")) == 1234567.89)
    }
}

@Suite struct MemoryParserTests {
    @Test func realMeminfo() throws {
        let m = try MemoryParser.meminfo(Fixture.bytes("real", "/proc/meminfo"))
        #expect(m.total == 24_683_656 * 1024)
        #expect(m.free == 23_563_460 * 1024)
        #expect(m.available == 24_297_824 * 1024)
        #expect(m.buffers == 33_956 * 1024)
        #expect(m.cached == (887_996 + 53_960) * 1024)
        #expect(m.used == (24_683_656 - 24_297_824) * 1024)
        #expect(m.swapTotal == 0 && m.swapUsed == 0 && m.swapFraction == 0)
    }

    @Test func swapInUse() throws {
        let m = try MemoryParser.meminfo(Fixture.bytes("manycore", "/proc/meminfo"))
        #expect(m.swapUsed == (8_388_604 - 4_194_302) * 1024)
        #expect(abs(m.swapFraction - 0.5) < 1e-6)
        #expect(abs(m.usedFraction - 228.0 / 528.0) < 1e-9)
    }

    @Test func oldKernelWithoutMemAvailable() throws {
        let m = try MemoryParser.meminfo(Array("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 200 kB\n".utf8))
        #expect(m.available == 350 * 1024)
    }

    @Test func missingTotalIsAnError() {
        #expect(throws: SourceError.self) { try MemoryParser.meminfo(Array("Buffers: 1 kB\n".utf8)) }
    }
}

@Suite struct DiskParserTests {
    @Test func realMountinfo() throws {
        let mounts = try DiskParsers.mountinfo(Fixture.bytes("real", "/proc/self/mountinfo"))
        let root = try #require(mounts.first { $0.mountPoint == "/" })
        #expect(root == Mount(mountPoint: "/", fsType: "ext4", source: "/dev/vda", device: "254:0"))
        #expect(DeviceFilter().filesystems(mounts).map(\.mountPoint) == ["/"])
    }

    @Test func escapedPathsAndFiltering() throws {
        let mounts = try DiskParsers.mountinfo(Fixture.bytes("manycore", "/proc/self/mountinfo"))
        #expect(mounts.count == 12)
        #expect(mounts.contains { $0.mountPoint == "/srv/My Data" && $0.fsType == "xfs" })
        let shown = DeviceFilter().filesystems(mounts).map(\.mountPoint)
        // tmpfs, proc, sysfs, cgroup2, squashfs, docker overlays and the bind mount of vg-data are hidden.
        #expect(shown == ["/", "/boot/efi", "/srv/My Data", "/mnt/nas"])
        #expect(DeviceFilter(showPseudoFilesystems: true).filesystems(mounts).count == 12)
    }

    @Test func unescapeLeavesOtherBackslashesAlone() {
        #expect(DiskParsers.unescape(ArraySlice(Array(#"a\134b\040c\9"#.utf8))) == #"a\b c\9"#)
    }

    @Test func malformedMountLine() {
        #expect(throws: SourceError(file: "/proc/self/mountinfo", line: 2, cause: "malformed mount line")) {
            try DiskParsers.mountinfo(Array("1 2 0:1 / / rw - ext4 /dev/a rw\nbroken line\n".utf8))
        }
    }

    @Test func realDiskstats() throws {
        let d = try DiskParsers.diskstats(Fixture.bytes("real", "/proc/diskstats"))
        let vda = try #require(d.first { $0.name == "vda" })
        #expect(vda == DiskCounters(name: "vda", readsCompleted: 8871, sectorsRead: 1_480_714, msReading: 8351,
                                    writesCompleted: 2578, sectorsWritten: 657_728, msWriting: 2857, msDoingIO: 3616))
        let whole = Fixture.root("real").list("/sys/block").map(Set.init)
        #expect(d.filter { DeviceFilter().isShownDisk($0.name, wholeDisks: whole) }.map(\.name) == ["vda", "zram0"])
    }

    @Test func partitionsHiddenWithoutSysBlock() throws {
        let d = try DiskParsers.diskstats(Fixture.bytes("manycore", "/proc/diskstats"))
        #expect(d.count == 7)
        #expect(d.filter { DeviceFilter().isShownDisk($0.name, wholeDisks: nil) }.map(\.name) == ["sda", "nvme0n1", "dm-0"])
        #expect(d.filter { DeviceFilter(showAllBlockDevices: true).isShownDisk($0.name, wholeDisks: nil) }.count == 7)
    }
}

@Suite struct NetworkParserTests {
    @Test func realNetdev() throws {
        let n = try NetworkParser.netdev(Fixture.bytes("real", "/proc/net/dev"))
        #expect(n.map(\.name) == ["lo", "ifb0", "ifb1", "eth0"])
        let eth0 = try #require(n.last)
        #expect(eth0 == InterfaceCounters(name: "eth0", rxBytes: 10_154_866, rxPackets: 405, rxErrors: 0, rxDrops: 0,
                                          txBytes: 26377, txPackets: 346, txErrors: 0, txDrops: 0))
    }

    @Test func wideCounterTouchingTheName() throws {
        let n = try NetworkParser.netdev(Fixture.bytes("manycore", "/proc/net/dev"))
        let eth0 = try #require(n.first { $0.name == "eth0" })
        #expect(eth0.rxBytes == 18_446_744_073_709_551_000)
        #expect(eth0.rxErrors == 3 && eth0.rxDrops == 7 && eth0.txErrors == 1 && eth0.txDrops == 2)
        #expect(n.contains { $0.name == "bond0.100" && $0.txBytes == 6 })
    }

    @Test func truncatedLine() {
        let text = "h1\nh2\n  eth0: 1 2 3\n"
        #expect(throws: SourceError(file: "/proc/net/dev", line: 3, cause: "eth0 has 3 counters, need 16")) {
            try NetworkParser.netdev(Array(text.utf8))
        }
    }
}

@Suite struct HostileInputTests {
    @Test func hugeNumbersAreErrorsNotTraps() {
        #expect(throws: SourceError.self) {
            try MemoryParser.meminfo(Array("MemTotal: 18446744073709551615 kB\nMemFree: 1 kB\n".utf8))
        }
        #expect(throws: SourceError.self) {
            try CPUParsers.stat(Array("cpu  1 2 3 4\ncpu99999999999999999999 1 2 3 4\n".utf8))
        }
        #expect(throws: SourceError.self) { try CPUParsers.loadavg(Array("1.0 1.0 1.0 99999999999999999999/1 1\n".utf8)) }
    }

    @Test func nonsenseFilesystemSizesAreRefused() {
        let m = Mount(mountPoint: "/fuse", fsType: "fuse.weird", source: "x", device: "0:99")
        #expect(FilesystemUsage(mount: m, blocks: 10, free: 20, available: 5, blockSize: 4096) == nil)
        #expect(FilesystemUsage(mount: m, blocks: UInt64.max / 2, free: 1, available: 1, blockSize: 4096) == nil)
        #expect(FilesystemUsage(mount: m, blocks: 0, free: 0, available: 0, blockSize: 4096) == nil)
        let ok = FilesystemUsage(mount: m, blocks: 100, free: 40, available: 30, blockSize: 1024)
        #expect(ok?.size == 102_400 && ok?.used == 61_440 && ok?.available == 30_720)
    }
}
