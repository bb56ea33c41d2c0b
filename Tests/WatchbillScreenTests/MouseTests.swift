import Testing
import WatchbillCore
@testable import WatchbillScreen

@Suite struct MouseTests {
    func state(width: Int = 100, height: Int = 30) -> AppState {
        var st = SampleProbes.state()
        st.screenSize = (width, height)
        st.layoutRows = Screen.layoutRows(st, width: width, height: height)
        return st
    }

    @Test func clickFocusesThePaneUnderIt() {
        var st = state()
        // At 100x30 with probes: CPU and Memory on top, Disk and Network, then Latency and SLO.
        _ = st.handle(.mouse(MouseEvent(.click, x: 70, y: 3)))
        #expect(st.focus == .memory)
        _ = st.handle(.mouse(MouseEvent(.click, x: 10, y: 26)))
        #expect(st.focus == .latency)
        // The header and footer are not panes: nothing changes.
        _ = st.handle(.mouse(MouseEvent(.click, x: 10, y: 0)))
        #expect(st.focus == .latency)
        // The Latency box is the one drawn focused.
        let grid = Screen.render(st, width: 100, height: 30)
        let row = grid.lines.firstIndex { $0.contains("╭ Latency") }!
        #expect(grid[0, row].style.role == .focusedBorder && grid[50, row].style.role == .border)
    }

    @Test func wheelScrollsTheListUnderThePointer() {
        var st = state()
        _ = st.handle(.mouse(MouseEvent(.wheelDown, x: 60, y: 26)))
        #expect(st.focus == .slo && st.probeView.selected == 2)  // three rows down, clamped to the last of three
        _ = st.handle(.mouse(MouseEvent(.wheelUp, x: 60, y: 26)))
        #expect(st.probeView.selected == 0)
        // The wheel over a graph does nothing but focus.
        _ = st.handle(.mouse(MouseEvent(.wheelDown, x: 10, y: 5)))
        #expect(st.focus == .cpu && st.probeView.selected == 0)
    }

    @Test func wheelScrollsProcesses() {
        var st = state(width: 100, height: 30)
        st.data.processes = SampleProcesses.all
        st.processesPinned = true
        st.layoutRows = Screen.layoutRows(st, width: 100, height: 30)
        let areas = DashboardView.paneAreas(st, width: 100, height: 30, top: 1)
        let processes = areas.first { $0.0 == .processes }!.1
        _ = st.handle(.mouse(MouseEvent(.wheelDown, x: processes.x + 5, y: processes.y + 2)))
        #expect(st.focus == .processes && st.processes.selected == 3)
    }

    @Test func aClickClosesHelpAndTheWallIgnoresTheMouse() {
        var st = state()
        _ = st.reduce(.toggleHelp)
        _ = st.handle(.mouse(MouseEvent(.click, x: 70, y: 3)))
        #expect(!st.showHelp && st.focus == .cpu)
        st.wall = true
        _ = st.handle(.mouse(MouseEvent(.click, x: 70, y: 3)))
        #expect(st.focus == .cpu)
    }
}
