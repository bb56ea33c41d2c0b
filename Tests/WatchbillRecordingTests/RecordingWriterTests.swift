import Foundation
import Testing
import WatchbillCore
@testable import WatchbillRecording

@Suite struct RecordingWriterTests {
    func dir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wb-rec-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.path
    }

    func tick(_ n: Int) -> HostSnapshot {
        var s = HostSnapshot(time: Double(n), wallClock: 1_796_000_000 + Double(n), host: HostInfo(hostname: "h", kernel: "k"))
        s.memory = MemorySample(total: 1000, available: UInt64(500 + n), free: 100, buffers: 1, cached: 2, swapTotal: 0, swapFree: 0)
        return s
    }

    @Test func writtenTicksReadBackInOrderAndTheFileIsPrivate() throws {
        let path = try dir() + "/r.wbr"
        do {
            let w = try RecordingWriter(path: path)
            for n in 0..<50 { try w.append(tick(n), now: Double(n)) }
        }
        // Appending again later adds to the same file, after its header.
        do {
            let w = try RecordingWriter(path: path)
            try w.append(tick(50), now: 50)
        }
        let contents = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(contents.problem == nil)
        #expect(contents.snapshots.map { $0.memory?.available } == (0...50).map { UInt64(500 + $0) })
        #expect(contents.snapshot(at: 1_796_000_010.5)?.time == 10)
        #expect(contents.snapshot(at: 0)?.time == 0)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
    }

    @Test func sizeLimitRotatesAndKeepsTheNewest() throws {
        let path = try dir() + "/r.wbr"
        let w = try RecordingWriter(path: path, maxBytes: 2000, keep: 2)
        for n in 0..<100 { try w.append(tick(n), now: Double(n)) }
        let read = { (p: String) in RecordingContents(bytes: Array((try? Data(contentsOf: URL(fileURLWithPath: p))) ?? Data())) }
        let current = read(path), first = read(path + ".1"), second = read(path + ".2")
        #expect(FileManager.default.fileExists(atPath: path + ".2") && !FileManager.default.fileExists(atPath: path + ".3"))
        for c in [current, first, second] { #expect(c.problem == nil && !c.snapshots.isEmpty) }
        // Every file stays under the limit, and the newest ticks are in the current one.
        for p in [path, path + ".1", path + ".2"] {
            #expect(((try FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.intValue ?? 0) <= 2000)
        }
        #expect(current.snapshots.last?.time == 99)
        #expect(first.snapshots.last!.time < current.snapshots.first!.time)
    }
}
