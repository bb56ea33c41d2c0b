import Foundation
import Testing
import WatchbillCore
import WatchbillRecording
import WatchbillRuntime

/// `watchbill replay FILE --once --at TIME` reads a recording up to a moment.
@Suite struct RecordingMomentTests {
    static let start = 1_796_000_000.0

    func recording(ticks: Range<Int>, step: Double = 1, gapAt: Int? = nil) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moment-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/r.wbr"
        let w = try RecordingWriter(path: path)
        for n in ticks {
            // A restart: the collector's clock starts over, the wall clock goes on.
            let time = gapAt.map { n >= $0 ? Double(n - $0) * step : Double(n) * step + 5_000 } ?? Double(n) * step
            try w.append(HostSnapshot(time: time, wallClock: Self.start + Double(n) * step, host: HostInfo(hostname: "h", kernel: "k")),
                         now: Double(n))
            if n == 10 {
                try w.append(kind: .alert, EventCodec.encode(AlertRecord(wallClock: Self.start + 10, labels: ["alertname": "Down", "severity": "P1"],
                                                                         from: "pending", to: "firing")), now: Double(n))
            }
            if n == 20 {
                try w.append(kind: .alert, EventCodec.encode(AlertRecord(wallClock: Self.start + 20, labels: ["alertname": "Down", "severity": "P1"],
                                                                         from: "firing", to: nil)), now: Double(n))
            }
        }
        return path
    }

    @Test func theTickAtAMomentAndWhatWasFiringThen() throws {
        let path = try recording(ticks: 0..<30, step: 2)
        let (moment, problems) = try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { first in first.wallClock + 31 }
        let m = try #require(moment)
        #expect(problems.isEmpty)
        #expect(m.shown.wallClock == Self.start + 30 && m.interval == 2)
        #expect(m.firing.map(\.name) == ["Down"], "fired at 20 s of recording, resolved at 40 s")
        #expect(!m.outside)
        // Reading stopped just past the moment: the last tick read is the next one.
        #expect(m.lastRead.wallClock == Self.start + 32)
        let end = try #require(try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { _ in nil }.moment)
        #expect(end.shown.wallClock == Self.start + 58 && end.firing.isEmpty)
    }

    @Test func outsideTheRecordingAndARestartGap() throws {
        let path = try recording(ticks: 0..<10, gapAt: 5)
        let before = try #require(try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { $0.wallClock - 600 }.moment)
        #expect(before.outside && before.shown.wallClock == Self.start)
        let after = try #require(try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { $0.wallClock + 3_600 }.moment)
        #expect(after.outside && after.shown.wallClock == Self.start + 9)
        // The tick after a restart: its collector clock went back, so the interval is unknown (1).
        let restart = try #require(try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { $0.wallClock + 5 }.moment)
        #expect(restart.interval == 1 && restart.shown.wallClock == Self.start + 5)
    }

    @Test func noTicksAnUnreadableFileAndAnAtThatFails() throws {
        let dir = FileManager.default.temporaryDirectory.path
        let empty = dir + "/empty-\(UUID().uuidString).wbr"
        _ = try RecordingWriter(path: empty)
        #expect(try RecordingMoment.read([empty], localTimestamp: { "\($0)" }) { _ in nil }.moment == nil)
        #expect(throws: RecordingMoment.Unreadable.self) {
            try RecordingMoment.read([dir + "/missing-\(UUID().uuidString).wbr"], localTimestamp: { "\($0)" }) { _ in nil }
        }
        struct BadAt: Error {}
        let path = try recording(ticks: 0..<3)
        #expect(throws: BadAt.self) { try RecordingMoment.read([path], localTimestamp: { "\($0)" }) { _ in throw BadAt() } }
    }
}

/// `incident note ... --at`: when the on-call says it happened.
@Suite struct PastMomentTests {
    @Test func agoClockAndUnix() throws {
        let now = 1_796_772_600.0  // 23:30 UTC
        #expect(PastMoment("15m")?.resolve(now: now, utcOffset: 0) == now - 900)
        #expect(PastMoment("-2h")?.resolve(now: now, utcOffset: 0) == now - 7200)
        #expect(PastMoment("14:05")?.resolve(now: now, utcOffset: 0) == now - 9 * 3600 - 25 * 60)
        // 23:45 has not come yet at 23:30: it was yesterday's.
        #expect(PastMoment("23:45")?.resolve(now: now, utcOffset: 0) == now + 900 - 86_400)
        #expect(PastMoment("1796770000")?.resolve(now: now, utcOffset: 0) == 1_796_770_000)
    }

    @Test func whatIsNotAMoment() {
        for text in ["", "soon", "25:00", "14:5x", "400d", "12", "14:05:30", "0m"] {
            #expect(PastMoment(text) == nil, "\(text)")
        }
    }
}

/// `replay --at`: a moment in a recording.
@Suite struct RecordingTimeTests {
    @Test func afterTheStartAClockTimeOrUnix() {
        let start = 1_796_772_600.0  // 23:30 UTC
        #expect(RecordingTime.resolve("+0", start: start, utcOffset: 0) == start)
        #expect(RecordingTime.resolve("+90s", start: start, utcOffset: 0) == start + 90)
        #expect(RecordingTime.resolve("+5m", start: start, utcOffset: 0) == start + 300)
        #expect(RecordingTime.resolve("23:45:30", start: start, utcOffset: 0) == start + 930)
        // 00:10 is before a start at 23:30: the next day's, after midnight.
        #expect(RecordingTime.resolve("00:10", start: start, utcOffset: 0) == start + 40 * 60)
        #expect(RecordingTime.resolve("1796772700", start: start, utcOffset: 0) == 1_796_772_700)
        for text in ["soon", "+", "+x", "24:00", "12:60", "1:2:3:4", "12:"] {
            #expect(RecordingTime.resolve(text, start: start, utcOffset: 0) == nil, "\(text)")
        }
    }
}
