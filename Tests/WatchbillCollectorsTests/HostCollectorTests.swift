import Foundation
import Synchronization
import Testing
@testable import WatchbillCollectors
import WatchbillCore

@Suite struct HostCollectorTests {
    func collector(_ root: URL) -> HostCollector {
        HostCollector(root: ProcRoot(root.path), statter: FakeStatter(), selfRoot: nil)
    }

    @Test func firstSampleHasCountersButNoRates() throws {
        var c = HostCollector(root: Fixture.root("real"), statter: FakeStatter(), selfRoot: nil)
        let s = c.sample(time: 10, wallClock: 0)
        #expect(s.host == HostInfo(hostname: "vm", kernel: "6.18.44-fc-v782"))
        #expect(s.cpuTotal == nil)
        #expect(s.cpuCores.isEmpty)
        #expect(s.coreCount == 2)
        #expect(s.disks == [])
        #expect(s.interfaces == [])
        #expect(s.memory?.total == 24_683_656 * 1024)
        #expect(s.filesystems?.map(\.mount.mountPoint) == ["/"])
        #expect(s.pressure?.io?.someAvg10 == 13.31)
        #expect(s.problems.isEmpty)
    }

    @Test func ratesBetweenTwoSamples() throws {
        let dir = try Fixture.copy("manycore")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = collector(dir)
        _ = c.sample(time: 100, wallClock: 0)
        // Two seconds later: eth0 rx wraps past 2^64 by 1384 bytes, sda reads 4096 sectors.
        try dir.write("proc/net/dev", """
            h1
            h2
                lo: 1000000    5000    0    0    0     0          0         0  1000000    5000    0    0    0     0       0          0
              eth0: 768 900010 3 7 0 0 0 12 4000002000 800020 1 2 0 0 0 0
            bond0.100: 5 1 0 0 0 0 0 0 6 2 0 0 0 0 0 0

            """)
        try dir.write("proc/diskstats", """
               8       0 sda 1100 10 84096 700 2000 20 160000 1500 0 2800 2000 0 0 0 0 0 0

            """)
        let s = c.sample(time: 102, wallClock: 0)
        let eth0 = try #require(s.interfaces?.first { $0.name == "eth0" })
        #expect(eth0.rxBytesPerSecond == 692)  // (2^64 - 18446744073709551000 + 768) / 2
        #expect(eth0.txBytesPerSecond == 1000)
        #expect(eth0.rxPacketsPerSecond == 5)
        #expect(s.interfaces?.contains { $0.name == "lo" } == false)
        let sda = try #require(s.disks?.first)
        #expect(s.disks?.count == 1)
        #expect(sda.name == "sda")
        #expect(sda.readBytesPerSecond == 4096 * 512 / 2)
        #expect(sda.readsPerSecond == 50)
        #expect(sda.busy == 0.5)
        #expect(sda.averageWaitMs == 2)
    }

    @Test func deviceRemovedAndReAddedStartsOver() throws {
        let dir = try Fixture.copy("container")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = collector(dir)
        let header = "h1\nh2\n"
        try dir.write("proc/net/dev", header + "eth0: 1000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n")
        _ = c.sample(time: 0, wallClock: 0)
        try dir.write("proc/net/dev", header)
        let gone = c.sample(time: 1, wallClock: 0)
        #expect(gone.interfaces == [])
        // Back with a fresh counter: no rate on its first sample, whatever the numbers.
        try dir.write("proc/net/dev", header + "eth0: 50 1 0 0 0 0 0 0 50 1 0 0 0 0 0 0\n")
        let back = c.sample(time: 2, wallClock: 0)
        #expect(back.interfaces == [])
        try dir.write("proc/net/dev", header + "eth0: 150 2 0 0 0 0 0 0 250 3 0 0 0 0 0 0\n")
        let next = c.sample(time: 3, wallClock: 0)
        #expect(next.interfaces?.first?.rxBytesPerSecond == 100)
        #expect(next.interfaces?.first?.txBytesPerSecond == 200)
    }

    @Test func counterResetShowsNoRateInsteadOfASpike() throws {
        let dir = try Fixture.copy("container")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = collector(dir)
        let header = "h1\nh2\n"
        try dir.write("proc/net/dev", header + "eth0: 90000000000 10 0 0 0 0 0 0 1000 10 0 0 0 0 0 0\n")
        _ = c.sample(time: 0, wallClock: 0)
        try dir.write("proc/net/dev", header + "eth0: 10 11 0 0 0 0 0 0 2000 11 0 0 0 0 0 0\n")
        #expect(c.sample(time: 1, wallClock: 0).interfaces == [])
    }

    @Test func hotPluggedCPU() throws {
        let dir = try Fixture.copy("container")
        defer { try? FileManager.default.removeItem(at: dir) }
        var c = collector(dir)
        try dir.write("proc/stat", "cpu  100 0 0 100 0 0 0 0\ncpu0 100 0 0 100 0 0 0 0\n")
        _ = c.sample(time: 0, wallClock: 0)
        try dir.write("proc/stat", "cpu  200 0 0 300 0 0 0 0\ncpu0 150 0 0 150 0 0 0 0\ncpu1 50 0 0 150 0 0 0 0\n")
        let s = c.sample(time: 1, wallClock: 0)
        #expect(s.coreCount == 2)
        #expect(s.cpuCores[0]?.busy == 0.5)
        #expect(s.cpuCores[1] == nil)
        #expect(s.cpuTotal.map { abs($0.busy - 1.0 / 3.0) < 1e-12 } == true)
        try dir.write("proc/stat", "cpu  300 0 0 400 0 0 0 0\ncpu0 200 0 0 200 0 0 0 0\n")
        let unplugged = c.sample(time: 2, wallClock: 0)
        #expect(unplugged.coreCount == 1)
        #expect(unplugged.cpuCores.keys.sorted() == [0])
    }

    @Test func containerHasNoDiskstatsOrPressureAndThatIsNotAProblem() throws {
        var c = HostCollector(root: Fixture.root("container"), statter: FakeStatter(), selfRoot: nil)
        let s = c.sample(time: 0, wallClock: 0)
        #expect(s.disks == nil)
        #expect(s.pressure == nil)
        #expect(s.problems.isEmpty)
        #expect(s.filesystems?.map(\.mount.mountPoint) == ["/", "/data"])
        #expect(s.host.hostname == "4f2a9c1d7e3b")
    }

    @Test func unreadableAndMalformedFilesBecomeProblemsNotCrashes() throws {
        let dir = try Fixture.copy("container")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("proc/meminfo"))
        try dir.write("proc/stat", "this is not /proc/stat\n")
        var c = collector(dir)
        let s = c.sample(time: 0, wallClock: 0)
        #expect(s.memory == nil)
        #expect(s.coreCount == 0)
        #expect(s.load != nil)
        #expect(s.problems.contains("/proc/meminfo: cannot read"))
        #expect(s.problems.contains("/proc/stat:1: no aggregate cpu line"))
    }

    @Test func readsOwnUsage() throws {
        var c = HostCollector(root: Fixture.root("real"), statter: FakeStatter())
        _ = c.sample(time: 0, wallClock: 0)
        let s = c.sample(time: 1, wallClock: 0)
        #expect((s.selfUsage.rssBytes ?? 0) > 1_000_000)
        #expect(s.selfUsage.cpuFraction != nil)
    }
}

@Suite struct BackgroundStatterTests {
    /// A network filesystem whose statvfs never returns until the test lets it.
    final class BlockingStatter: FilesystemStatter, @unchecked Sendable {
        let gate = DispatchSemaphore(value: 0)
        func usage(of mount: Mount) -> FilesystemUsage? {
            if mount.fsType == "nfs4" { gate.wait() }
            return FilesystemUsage(mount: mount, size: 100, available: 50, used: 50)
        }
    }

    @Test func aHungNetworkMountDoesNotBlockTheTick() async throws {
        let blocking = BlockingStatter()
        let statter = BackgroundStatter(inline: blocking)
        let nfs = Mount(mountPoint: "/mnt/nas", fsType: "nfs4", source: "nas:/export", device: "0:45")
        let local = Mount(mountPoint: "/", fsType: "ext4", source: "/dev/vda", device: "254:0")
        // Returns at once: nothing known yet for the hung mount, the local one measured inline.
        #expect(statter.usage(of: nfs) == nil)
        #expect(statter.usage(of: local)?.size == 100)
        #expect(statter.usage(of: nfs) == nil)
        blocking.gate.signal()
        var answer: FilesystemUsage?
        for _ in 0..<200 where answer == nil {
            try await Task.sleep(for: .milliseconds(5))
            answer = statter.usage(of: nfs)
        }
        #expect(answer?.mount.mountPoint == "/mnt/nas")
        #expect(answer?.isStale == false)
        blocking.gate.signal()
    }

    @Test func anAnswerOutstandingTooLongIsMarkedStale() async throws {
        let blocking = BlockingStatter()
        let clock = Mutex(0.0)
        let statter = BackgroundStatter(inline: blocking, staleAfter: 30, now: { clock.withLock { $0 } })
        let nfs = Mount(mountPoint: "/mnt/nas", fsType: "nfs4", source: "nas:/export", device: "0:45")
        _ = statter.usage(of: nfs)
        blocking.gate.signal()
        var first: FilesystemUsage?
        for _ in 0..<200 where first == nil {
            try await Task.sleep(for: .milliseconds(5))
            first = statter.usage(of: nfs)
        }
        // That call sent a new request, which now hangs; 31 s later the last answer is stale.
        clock.withLock { $0 = 31 }
        #expect(statter.usage(of: nfs)?.isStale == true)
        #expect(BackgroundStatter.isRemote("fuse.sshfs") && BackgroundStatter.isRemote("fuse.mergerfs"))
        #expect(!BackgroundStatter.isRemote("ext4"))
        blocking.gate.signal()
    }
}
