import Testing
import WatchbillCore
import WatchbillDomain

/// Targets no config would give, from a damaged recording: the SLO arithmetic and its labels
/// never trap (replay crashed at SLOReport's conversion, issue 19).
struct SLOImpossibleTargetsTests {
    @Test func aMinimumPastAnyCountAndAWindowOfNaNDoNotTrap() {
        var counters = SLICounters()
        counters.record(at: 100, good: true, fast: true)
        let report = SLOReport(counters: counters, targets: SLOTargets(window: .nan, minProbes: Int.max), at: 100)
        #expect(report.status == .noData && report.probes == 1)
        #expect(spanLabel(.nan) == "?" && spanLabel(.infinity) == "?" && spanLabel(3600) == "1h")
    }
}
