import Testing
import WatchbillCore
@testable import WatchbillDomain

/// SLI, budget and burn-rate arithmetic against hand-computed figures, on a fake clock.
struct SLOReportTests {
    /// Probes every `step` seconds over [from, to), failing where `bad` says so.
    func fill(_ c: inout SLICounters, from: Double, to: Double, step: Double = 10,
              bad: (Double) -> Bool = { _ in false }, slow: (Double) -> Bool = { _ in false }) {
        var t = from
        while t < to {
            c.record(at: t, good: !bad(t), fast: !slow(t))
            t += step
        }
    }

    let day = 86_400.0
    let start = 1_800_000_000.0  // a whole hour

    @Test func healthyTargetIsOK() {
        var c = SLICounters()
        fill(&c, from: start, to: start + day)
        let r = SLOReport(counters: c, targets: .sla, at: start + day - 1)
        #expect(r.probes == 8640)
        #expect(r.availability.value == 1)
        #expect(r.availability.budgetLeft == 1)
        #expect(r.status == .ok)
    }

    @Test func budgetAndBurnRatesByHand() {
        var c = SLICounters()
        // A day of probes every 10 s (8640), then the last 10 minutes fail one in five.
        let end = start + day
        fill(&c, from: start, to: end) { t in t >= end - 600 && Int((t - start) / 10) % 5 == 0 }
        let r = SLOReport(counters: c, targets: .sla, at: end - 1)
        // 60 probes in the last 10 minutes, 12 failed: 12 / 8640 of the day.
        #expect(r.errorRate == 12.0 / 8640)
        // Budget: 1 - (12/8640) / 0.001 = 1 - 1.3889 = -0.3889: breached.
        #expect(abs(r.availability.budgetLeft! - (1 - (12.0 / 8640) / 0.001)) < 1e-9)
        #expect(r.status == .breached)
        // 5 m window: 30 probes, 6 failed: 20 % / 0.1 % = 200x.
        #expect(abs(r.availability.burnRates[300]! - 200) < 1e-6)
        // 1 h: 360 probes, 12 failed: 3.33 % / 0.1 % = 33.3x.
        #expect(abs(r.availability.burnRates[3600]! - 12.0 / 360 / 0.001) < 1e-6)
        // 1h/5m at 14.4x fires; 6h/30m: 12/2160 = 5.56x, under 6: does not.
        #expect(r.availability.firing.map(\.factor) .contains(14.4))
        #expect(!r.availability.firing.map(\.factor).contains(6))
        #expect(abs(r.availability.burnRates[6 * 3600]! - 12.0 / 2160 / 0.001) < 1e-6)
    }

    @Test func fastBurnWithBudgetLeftIsAtRisk() {
        var c = SLICounters()
        // 30 days every 60 s; in the last hour, minutes 43140, 43152, ..., 43188 fail (5).
        let end = start + 30 * day
        fill(&c, from: start, to: end, step: 60) { t in t >= end - 3600 && Int((t - start) / 60) % 12 == 0 }
        let r = SLOReport(counters: c, targets: .sla, at: end - 1)
        // 43,200 probes, 5 failed: budget 1 - (5/43200)/0.001 = 0.884, so not breached.
        #expect(abs(r.availability.budgetLeft! - (1 - 5.0 / 43_200 / 0.001)) < 1e-9)
        // 5 m: 5 probes, under min_probes 10: not trusted, so 1h/5m cannot fire.
        #expect(r.availability.burnRates[300] == nil)
        // 6h: 5/360 = 13.9x and 30m: 2/30 = 66.7x, both over 6: the second page fires;
        // 1d/2h: 5/1440 = 3.47x and 41.7x over 3; 3d/6h: 5/4320 = 1.16x and 13.9x over 1.
        #expect(abs(r.availability.burnRates[6 * 3600]! - 5.0 / 360 / 0.001) < 1e-6)
        #expect(abs(r.availability.burnRates[1800]! - 2.0 / 30 / 0.001) < 1e-6)
        #expect(r.availability.firing.map(\.factor) == [6, 3, 1])
        #expect(r.status == .atRisk)
        // Trusting windows of 5 probes: the 5 m window burns 0x, so 1h/5m stays quiet.
        var loose = SLOTargets.sla
        loose.minProbes = 5
        let s = SLOReport(counters: c, targets: loose, at: end - 1)
        #expect(s.availability.burnRates[300] == 0)
        #expect(!s.availability.firing.contains { $0.factor == 14.4 })
    }

    @Test func latencySLICountsSlowSuccessesOnly() {
        var c = SLICounters()
        // 100 probes: 10 failed, 9 of the 90 successes slow: latency SLI 81/90 = 0.9.
        for i in 0..<100 {
            let t: Double = start + Double(i)
            c.record(at: t, good: i >= 10, fast: i % 10 != 0 || i < 10)
        }
        let r = SLOReport(counters: c, targets: .sla, at: start + 100)
        #expect(abs(r.latency.value! - 81.0 / 90) < 1e-12)
        // Latency budget: 1 - 0.1 / 0.05 = -1.
        #expect(abs(r.latency.budgetLeft! - (-1)) < 1e-9)
        #expect(r.status == .breached)
    }

    @Test func tooFewProbesIsNoData() {
        var c = SLICounters()
        fill(&c, from: start, to: start + 50)
        #expect(SLOReport(counters: c, targets: .sla, at: start + 50).status == .noData)
    }

    @Test func countersSurviveTheStateFile() throws {
        var c = SLICounters()
        fill(&c, from: start, to: start + 2 * day, step: 30) { t in Int(t) % 7 == 0 }
        let bytes = SLICountsFile.encode(["api": c])
        let back = SLICountsFile.decode(bytes)
        let restored = try #require(back?["api"])
        let now: Double = start + 2 * day
        let windows: [Double] = [300, 3600, 86_400, 30 * 86_400]
        for w in windows {
            let a = restored.counts(overLast: w, at: now), b = c.counts(overLast: w, at: now)
            #expect(a == b)
        }
        // Any flipped byte or cut tail is refused, not half-read.
        var damaged = bytes
        damaged[bytes.count / 2] ^= 0x40
        #expect(SLICountsFile.decode(damaged) == nil)
        #expect(SLICountsFile.decode(Array(bytes.dropLast(3))) == nil)
    }
}

/// A wall display runs for days: nothing a target keeps may grow with uptime.
struct BoundedMemoryTests {
    @Test func probeBookStopsGrowingAfterAnHour() {
        let specs = ["a", "b"].map { ProbeSpec(name: $0, kind: .dns(DNSCheck(name: $0)), interval: 30) }
        var book = ProbeBook(specs: specs)
        var t = 1_800_000_000.0
        var x: UInt64 = 3
        func step(until end: Double) {
            while t < end {
                for i in 0..<2 {
                    x = x &* 6_364_136_223_846_793_005 &+ 1
                    let fail = x >> 60 == 0
                    book.record(ProbeResult(probe: i, time: t, duration: 0.01 + Double(x >> 54) / 10_000,
                                            error: fail ? .timeout : nil, message: fail ? "timeout" : ""))
                }
                t += 30
            }
        }
        step(until: t + 2 * 3600)
        let afterTwoHours = book.footprintBytes
        step(until: t + 3 * 86_400)
        let afterThreeDays = book.footprintBytes
        // The same windows, filled the same way: within a few percent, not three days' worth.
        #expect(Double(afterThreeDays) < Double(afterTwoHours) * 1.1, "\(afterTwoHours) -> \(afterThreeDays)")
        let s = book.summaries(at: t, window: .oneHour)
        #expect(s.allSatisfy { $0.recentErrors.count <= ProbeBook.recentErrorsKept })
        #expect(s[0].slo.probes > 8000)  // three days of probes still count towards the SLO
    }
}
