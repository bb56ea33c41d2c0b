#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import WatchbillCore
@testable import WatchbillRecording

/// A full disk mid-recording: the writer's descriptor is pointed at /dev/full, so its
/// writes fail with ENOSPC as they would on a full filesystem.
@Suite struct RecordingSinkTests {
    func tick(_ n: Int) -> HostSnapshot {
        HostSnapshot(time: Double(n), wallClock: 1_796_000_000 + Double(n), host: HostInfo(hostname: "h", kernel: "k"))
    }

    /// The descriptor this process has open on `path`.
    func descriptor(of path: String) throws -> Int32 {
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")
        for fd in fds {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"), target == path {
                return Int32(fd)!
            }
        }
        throw CocoaError(.fileNoSuchFile)
    }

    func times(_ path: String) -> [Double] {
        (try? RecordingSet(paths: [path]))?.ticks.map(\.time) ?? []
    }

    @Test func aFullDiskPausesTheRecordingAndAFreshFileResumesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-sink-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/r.wbr"
        let sink = RecordingSink(try RecordingWriter(path: path), name: "test", retryAfter: 60)
        for n in 0..<10 { #expect(sink.write(now: Double(n)) { try $0.append(tick(n), now: Double(n)) } == .written) }
        // The disk fills up.
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        #expect(dup2(full, try descriptor(of: path)) >= 0)
        close(full)
        guard case .paused(let why) = sink.write(now: 10, { try $0.append(tick(10), now: 10) }) else {
            Issue.record("a write to a full disk did not pause the recording")
            return
        }
        #expect(why.contains("No space left on device"))
        // Within the minute nothing is tried; the records are counted as lost.
        for n in 11..<70 { #expect(sink.write(now: Double(n)) { try $0.append(tick(n), now: Double(n)) } == .skipped) }
        // A minute on, a fresh file: the old one, whole up to the failure, moves to r.wbr.1.
        #expect(sink.write(now: 70) { try $0.append(tick(70), now: 70) } == .resumed(lost: 59))
        for n in 71..<75 { #expect(sink.write(now: Double(n)) { try $0.append(tick(n), now: Double(n)) } == .written) }
        #expect(times(path + ".1") == (0..<10).map(Double.init))
        #expect(times(path) == (70..<75).map(Double.init))
    }

    @Test func aFileThatNeverStartedIsReplacedNotRotated() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-sink-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/r.wbr"
        let writer = try RecordingWriter(path: path)
        try writer.restart(now: 1)
        try writer.restart(now: 2)
        // Nothing was pushed into the rotated parts by retries on an empty file.
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
        try writer.append(tick(1), now: 3)
        try writer.restart(now: 4)
        #expect(times(path + ".1") == [1] && times(path).isEmpty)
    }
}
