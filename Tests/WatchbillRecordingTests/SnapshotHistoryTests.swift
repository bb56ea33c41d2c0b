import Testing
import WatchbillCore
@testable import WatchbillRecording

@Suite struct SnapshotHistoryTests {
    func tick(_ i: Int, start: Double = 1_796_000_000) -> HostSnapshot {
        var s = HostSnapshot(time: Double(i), wallClock: start + Double(i), host: HostInfo(hostname: "h", kernel: "k"))
        s.uptimeSeconds = Double(i)
        return s
    }

    @Test func keepsTheRetentionSpanWithAbsoluteIndexes() {
        var h = SnapshotHistory(retention: 60)
        #expect(h.lastIndex == nil && h.index(atOrBefore: 0) == nil && h.snapshot(0) == nil)
        for i in 0..<100 { h.append(tick(i)) }
        // 60 s back from tick 99 is tick 39: ticks 39...99 are held, numbered as appended.
        #expect(h.firstIndex == 39 && h.lastIndex == 99 && h.count == 61)
        #expect(h.snapshot(38) == nil && h.snapshot(100) == nil)
        #expect(h.snapshot(50)?.uptimeSeconds == 50)
        #expect(h.encodedBytes == (39..<100).reduce(0) { $0 + SnapshotCodec.encode(tick($1)).count })
    }

    @Test func findsTheTickOnScreenAtAMoment() {
        var h = SnapshotHistory(retention: 3600)
        for i in stride(from: 0, to: 50, by: 5) { h.append(tick(i)) }
        let t0 = 1_796_000_000.0
        #expect(h.index(atOrBefore: t0 + 12) == 2)      // tick at +10
        #expect(h.index(atOrBefore: t0 + 15) == 3)      // exactly +15
        #expect(h.index(atOrBefore: t0 - 100) == 0)     // before the first: the first
        #expect(h.index(atOrBefore: t0 + 1e6) == 9)     // after the last: the last
    }

    @Test func removeAllKeepsTheNumbering() {
        var h = SnapshotHistory(retention: 3600)
        for i in 0..<5 { h.append(tick(i)) }
        h.removeAll()
        #expect(h.count == 0 && h.encodedBytes == 0 && h.lastIndex == nil)
        h.append(tick(10))
        #expect(h.lastIndex == 5 && h.snapshot(5)?.uptimeSeconds == 10)
    }
}
