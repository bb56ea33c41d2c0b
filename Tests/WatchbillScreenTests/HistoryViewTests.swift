import Testing
import WatchbillCore
import WatchbillRecording
@testable import WatchbillScreen

/// Rewinding: the panes at a past tick, the cursor on every graph, marks at their times,
/// and the keys that move through it.
@Suite struct HistoryViewTests {
    static let start = 1_764_400_000.0

    /// 300 ticks a second apart: CPU climbs to 100% at tick 200 and stays; memory steps
    /// from 25% to 75% at tick 150. Every pane's number tells which tick it is.
    static func recorded() -> (SeriesStore, SnapshotHistory) {
        var store = SeriesStore(capacity: 3600, retention: 3600)
        var history = SnapshotHistory(retention: 3600)
        for i in 0..<300 {
            var s = SampleData.snapshot()
            s.time = Double(i)
            s.wallClock = start + Double(i)
            var u = CPUUsage()
            u.user = min(1, Double(i) / 200)
            u.idle = 1 - u.user
            s.cpuTotal = u
            let gib: UInt64 = 1 << 30
            s.memory?.available = i < 150 ? 12 * gib : 4 * gib
            store.record(s)
            history.append(s)
        }
        return (store, history)
    }

    static func state(at index: Int, width: Int = 80, marks: [TimelineMark] = [], glyphs: GlyphSet = .unicode) -> AppState {
        let (store, history) = recorded()
        var st = AppState(interval: 1, glyphs: glyphs)
        st.clock = "04:12:09"
        st.data = DashboardData(store: store, snapshot: history.snapshot(299), points: 2 * width, marks: marks, clockOffset: start)
        st.setHistoryBounds(HistoryBounds(oldest: history.firstIndex, newest: history.lastIndex!, perMinute: 60))
        _ = st.reduce(.history)
        st.history?.index = index
        let snap = history.snapshot(index)!
        st.history?.data = DashboardData(store: store, snapshot: snap, points: 2 * width, moment: snap.time, marks: marks,
                                         clockOffset: start)
        st.history?.viewedClock = "04:08:09"
        st.history?.viewedAgo = Double(299 - index)
        return st
    }

    @Test func graphsCarryTheMomentAsACursorAndMarksAtTheirSamples() {
        let (store, history) = Self.recorded()
        let marks = [TimelineMark(wallClock: Self.start + 200.4, kind: .alert(paging: true)),
                     TimelineMark(wallClock: Self.start + 120, kind: .incident),
                     TimelineMark(wallClock: Self.start + 5000, kind: .incident)]
        let snap = history.snapshot(180)!
        let d = DashboardData(store: store, snapshot: snap, points: 100, moment: snap.time, marks: marks, clockOffset: Self.start)
        #expect(d.cpu.cursor == 180)
        // 100 before the moment and 50 after it.
        #expect(d.cpu.endIndex == 231 && d.cpu.values.count == 151)
        #expect(d.cpu.values[180 - (231 - 151)] == 0.9)
        // The alert at +200.4 s sits on the sample taken at 200; one far in the future on none.
        #expect(d.cpu.marks == [GraphMark(index: 200, kind: .alert(paging: true)), GraphMark(index: 120, kind: .incident)])
        #expect(d.snapshot?.cpuTotal?.busy == 0.9)
        // Live: no cursor, the newest points.
        let live = DashboardData(store: store, snapshot: history.snapshot(299), points: 100)
        #expect(live.cpu.cursor == nil && live.cpu.endIndex == 300 && live.cpu.values.count == 100)
    }

    @Test func theCursorColumnAndTheWindowThatHoldsIt() {
        // A block graph 20 columns wide over 100 samples: the live page ends at the newest.
        let values = (0..<100).map { Double($0 % 10) / 10 }
        var data = GraphData(values: values, endIndex: 100, cursor: 30)
        var grid = Grid(width: 20, height: 4)
        let glyphs = GlyphSet.unicode.with(graph: .block)
        Graph(data: data, maximum: 1, role: .graphCPU).render(into: &grid, area: grid.bounds, glyphs: glyphs)
        // Sample 30 is off the last page (80..<100): the page moves so it sits three quarters in.
        let start = Graph.windowStart(endIndex: 100, capacity: 20, samplesPerCell: 1, cursor: 30)
        #expect(start == 15)
        let column = 30 - start
        // Sample 30 is 0.0: an empty column, drawn as a line.
        #expect((0..<4).allSatisfy { grid[column, $0].scalar == "│" && grid[column, $0].style.role == .selection })
        // Sample 39 (0.9) fills most of its column: those cells are reversed, not replaced.
        data.cursor = 39
        grid = Grid(width: 20, height: 4)
        Graph(data: data, maximum: 1, role: .graphCPU).render(into: &grid, area: grid.bounds, glyphs: glyphs)
        let c39 = 39 - Graph.windowStart(endIndex: 100, capacity: 20, samplesPerCell: 1, cursor: 39)
        #expect(grid[c39, 3].scalar == "█" && grid[c39, 3].style.reverse)
        // A cursor on the live page leaves the page where it is.
        #expect(Graph.windowStart(endIndex: 100, capacity: 20, samplesPerCell: 1, cursor: 85) == 80)
    }

    @Test func marksOnTheTopRowInASCIIToo() {
        let data = GraphData(values: Array(repeating: 0.1, count: 40), endIndex: 40,
                             marks: [GraphMark(index: 25, kind: .alert(paging: true)), GraphMark(index: 30, kind: .alert(paging: false)),
                                     GraphMark(index: 33, kind: .incident), GraphMark(index: 2, kind: .incident)])
        for (glyphs, alert, incident) in [(GlyphSet.unicode.with(graph: .block), "▼", "◆"), (GlyphSet.ascii, "v", "*")] {
            var grid = Grid(width: 20, height: 3)
            Graph(data: data, maximum: 1, role: .graphCPU).render(into: &grid, area: grid.bounds, glyphs: glyphs)
            // The page is 20..<40: marks at 25, 30 and 33; the one at 2 is off it.
            #expect(String(grid[5, 0].scalar) == alert && grid[5, 0].style.role == .critical)
            #expect(String(grid[10, 0].scalar) == alert && grid[10, 0].style.role == .warn)
            #expect(String(grid[13, 0].scalar) == incident)
            #expect(grid.lines[0].filter { String($0) == alert || String($0) == incident }.count == 3)
        }
    }

    @Test func keysStepAndClampAndEscReturnsToLive() {
        var st = AppState()
        _ = st.reduce(.history)
        #expect(st.history == nil && st.notice?.contains("no history yet") == true)
        st.setHistoryBounds(HistoryBounds(oldest: 40, newest: 299, perMinute: 60))
        _ = st.handle(.character("H"))
        #expect(st.history?.index == 299)
        _ = st.handle(.left)
        #expect(st.history?.index == 298)
        _ = st.handle(.pageUp)
        #expect(st.history?.index == 238)
        _ = st.handle(.right)
        #expect(st.history?.index == 239)
        _ = st.handle(.pageDown)
        _ = st.handle(.pageDown)
        #expect(st.history?.index == 299)
        _ = st.handle(.character("g"))
        #expect(st.history?.index == 40)
        _ = st.handle(.left)
        #expect(st.history?.index == 40)
        // The oldest tick ages out under the cursor: it moves to the new oldest.
        st.setHistoryBounds(HistoryBounds(oldest: 45, newest: 304, perMinute: 60))
        #expect(st.history?.index == 45)
        _ = st.handle(.character("G"))
        #expect(st.history?.index == 304)
        // Other keys still work: focus moves with l, the moment stays.
        _ = st.handle(.character("l"))
        #expect(st.focus == .memory && st.history?.index == 304)
        _ = st.handle(.escape)
        #expect(st.history == nil)
        // H goes in and out; pause leaves history.
        _ = st.handle(.character("H"))
        _ = st.handle(.character("H"))
        #expect(st.history == nil)
        _ = st.handle(.character("H"))
        _ = st.handle(.character("p"))
        #expect(st.history == nil && st.paused)
    }

    @Test func theAlertDetailKeepsItsOwnKeysWhileRewinding() {
        var st = SampleData.state()
        st.setHistoryBounds(HistoryBounds(oldest: 0, newest: 10, perMinute: 60))
        _ = st.handle(.character("H"))
        _ = st.handle(.character("?"))
        _ = st.handle(.left)
        #expect(st.history?.index == 10)
    }

    @Test func rewoundScreensAtSeveralMoments() {
        let marks = [TimelineMark(wallClock: Self.start + 200, kind: .alert(paging: true)),
                     TimelineMark(wallClock: Self.start + 230, kind: .incident)]
        // Before the memory step, at the CPU's climb, and the newest tick.
        for (index, name) in [(100, "history-100"), (210, "history-210"), (299, "history-299")] {
            let grid = Screen.render(Self.state(at: index, marks: marks), width: 80, height: 24)
            Golden.check(grid, name)
            #expect(grid.lines[0].contains("HISTORY 04:08:09"))
            #expect(grid.lines[23].contains("PgUp/PgDn 1 min  g/G oldest/now  Esc live"))
        }
        let ascii = Screen.render(Self.state(at: 210, marks: marks, glyphs: .ascii), width: 80, height: 24)
        Golden.check(ascii, "history-210-ascii")
        #expect(ascii.lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
    }

    @Test func headerSaysHowFarBack() {
        var st = Self.state(at: 47)
        #expect(Screen.render(st, width: 100, height: 30).lines[0].contains("HISTORY 04:08:09 -4m12s"))
        st.history?.viewedAgo = 0
        #expect(Screen.render(st, width: 100, height: 30).lines[0].contains("HISTORY 04:08:09 now"))
        st.history?.viewedAgo = 3900
        #expect(HeaderView.rewound(3900) == "1h05m" && HeaderView.rewound(.nan) == "?")
    }

    @Test func processesAndProbesSayTheyAreNotRewound() {
        var st = Self.state(at: 100)
        st.processesPinned = true
        st.hasProbes = true
        let grid = Screen.render(st, width: 120, height: 50)
        let text = grid.lines.joined(separator: "\n")
        #expect(text.contains("not kept in history; Esc returns to live"))
        #expect(text.contains("Latency now") && text.contains("SLO now"))
    }

    @Test func helpListsTheHistoryKeysWhileRewinding() {
        var st = Self.state(at: 100)
        _ = st.handle(.character("?"))
        let text = Screen.render(st, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(text.contains("Rewinding") && text.contains("a minute back"))
        var live = SampleData.state()
        _ = live.handle(.character("?"))
        #expect(Screen.render(live, width: 100, height: 40).lines.joined().contains("history: rewind every pane"))
    }
}

/// A replay's time bar: the recording's span, its alerts and incident entries, and where
/// the replay is.
@Suite struct TimeBarTests {
    static let start = 1_764_400_000.0
    let marks = [TimelineMark(wallClock: start + 900, kind: .incident),
                 TimelineMark(wallClock: start + 1800, kind: .alert(paging: false)),
                 TimelineMark(wallClock: start + 1800.5, kind: .alert(paging: true)),
                 TimelineMark(wallClock: start + 9999, kind: .alert(paging: true))]

    func bar(position: Double, width: Int = 80, glyphs: GlyphSet = .unicode) -> Grid {
        var grid = Grid(width: width, height: 1)
        TimeBar.render(ReplayTimeline(start: Self.start, end: Self.start + 3600, position: Self.start + position, marks: marks),
                       glyphs: glyphs, into: &grid, y: 0)
        return grid
    }

    @Test func marksAndPositionAlongTheRecording() {
        let grid = bar(position: 3000)
        let line = grid.lines[0]
        // 80 columns less two 9-column clock labels: 62 cells for an hour.
        #expect(line.hasPrefix("07:06:40 ") && line.hasSuffix(" 08:06:40"))
        let cells = Array(line.unicodeScalars)
        #expect(cells[9 + 15] == "◆")                        // 15 min in: cell 15 of 62
        #expect(cells[9 + 31] == "▼" && grid[9 + 31, 0].style.role == .critical) // the page wins the shared cell
        #expect(cells[9 + 51] == "█" && grid[9 + 51, 0].style.role == .title)    // 50 min in
        #expect(line.unicodeScalars.filter { $0 == "▼" }.count == 1)             // the one outside the span is not drawn
        // On a mark, the position reverses it instead of hiding it.
        let onMark = bar(position: 1800)
        #expect(onMark[9 + 31, 0].scalar == "▼" && onMark[9 + 31, 0].style.reverse)
    }

    @Test func narrowAndASCII() {
        let narrow = bar(position: 0, width: 20)
        #expect(!narrow.lines[0].contains(":") && narrow[0, 0].scalar == "█")
        let ascii = bar(position: 3600, glyphs: .ascii)
        #expect(ascii.lines[0].unicodeScalars.allSatisfy(\.isASCII) && ascii.lines[0].contains("v") && ascii.lines[0].contains("*"))
        #expect(ascii[9 + 61, 0].scalar == "#")
    }

    @Test func theReplayScreenMakesRoomForTheBar() {
        var st = SampleData.state()
        st.replayStatus = "REPLAY 04:30:00 1x 200/3600"
        st.replayTimeline = ReplayTimeline(start: Self.start, end: Self.start + 3600, position: Self.start + 200, marks: marks)
        let grid = Screen.render(st, width: 80, height: 24)
        Golden.check(grid, "replay-timebar-80x24")
        #expect(grid.lines[22].contains("◆") && grid.lines[21].hasPrefix("╰"))
        #expect(grid.lines[23].contains("Space pause"))
    }

    @Test func recordKeyAsksTheCallerAndTheHeaderSaysREC() {
        var st = SampleData.state()
        #expect(st.handle(.character("R")) == [.toggleRecording])
        st.recordingTo = "/tmp/x.wbr"
        #expect(Screen.render(st, width: 100, height: 30).lines[0].contains(" REC "))
        var replay = SampleData.state()
        replay.replayStatus = "REPLAY 04:30:00 1x 200/3600"
        #expect(replay.handle(.character("R")) == [] && replay.notice == "a replay is not recorded again")
    }
}
