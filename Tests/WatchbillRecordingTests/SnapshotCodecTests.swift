import Foundation
import Testing
import WatchbillCollectors
import WatchbillCore
@testable import WatchbillRecording

@Suite struct SnapshotCodecTests {
    static let realRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WatchbillCollectorsTests/Fixtures/real").path

    /// A tick of a real captured /proc, rates and all: the bytes decode to the same tick.
    func realSnapshot() -> HostSnapshot {
        var collector = HostCollector(root: ProcRoot(Self.realRoot))
        _ = collector.sample(time: 100, wallClock: 1_796_000_000)
        var s = collector.sample(time: 101, wallClock: 1_796_000_001)
        s.problems.append("pressure: not readable (a container)")
        s.uptimeSeconds = 12_345.5
        return s
    }

    @Test func aRealTickRoundTrips() throws {
        let s = realSnapshot()
        let bytes = SnapshotCodec.encode(s)
        let back = try SnapshotCodec.decode(bytes)
        #expect(SnapshotCodec.encode(back) == bytes)
        #expect(back.wallClock == s.wallClock && back.host == s.host && back.coreCount == s.coreCount)
        #expect(back.cpuTotal == s.cpuTotal && back.cpuCores == s.cpuCores && back.memory == s.memory)
        #expect(back.filesystems == s.filesystems && back.disks == s.disks && back.interfaces == s.interfaces)
        #expect(back.counters == s.counters && back.problems == s.problems && back.load == s.load)
        #expect(s.memory != nil && s.counters.cpu != nil && !(s.interfaces ?? []).isEmpty)
    }

    /// What a minute at 1 s costs before any compression, for the 10 MB/hour target.
    @Test func aTickIsSmall() {
        let size = SnapshotCodec.encode(realSnapshot()).count
        #expect(size < 2_800, "\(size) bytes a tick is over 10 MB an hour")
        print("snapshot record: \(size) bytes a tick, \(size * 3600 / 1000) kB an hour at 1 s")
    }

    @Test func damagedBytesAreAnErrorNotATrap() {
        let bytes = SnapshotCodec.encode(realSnapshot())
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: ByteReader.Damaged.self) { try SnapshotCodec.decode(Array(bytes[0..<cut])) }
        }
        #expect(throws: ByteReader.Damaged.self) { try SnapshotCodec.decode(bytes + [0]) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var damaged = bytes
            damaged[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = try? SnapshotCodec.decode(damaged)  // any answer but a crash
        }
    }
}
