import Testing
import WatchbillCore
@testable import WatchbillScreen

@Suite struct DashboardViewTests {
    @Test func dashboardAt80x24() {
        Golden.check(Screen.render(SampleData.state(), width: 80, height: 24), "dashboard-80x24")
    }

    @Test func dashboardAt200x50() {
        Golden.check(Screen.render(SampleData.state(), width: 200, height: 50), "dashboard-200x50")
    }

    @Test func dashboardASCIIAt80x24() {
        let grid = Screen.render(SampleData.state(glyphs: .ascii), width: 80, height: 24)
        Golden.check(grid, "dashboard-ascii-80x24")
        #expect(grid.cells.allSatisfy { $0.scalar.isASCII })
    }

    @Test func dashboardBlockGraphsAt80x24() {
        Golden.check(Screen.render(SampleData.state(glyphs: GlyphSet.unicode.with(graph: .block)), width: 80, height: 24),
                     "dashboard-block-80x24")
    }

    @Test func asciiGlyphsKeepNonASCIIDataOffTheScreen() {
        var st = SampleData.state(glyphs: .ascii)
        st.data.snapshot?.host.hostname = "wéb-東京"
        let grid = Screen.render(st, width: 80, height: 24)
        #expect(grid.lines[0].hasPrefix(" watchbill  w?b-????  "))
        #expect(grid.cells.allSatisfy { $0.scalar.isASCII && !$0.isContinuation })
        #expect(Screen.render(AppState(glyphs: .ascii), width: 80, height: 24).text.contains("collecting..."))
    }

    @Test func wallDisplayShowsAllFourPanesInOneRow() {
        let grid = Screen.render(SampleData.state(), width: 300, height: 40)
        let top = grid.lines[1]
        for title in ["CPU", "Memory", "Disk", "Network"] { #expect(top.contains(title)) }
    }

    @Test func zoomedPaneFillsTheBody() {
        var st = SampleData.state()
        st.focus = .disk
        _ = st.reduce(.zoom)
        Golden.check(Screen.render(st, width: 80, height: 24), "zoom-disk-80x24")
    }

    @Test func helpOverlayListsEveryBinding() {
        var st = SampleData.state()
        _ = st.reduce(.toggleHelp)
        let grid = Screen.render(st, width: 80, height: 24)
        Golden.check(grid, "help-80x24")
        let text = grid.text
        #expect(text.contains("closes this help"), "the help's last line is cut off at 80x24")
        for line in KeyMap.standard.helpLines + KeyMap.processes.helpLines {
            #expect(text.contains(line.summary), "help lacks \(line.summary)")
        }
    }

    @Test func compactViewInASmallPane() {
        Golden.check(Screen.render(SampleData.state(), width: 50, height: 8), "compact-50x8")
    }

    @Test func tooSmall() {
        #expect(Screen.render(SampleData.state(), width: 30, height: 3).text == "terminal too small: need 24x4")
        #expect(Screen.render(SampleData.state(), width: 12, height: 3).text == "terminal\ntoo small:\nneed 24x4")
        #expect(Screen.render(SampleData.state(), width: 0, height: 0).lines.isEmpty)
        #expect(Screen.render(SampleData.state(), width: 1, height: 1).lines.count == 1)
    }

    @Test func everySizeFromTinyToWallRendersWithinBounds() {
        // A resize storm: every width and height in a range renders without trapping.
        for w in stride(from: 0, through: 320, by: 7) {
            for h in stride(from: 0, through: 110, by: 5) {
                let g = Screen.render(SampleData.state(), width: w, height: h)
                #expect(g.width == w && g.height == h)
            }
        }
    }

    @Test func pausedHeaderAndFrozenPanes() {
        var st = SampleData.state()
        _ = st.reduce(.togglePause)
        var changed = SampleData.snapshot()
        changed.memory?.available = 0
        st.data = DashboardData(snapshot: changed)
        let grid = Screen.render(st, width: 80, height: 24)
        #expect(grid.lines[0].contains("PAUSED"))
        // Memory still shows the frozen 10G used, not the new 16G.
        #expect(grid.lines[2].contains("10G"))
        _ = st.reduce(.togglePause)
        #expect(Screen.render(st, width: 80, height: 24).lines[2].contains("16G"))
    }

    @Test func staleDataIsFlaggedInTheHeader() {
        var st = SampleData.state()
        st.sampleAge = 2
        #expect(!st.isStale)
        #expect(!Screen.render(st, width: 80, height: 24).lines[0].contains("STALE"))
        st.sampleAge = 75
        #expect(st.isStale)
        #expect(Screen.render(st, width: 80, height: 24).lines[0].hasSuffix(" STALE 00:01:15 "))
        st.interval = 30
        #expect(!st.isStale, "75 s is not stale at a 30 s interval")
    }

    @Test func firstFrameBeforeAnySampleSaysCollecting() {
        let grid = Screen.render(AppState(), width: 80, height: 24)
        #expect(grid.text.contains("collecting..."))
    }

    @Test func manyCoresBecomeAHeatGrid() {
        var st = SampleData.state()
        var snap = SampleData.snapshot()
        for i in 0..<256 {
            var u = CPUUsage()
            u.user = Double(i % 10) / 10
            u.idle = 1 - u.user
            snap.cpuCores[i] = u
        }
        snap.coreCount = 256
        st.data.snapshot = snap
        #expect(Screen.render(st, width: 80, height: 24).text.contains("256 cores: Enter zooms to show each"))
        _ = st.reduce(.zoom)
        let grid = Screen.render(st, width: 80, height: 24)
        Golden.check(grid, "cpu-256-cores-zoomed-80x24")
        // 256 cores at 72 per row: four rows of heat cells under the graph.
        let levels = Set(GlyphSet.unicode.levels.map(Character.init))
        let heatRows = grid.lines.filter { line in
            (line.hasPrefix("│cores ") || line.hasPrefix("│      ")) && line.dropFirst(7).first.map(levels.contains) == true
        }
        #expect(heatRows.count == 4)
    }

    @Test func problemsShowInTheFooter() {
        var st = SampleData.state()
        st.data.snapshot?.problems = ["/proc/meminfo: cannot read", "/proc/stat:1: no aggregate cpu line"]
        let last = Screen.render(st, width: 100, height: 24).lines[23]
        #expect(last.contains("! /proc/meminfo: cannot read (+1)"))
    }
}

@Suite struct KeyHandlingTests {
    @Test func focusMovesAroundTheGrid() {
        var st = AppState()
        #expect(st.focus == .cpu)
        _ = st.handle(.right); #expect(st.focus == .memory)
        _ = st.handle(.right); #expect(st.focus == .memory)
        _ = st.handle(.character("j")); #expect(st.focus == .network)
        _ = st.handle(.character("h")); #expect(st.focus == .disk)
        _ = st.handle(.up); #expect(st.focus == .cpu)
        _ = st.handle(.tab); _ = st.handle(.tab); _ = st.handle(.tab); _ = st.handle(.tab)
        #expect(st.focus == .cpu)
        _ = st.handle(.backTab); #expect(st.focus == .network)
    }

    @Test func focusFollowsTheWallLayout() {
        var st = AppState()
        st.layoutRows = Screen.layoutRows(st, width: 300, height: 40)
        #expect(st.layoutRows == [[.cpu, .memory, .disk, .network]])
        _ = st.handle(.right); _ = st.handle(.right); _ = st.handle(.right)
        #expect(st.focus == .network)
        _ = st.handle(.right); #expect(st.focus == .network)
        _ = st.handle(.down); #expect(st.focus == .network)
        _ = st.handle(.left); #expect(st.focus == .disk)
    }

    @Test func numberKeysHideAndShowPanes() {
        var st = SampleData.state()
        _ = st.handle(.character("2")); _ = st.handle(.character("3"))
        #expect(Screen.layoutRows(st, width: 80, height: 24) == [[.cpu, .network]])
        #expect(Screen.layoutRows(st, width: 200, height: 50) == [[.cpu, .network]])
        _ = st.handle(.character("1"))
        _ = st.handle(.character("4"))
        #expect(st.notice == "Network is the last pane shown")
        #expect(Screen.layoutRows(st, width: 80, height: 24) == [[.network]])
        #expect(st.focus == .network, "focus leaves a hidden pane")
        _ = st.handle(.character("5"))
        #expect(Screen.layoutRows(st, width: 80, height: 24) == [[.network], [.processes]])
        let text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("Network") && text.contains("Processes") && !text.contains("Memory"))
    }

    @Test func compactLayoutAtAnySize() {
        var st = SampleData.state()
        st.compact = true
        #expect(Screen.render(st, width: 200, height: 50).lines[1].hasPrefix("CPU  "))
        #expect(Screen.layoutRows(st, width: 200, height: 50).isEmpty)
    }

    @Test func zoomAndEscape() {
        var st = AppState()
        _ = st.handle(.enter); #expect(st.zoomed)
        _ = st.handle(.character("?")); #expect(st.showHelp)
        _ = st.handle(.escape); #expect(!st.showHelp && st.zoomed)
        _ = st.handle(.escape); #expect(!st.zoomed)
    }

    @Test func intervalSteps() {
        var st = AppState(interval: 1)
        #expect(st.handle(.character("+")) == [.setInterval(2)])
        #expect(st.handle(.character("-")) == [.setInterval(1)])
        #expect(st.handle(.character("-")) == [.setInterval(0.5)])
        #expect(st.handle(.character("-")) == [.setInterval(0.25)])
        #expect(st.handle(.character("-")) == [])
        var odd = AppState(interval: 3)
        #expect(odd.handle(.character("-")) == [.setInterval(2)])
        var top = AppState(interval: 60)
        #expect(top.handle(.character("+")) == [])
    }

    @Test func pauseFreezesAndResumes() {
        var st = SampleData.state()
        #expect(!st.paused)
        _ = st.handle(.character("p"))
        #expect(st.paused)
        #expect(st.shown.snapshot?.host.hostname == "web-01")
        _ = st.handle(.character("p"))
        #expect(!st.paused)
    }

    @Test func quitAndUnboundKeys() {
        var st = AppState()
        #expect(st.handle(.character("q")) == [.quit])
        #expect(st.handle(.character("Z")) == [])
        #expect(st.handle(.pageUp) == [])
    }

    @Test func everyActionHasADefaultKey() {
        let bound = Set((KeyMap.standard.bindings + KeyMap.processes.bindings + KeyMap.probes.bindings
            + KeyMap.alerts.bindings + KeyMap.incidents.bindings + KeyMap.fleet.bindings).map(\.action))
        #expect(bound == Set(Action.allCases))
    }
}
