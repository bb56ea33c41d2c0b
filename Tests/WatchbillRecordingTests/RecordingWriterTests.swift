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
        let contents = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(contents.problem == nil)
        #expect(contents.snapshots.map { $0.memory?.available } == (0..<50).map { UInt64(500 + $0) })
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

    /// A new run never appends to an old file: a torn last block there would hide all of
    /// this run. The old recording moves to FILE.1, whole.
    @Test func aNewRunStartsAFreshFileAndKeepsTheOldOne() throws {
        let path = try dir() + "/r.wbr"
        do {
            let w = try RecordingWriter(path: path)
            for n in 0..<5 { try w.append(tick(n), now: Double(n)) }
        }
        // The first run died mid-block.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("BLK1\u{10}".utf8))
        try handle.close()
        do {
            let w = try RecordingWriter(path: path)
            for n in 5..<8 { try w.append(tick(n), now: Double(n)) }
        }
        let now = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let before = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path + ".1"))))
        #expect(now.problem == nil && now.snapshots.map(\.time) == [5, 6, 7])
        #expect(before.snapshots.map(\.time) == [0, 1, 2, 3, 4] && before.problem != nil)
    }

    @Test func someoneElsesFileIsRefusedUntouched() throws {
        let path = try dir() + "/notes.txt"
        try "my notes".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: RecordingWriter.Failure.self) { try RecordingWriter(path: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes")
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func oneWriterPerFile() throws {
        let path = try dir() + "/r.wbr"
        let first = try RecordingWriter(path: path)
        try first.append(tick(0), now: 0)
        // A second dashboard would move the first one's file away; the lock on the new
        // file it creates is its own, so it is the first writer's file that must be kept:
        // the second gets FILE and the first keeps writing to FILE.1, both readable.
        let second = try RecordingWriter(path: path)
        try second.append(tick(1), now: 1)
        try first.append(tick(2), now: 2)
        let a = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path + ".1"))))
        let b = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(a.problem == nil && a.snapshots.map(\.time) == [0, 2])
        #expect(b.problem == nil && b.snapshots.map(\.time) == [1])
    }

    @Test func ageRotatesTheLiveFile() throws {
        let path = try dir() + "/r.wbr"
        let w = try RecordingWriter(path: path, maxAge: 100, now: 1000)
        try w.append(tick(0), now: 1000)
        try w.append(tick(1), now: 1050)
        try w.append(tick(2), now: 1101)
        let current = RecordingContents(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(current.snapshots.map(\.time) == [2])
        #expect(FileManager.default.fileExists(atPath: path + ".1"))
    }
}
