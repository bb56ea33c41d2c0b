import Testing
import WatchbillCore
import WatchbillDomain
@testable import WatchbillScreen

@Suite struct WallAndLayoutTests {
    func wallState() -> AppState {
        var st = SampleProbes.state()
        st.wall = true
        st.readOnlyReason = "a wall display is read-only"
        st.clock = "04:12:09"
        st.firing = [FiringAlert(severity: .p1, text: "ProbeDown: db has failed every probe for 2 minutes"),
                     FiringAlert(severity: .p1, text: "ErrorBudgetFastBurn: search is burning its error budget fast")]
        return st
    }

    @Test func wallDisplayHasBannerAndBigClock() {
        let grid = Screen.render(wallState(), width: 120, height: 40)
        Golden.check(grid, "wall-120x40")
        let lines = grid.lines
        #expect(lines[2].contains("P1 FIRING: 2 alerts"))
        #expect(lines[3].contains("P1  ProbeDown: db has failed every probe for 2 minutes"))
        // HH:MM in five-row digits at the right: the first row of "04:12".
        #expect(lines[1].hasSuffix("███ █ █     █ ███"))
        #expect(lines.last?.hasPrefix("wall display: read-only, keys off; Ctrl-C quits") == true)
    }

    @Test func quietWallSaysSoAndNamesTheLayout() {
        var st = wallState()
        st.firing = []
        st.layoutName = "oncall"
        let text = Screen.render(st, width: 120, height: 40).text
        #expect(text.contains("no P0 or P1 firing; 2 of 3 targets up"))
        #expect(text.contains("layout oncall  read-only"))
    }

    @Test func wallIgnoresEveryKey() {
        var st = wallState()
        let before = st
        for key: Key in [.character("q"), .character("t"), .character("1"), .enter, .character("K"), .tab, .character("?")] {
            #expect(st.handle(key) == [])
        }
        #expect(st.focus == before.focus && st.shownPanes == before.shownPanes && !st.showHelp && !st.zoomed)
    }

    @Test func smallWallIsTheOrdinaryDashboard() {
        let grid = Screen.render(wallState(), width: 80, height: 24)
        #expect(grid.lines[1].contains("CPU"))
        #expect(grid.lines.last?.contains("Ctrl-C quits") == true)
    }

    @Test func asciiWallClock() {
        var st = wallState()
        st.glyphs = .ascii
        let grid = Screen.render(st, width: 100, height: 30)
        #expect(grid.cells.allSatisfy { $0.scalar.isASCII })
        #expect(grid.lines[1].hasSuffix("### # #     # ###"))
    }

    @Test func namedLayoutsApply() {
        var st = SampleProbes.state()
        st.applyLayout(name: "oncall", panes: ["latency", "slo", "cpu"], compact: false)
        #expect(Screen.layoutRows(st, width: 100, height: 30) == [[.cpu], [.latency, .slo]])
        #expect(st.layoutPanes == ["cpu", "latency", "slo"])
        st.applyLayout(name: "triage", panes: ["cpu", "memory", "processes"], compact: false)
        #expect(Screen.layoutRows(st, width: 100, height: 30) == [[.cpu, .memory], [.processes]])
        #expect(st.layoutPanes == ["cpu", "memory", "processes"])
        st.applyLayout(name: "tiny", panes: [], compact: true)
        #expect(Screen.layoutRows(st, width: 100, height: 30).isEmpty)
        #expect(st.layoutName == "tiny")
    }
}
