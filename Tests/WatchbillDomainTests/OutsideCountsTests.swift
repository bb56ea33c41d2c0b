import Testing
import WatchbillCore
@testable import WatchbillDomain

/// SLI counts read back from a state file that says more good probes than probes: the slot
/// is left out, and the ratios never trap.
@Suite struct OutsideCountsTests {
    @Test func moreGoodThanTotalIsNoCount() throws {
        #expect(SLICounts(total: 1, good: 5, fast: 9).errorRatio == 0)
        #expect(SLICounts(total: 10, good: 5, fast: 9).slowRatio == 0)
        var c = SLICounters()
        c.restore(minute: 1000, SLICounts(total: 1, good: 5, fast: 0))
        c.restore(minute: 1001, SLICounts(total: 4, good: 3, fast: 2))
        let back = try #require(SLICountsFile.decode(SLICountsFile.encode(["api": c]))?["api"])
        #expect(back.storedMinutes.map(\.0) == [1001])
    }
}
