import Foundation
import Testing
import WatchbillCore
import WatchbillRecording
@testable import WatchbillScreen

/// A recording committed as a fixture (format version 1, written by `RecordingWriter`)
/// drives the screens: the same file gives the same frames on every run, so a change to
/// the format, the reader or the views shows up here. `WATCHBILL_RECORD_GOLDENS=1`
/// rewrites the fixture as well as the goldens.
@Suite struct ReplayFixtureTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/two-minutes.wbr").path
    static let start = 1_764_400_000.0

    /// Two minutes at 1 s of a made-up host: a CPU climb from 60 s, memory stepping at 90 s,
    /// an alert firing at 75 s and resolving at 110 s, and an incident note at 80 s.
    static func writeFixture() throws {
        unlink(fixture)
        let w = try RecordingWriter(path: fixture, maxBytes: Int.max, maxAge: .infinity)
        for i in 0..<120 {
            var s = SampleData.snapshot()
            s.time = Double(i)
            s.wallClock = start + Double(i)
            s.selfUsage = SelfUsage(cpuFraction: 0.004, rssBytes: 9_800_000)
            var u = CPUUsage()
            u.user = i < 60 ? 0.1 : min(0.95, 0.1 + Double(i - 60) / 40)
            u.idle = 1 - u.user
            s.cpuTotal = u
            let gib: UInt64 = 1 << 30
            s.memory?.available = i < 90 ? 10 * gib : 3 * gib
            try w.append(s, now: Double(i), syncEvery: .infinity)
            let labels = ["alertname": "HighCPU", "severity": "P1"]
            if i == 75 {
                try w.append(kind: .alert, EventCodec.encode(AlertRecord(wallClock: start + 75, labels: labels, from: "pending", to: "firing")), now: 75)
            }
            if i == 80 {
                try w.append(kind: .incident, EventCodec.encode(IncidentRecord(incident: 1, seq: 3, at: start + 80, kind: "note",
                                                                                author: "oncall", text: "cpu climbing")), now: 80)
            }
            if i == 110 {
                try w.append(kind: .alert, EventCodec.encode(AlertRecord(wallClock: start + 110, labels: labels, from: "firing", to: "resolved")), now: 110)
            }
        }
    }

    /// The dashboard as the replay shows it after `ticks` ticks, optionally rewound.
    static func frame(ticks: Int, rewoundTo: Int? = nil) throws -> Grid {
        let set = try RecordingSet(paths: [fixture])
        var store = SeriesStore(capacity: 3600, retention: 3600)
        var history = SnapshotHistory(retention: 3600)
        for i in 0..<ticks {
            let s = try #require(set.snapshot(i))
            store.record(s)
            history.append(s)
        }
        let marks = set.events.alerts.filter { $0.to == "firing" }.map { TimelineMark(wallClock: $0.wallClock, kind: .alert(paging: true)) }
            + set.events.incidents.map { TimelineMark(wallClock: $0.at, kind: .incident) }
        var st = AppState(interval: 1)
        st.clock = "07:08:40"
        let latest = try #require(set.snapshot(ticks - 1))
        st.data = DashboardData(store: store, snapshot: latest, points: 200, marks: marks, clockOffset: start)
        st.replayStatus = "REPLAY \(ticks)/\(set.ticks.count)"
        st.replayTimeline = ReplayTimeline(start: set.ticks.first!.wallClock, end: set.ticks.last!.wallClock,
                                           position: latest.wallClock, marks: marks)
        if let rewoundTo {
            st.setHistoryBounds(HistoryBounds(oldest: history.firstIndex, newest: history.lastIndex!, perMinute: 60))
            _ = st.reduce(.history)
            st.history?.index = rewoundTo
            let snap = try #require(history.snapshot(rewoundTo))
            st.history?.data = DashboardData(store: store, snapshot: snap, points: 200, moment: snap.time, marks: marks,
                                             clockOffset: start)
            st.history?.viewedClock = "07:07:50"
            st.history?.viewedAgo = latest.wallClock - snap.wallClock
        }
        return Screen.render(st, width: 100, height: 30)
    }

    @Test func theFixtureRendersTheSameFramesEveryRun() throws {
        if ProcessInfo.processInfo.environment["WATCHBILL_RECORD_GOLDENS"] == "1" { try Self.writeFixture() }
        let set = try RecordingSet(paths: [Self.fixture])
        #expect(set.ticks.count == 120 && set.problems.isEmpty && set.events.alerts.count == 2 && set.events.incidents.count == 1)
        let end = try Self.frame(ticks: 120)
        #expect(try Self.frame(ticks: 120) == end)
        Golden.check(end, "replay-fixture-end")
        // At 100 s: the alert firing, CPU high, memory stepped.
        let mid = try Self.frame(ticks: 101)
        Golden.check(mid, "replay-fixture-100s")
        #expect(mid.lines[2].contains("95.0%") && mid.lines[2].contains("13G"))
        // Rewound from the end to 50 s: CPU low again, the header says how far back.
        let rewound = try Self.frame(ticks: 120, rewoundTo: 50)
        Golden.check(rewound, "replay-fixture-rewound-50s")
        #expect(rewound.lines[0].contains("HISTORY 07:07:50 -1m09s"))
    }
}
