import Testing
@testable import WatchbillCore

@Suite struct RingBufferTests {
    @Test func keepsNewestWhenFull() {
        var r = RingBuffer<Int>(capacity: 3)
        for i in 1...5 { r.append(i) }
        #expect(r.elements == [3, 4, 5])
        #expect(r.count == 3)
        #expect(r.capacity == 3)
        #expect(r.first == 3 && r.last == 5)
    }

    @Test func absoluteIndexesSurviveWraparound() {
        var r = RingBuffer<Int>(capacity: 4)
        for i in 0..<10 { r.append(i * 10) }
        #expect(r.appendedCount == 10)
        #expect(r.firstAbsoluteIndex == 6)
        #expect(r.element(atAbsolute: 6) == 60)
        #expect(r.element(atAbsolute: 9) == 90)
        #expect(r.element(atAbsolute: 5) == nil)
        #expect(r.element(atAbsolute: 10) == nil)
    }

    @Test func lastNClampsToWhatIsHeld() {
        var r = RingBuffer<Int>(capacity: 5)
        #expect(r.last(3).isEmpty)
        r.append(1); r.append(2)
        #expect(r.last(3) == [1, 2])
        #expect(r.last(1) == [2])
        #expect(r.last(0).isEmpty)
    }

    @Test func capacityOneHoldsOnlyTheNewest() {
        var r = RingBuffer<String>(capacity: 1)
        r.append("a"); r.append("b")
        #expect(r.elements == ["b"])
    }

    @Test func removeAllKeepsCountingAppends() {
        var r = RingBuffer<Int>(capacity: 2)
        r.append(1); r.append(2); r.removeAll()
        #expect(r.isEmpty)
        r.append(3)
        #expect(r.elements == [3])
    }
}

@Suite struct SeriesTests {
    func series(_ values: [Double], capacity: Int = 10) -> Series {
        var s = Series(capacity: capacity)
        for (i, v) in values.enumerated() { s.append(time: Double(i), value: v) }
        return s
    }

    @Test func sinceFindsTheFirstPointAtOrAfterTheTime() {
        let s = series([10, 20, 30, 40, 50])
        #expect(s.since(2).map(\.value) == [30, 40, 50])
        #expect(s.since(2.5).map(\.value) == [40, 50])
        #expect(s.since(-1).count == 5)
        #expect(s.since(99).isEmpty)
    }

    @Test func sinceWorksAfterWraparound() {
        let s = series([1, 2, 3, 4, 5, 6, 7], capacity: 4)
        #expect(s.since(0).map(\.value) == [4, 5, 6, 7])
        #expect(s.since(5).map(\.value) == [6, 7])
    }

    @Test func positionFindsTheLastPointAtOrBeforeTheTime() {
        let s = series([1, 2, 3, 4, 5, 6, 7], capacity: 4)
        // Held: times 3...6, positions 0...3.
        #expect(s.position(atOrBefore: 4.5) == 1)
        #expect(s.position(atOrBefore: 6) == 3 && s.position(atOrBefore: 100) == 3)
        #expect(s.position(atOrBefore: 3) == 0 && s.position(atOrBefore: 2.9) == nil)
        #expect(Series(capacity: 3).position(atOrBefore: 0) == nil)
    }

    @Test func statsSkipGaps() {
        var s = series([2, 8])
        s.appendGap(time: 2)
        s.append(time: 3, value: 5)
        let st = s.stats(lastCount: 4)
        #expect(st == WindowStats(count: 3, min: 2, max: 8, average: 5))
        #expect(s.stats(since: 2.5) == WindowStats(count: 1, min: 5, max: 5, average: 5))
    }

    @Test func statsOfOnlyGapsIsNil() {
        var s = Series(capacity: 3)
        s.appendGap(time: 0)
        #expect(s.stats(lastCount: 3) == nil)
    }
}

@Suite struct RetentionTests {
    @Test func historyIsATimeSpanWhateverTheInterval() {
        var s = Series(capacity: 100, retention: 10)
        for t in stride(from: 0.0, through: 30, by: 0.5) { s.append(time: t, value: t) }
        #expect(s.since(0).first?.time == 20)
        #expect(s.count == 21)
        var slow = Series(capacity: 100, retention: 10)
        for t in stride(from: 0.0, through: 30, by: 5) { slow.append(time: t, value: t) }
        #expect(slow.last(100).map(\.time) == [20, 25, 30])
    }

    @Test func goneInterfacesAreForgotten() {
        var store = SeriesStore(capacity: 100, retention: 10)
        store.append(SeriesKey("rx", "veth1"), time: 0, value: 1)
        for t in 1...20 { store.append(SeriesKey("rx", "eth0"), time: Double(t), value: 1) }
        store.pruneStale(now: 20)
        #expect(store[SeriesKey("rx", "veth1")] == nil)
        #expect(store[SeriesKey("rx", "eth0")]?.count == 11)
    }
}
