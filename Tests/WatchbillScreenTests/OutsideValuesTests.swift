import Testing
import WatchbillCore
@testable import WatchbillScreen

/// Figures a remote page or a recording can hold (counts at their largest, NaN usage,
/// negative phases) draw as figures, never trap the screen.
@Suite struct OutsideValuesTests {
    @Test func countsAtTheirLargestAndNaNUsageDraw() {
        var st = SampleData.state()
        var snap = SampleData.snapshot()
        snap.memory = MemorySample(total: 8 << 30, available: 1 << 30, free: 1 << 30, buffers: .max, cached: .max,
                                   swapTotal: 0, swapFree: 0)
        var broken = CPUUsage()
        broken.user = .nan
        var huge = CPUUsage()
        huge.user = 1e300
        // Enough cores for the heat map, some of them NaN or absurd.
        snap.cpuCores = Dictionary(uniqueKeysWithValues: (0..<96).map { ($0, $0 % 3 == 0 ? broken : $0 % 3 == 1 ? huge : CPUUsage()) })
        snap.coreCount = 96
        st.data = DashboardData(snapshot: snap)
        for (w, h) in [(80, 24), (200, 50)] {
            let screen = Screen.render(st, width: w, height: h).text
            #expect(screen.contains("cache"), "\(screen)")
        }
    }

    @Test func phasesThatAreNoTimeDrawNothing() {
        var grid = Grid(width: 60, height: 2)
        let r = ProbeResult(probe: 0, time: 1, duration: 0.2,
                            phases: ProbePhases(dns: 0.5, connect: -0.4, tls: .infinity, firstByte: .nan, transfer: 1e300))
        ProbeDetailView.renderPhases(r, glyphs: .unicode, into: &grid, row: Rect(x: 0, y: 0, width: 60, height: 2))
        #expect(grid.text.contains("DNS"))
    }
}
