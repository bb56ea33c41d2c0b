import Histogram
import Testing
@testable import WatchbillDomain

/// Windows against exact percentiles of the same values (nearest-rank), within the 1 %
/// that two significant digits allow.
struct LatencyRecorderTests {
    func exact(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let rank = Int((q / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, rank - 1)]
    }

    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= b * 0.01 + 1e-6 }

    /// A deterministic spread of latencies: 5 ms to about 2 s, heavy-tailed.
    func latencies(_ n: Int, seed: UInt64) -> [Double] {
        var x = seed
        return (0..<n).map { _ in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(x >> 11) / Double(1 << 53)
            return 0.005 / max(0.0025, 1 - u)
        }
    }

    @Test func windowsMatchExactPercentiles() {
        var rec = LatencyRecorder()
        let start = 1_000_200.0  // a slice boundary, and an epoch one
        let values = latencies(3600, seed: 7)
        // One probe a second for an hour.
        for (i, v) in values.enumerated() { rec.record(v, at: start + Double(i)) }
        let now = start + 3599.5
        // The 1 m window covers the open slice and the five closed before it: 60 values.
        let lastMinute = Array(values.suffix(60))
        let m = rec.percentiles(.oneMinute, at: now)
        #expect(m.count == 60)
        for q in [50.0, 90, 95, 99] {
            let p = q == 50 ? m.p50 : q == 90 ? m.p90 : q == 95 ? m.p95 : m.p99
            #expect(close(p, exact(lastMinute, q)), "p\(q): \(p) vs \(exact(lastMinute, q))")
        }
        #expect(m.max == lastMinute.max().map { (($0 * 1e6).rounded()) / 1e6 })
        let five = rec.percentiles(.fiveMinutes, at: now)
        #expect(five.count == 300)
        #expect(close(five.p99, exact(Array(values.suffix(300)), 99)))
        // The hour: 12 epochs of 5 minutes, all 3600 values.
        let hour = rec.percentiles(.oneHour, at: now)
        #expect(hour.count == 3600)
        #expect(close(hour.p999, exact(values, 99.9)))
        #expect(close(hour.p50, exact(values, 50)))
    }

    @Test func anEmptyRecorderAnswersEveryWindow() {
        let rec = LatencyRecorder()
        for w in LatencyWindow.allCases { #expect(rec.percentiles(w, at: 1_800_000_000).count == 0) }
        #expect(rec.sliceBands(at: 1_800_000_000).allSatisfy { $0 == nil })
        #expect(rec.epochBands(at: 1_800_000_000).allSatisfy { $0 == nil })
    }

    /// The merges kept per slice answer exactly what merging the slices at query time does.
    @Test func cachedWindowsEqualRecomputedOnes() {
        var rec = LatencyRecorder()
        let values = latencies(2000, seed: 9)
        var t = 5_000_000.0
        for (i, v) in values.enumerated() {
            if i % 7 == 0 { rec.recordFailure(at: t) } else { rec.record(v, at: t) }
            t += 1.7
            if i % 97 == 0 {
                rec.advance(to: t)  // the query's slice is then the open one: the cached path
                for w in LatencyWindow.allCases { #expect(rec.percentiles(w, at: t) == rec.recomputed(w, at: t)) }
            }
        }
    }

    @Test func oldSlicesLeaveTheWindows() {
        var rec = LatencyRecorder()
        rec.record(0.9, at: 100)
        rec.record(0.1, at: 200)
        #expect(rec.percentiles(.oneMinute, at: 205).count == 1)
        #expect(rec.percentiles(.fiveMinutes, at: 205).count == 2)
        // Six minutes on, neither is in the 5 m window; the hour still has both.
        #expect(rec.percentiles(.fiveMinutes, at: 560).count == 0)
        rec.advance(to: 560)
        #expect(rec.percentiles(.oneHour, at: 560).count == 2)
        rec.advance(to: 100 + 3700)
        #expect(rec.percentiles(.oneHour, at: 3800).count == 0)
    }

    /// The compact form reads exactly what HdrHistogram's dense histogram reads for the same
    /// values, merged or not.
    @Test func compactPercentilesEqualDenseHdrHistogram() {
        var dense = LatencyLayout.histogram()
        let a = latencies(500, seed: 1), b = latencies(700, seed: 2)
        for v in a + b { _ = dense.record(LatencyLayout.micros(v)) }
        let parts = [CompactHistogram(raw: a.map { UInt32(LatencyLayout.micros($0)) }),
                     CompactHistogram(raw: b.map { UInt32(LatencyLayout.micros($0)) })]
        let merged = parts[0].merged(with: parts[1])
        let qs = [1.0, 50, 90, 95, 99, 99.9]
        let fromParts = CompactHistogram.values(at: qs, over: parts)
        let fromMerged = CompactHistogram.values(at: qs, over: [merged])
        for (i, q) in qs.enumerated() {
            let expected = min(dense.valueAtPercentile(q), UInt64(merged.max))
            #expect(UInt64(fromParts[i]) == expected, "p\(q)")
            #expect(fromMerged[i] == fromParts[i])
        }
        #expect(merged.total == 1200)
        var replay = LatencyLayout.histogram()
        merged.add(to: &replay)
        #expect(replay.totalCount == 1200 && replay.valueAtPercentile(99) == dense.valueAtPercentile(99))
    }

    @Test func sliceBandsHaveGapsWhereNoProbesRan() {
        var rec = LatencyRecorder()
        rec.record(0.2, at: 1000)
        rec.record(0.4, at: 1030)
        let bands = rec.sliceBands(at: 1045)
        #expect(bands.count == 30)
        #expect(bands.compactMap { $0 }.count == 2)
        // Slices 75...104 (10 s each); 104 is now, 103 the open one with the 0.4 s probe.
        #expect(bands[29] == nil)
        #expect(bands[28]?.p95 == 0.4)
        #expect(bands[27] == nil)  // the slice at 1020 had no probe
        #expect(bands[25]?.p50 == 0.2)
    }
}
