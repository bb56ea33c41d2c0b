import Foundation
import Testing
import WatchbillCore
@testable import WatchbillRecording

/// Reading a recording from its file without holding it: the same records as reading the
/// bytes, each readable again by its place, damage found where the bytes reader finds it,
/// and several files read as one.
@Suite struct RecordingFileTests {
    func dir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("wb-rf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d.path
    }

    func tick(_ n: Int) -> HostSnapshot {
        var s = HostSnapshot(time: Double(n), wallClock: 1_796_000_000 + Double(n), host: HostInfo(hostname: "h", kernel: "k"))
        s.memory = MemorySample(total: 1000, available: UInt64(500 + n), free: 100, buffers: 1, cached: 2, swapTotal: 0, swapFree: 0)
        s.problems = n % 7 == 0 ? [String(repeating: "x", count: n)] : []
        return s
    }

    func write(_ path: String, ticks: Range<Int>) throws {
        let w = try RecordingWriter(path: path)
        for n in ticks {
            try w.append(tick(n), now: Double(n))
            if n % 10 == 3 {
                try w.append(kind: .alert, EventCodec.encode(AlertRecord(wallClock: Double(n), labels: ["alertname": "A\(n)"],
                                                                         from: nil, to: "firing")), now: Double(n))
            }
        }
    }

    func times(_ file: RecordingFile) -> ([Double], String?) {
        var out: [Double] = []
        let problem = file.scan { r, _ in
            if case .snapshot(let s) = r { out.append(s.time) }
            return true
        }
        return (out, problem)
    }

    @Test func sameRecordsAsTheBytesAcrossChunkBoundariesAndReadableByPlace() throws {
        let path = try dir() + "/r.wbr"
        try write(path, ticks: 0..<400)
        let file = try RecordingFile(path: path)
        file.chunkSize = 257  // blocks straddle chunks all the time
        var places: [(RecordingFile.Place, Record)] = []
        #expect(file.scan { places.append(($1, $0)); return true } == nil)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var fromBytes: [Record] = []
        RecordingContents.scanRecords(bytes) { fromBytes.append($0); return true }
        #expect(places.count == fromBytes.count && places.count == 440)
        for ((place, record), expected) in zip(places, fromBytes) {
            #expect(record.wallClock == expected.wallClock)
            #expect(file.record(at: place)?.wallClock == expected.wallClock)
        }
        let snaps = places.compactMap { p -> RecordingFile.Place? in if case .snapshot = p.1 { return p.0 } else { return nil } }
        #expect(file.snapshot(at: snaps[123])?.memory?.available == 623)
        #expect(file.snapshot(at: snaps[398])?.problems == [] && file.snapshot(at: snaps[399])?.problems.first?.count == 399)
    }

    @Test func damageAtRandomOffsetsStopsWhereTheBytesReaderStops() throws {
        let path = try dir() + "/r.wbr"
        try write(path, ticks: 0..<120)
        let whole = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        var rng = SystemRandomNumberGenerator()
        for round in 0..<60 {
            var bytes = whole
            let at = Int.random(in: BlockFile.headerSize..<whole.count, using: &rng)
            if round % 2 == 0 {
                bytes.removeLast(bytes.count - at)           // torn: a crash or a full disk
            } else {
                bytes[at] ^= UInt8.random(in: 1...255, using: &rng)  // flipped: a bad sector
            }
            let damaged = path + ".\(round)"
            try Data(bytes).write(to: URL(fileURLWithPath: damaged))
            var expected: [Double] = []
            let expectedProblem = RecordingContents.scan(bytes) { expected.append($0.time); return true }
            let (got, problem) = times(try RecordingFile(path: damaged))
            #expect(got == expected, "round \(round) at \(at)")
            #expect(problem == expectedProblem, "round \(round) at \(at)")
            // What came before the damage is all there, in order.
            #expect(got == (0..<got.count).map(Double.init))
        }
    }

    @Test func aSetReadsItsFilesOldestFirstAndSaysWhichWasDamaged() throws {
        let d = try dir()
        try write(d + "/r.wbr.2", ticks: 0..<50)
        try write(d + "/r.wbr.1", ticks: 50..<100)
        try write(d + "/r.wbr", ticks: 100..<150)
        // The middle part lost its last bytes.
        let middle = Array(try Data(contentsOf: URL(fileURLWithPath: d + "/r.wbr.1")))
        try Data(middle.dropLast(3)).write(to: URL(fileURLWithPath: d + "/r.wbr.1"))
        let set = try RecordingSet(paths: [d + "/r.wbr.2", d + "/r.wbr.1", d + "/r.wbr"])
        #expect(set.ticks.map(\.time) == (0..<99).map(Double.init) + (100..<150).map(Double.init))
        #expect(set.problems.count == 1 && set.problems[0].hasPrefix(d + "/r.wbr.1: ") && set.problems[0].contains("cut short"))
        #expect(set.snapshot(120)?.time == 121 && set.snapshot(999) == nil)
        // Only tick 99 went with the torn end; the alert after tick 93 is before it.
        #expect(set.events.alerts.count == 15)
        #expect(throws: RecordingFile.Failure.self) { _ = try RecordingSet(paths: [d + "/nope.wbr"]) }
    }

    @Test func notARecording() throws {
        let path = try dir() + "/junk"
        try Data("hello, this is not a recording at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(times(try RecordingFile(path: path)).1 == "not a watchbill recording")
    }
}
