import Testing
import WatchbillCore
import WatchbillFleet
import WatchbillIncidents
import WatchbillRules
import WatchbillRuntime
import WatchbillScreen

/// A remote-style alert (the initialiser every test can build) of a severity, active since `since`.
func alert(_ name: String, _ severity: String, since: Double, firing: Bool = true, instance: String? = nil,
           origin: AlertOrigin = AlertOrigin(.prometheus, "p:9090")) -> AlertItem {
    var labels = ["alertname": name, "severity": severity]
    if let instance { labels["instance"] = instance }
    return AlertItem(origin: origin, labels: labels, annotations: ["summary": "\(name) summary"],
                     phase: firing ? .firing : .pending, activeAt: since, value: 1, remoteSuppression: nil,
                     actions: AlertActions(), at: since)
}

func snapshot(wallClock: Double, time: Double = 1) -> HostSnapshot {
    HostSnapshot(time: time, wallClock: wallClock, host: HostInfo(hostname: "h", kernel: "6.1"))
}

func runtime(replay: Bool = false, bell: Bool = true, autoOpen: Bool = false, wall: WallCycle? = nil) -> DashboardRuntime {
    var r = DashboardRuntime(state: AppState(), settings: .init(replay: replay, bell: bell, autoOpenIncidents: autoOpen),
                             wallCycle: wall)
    _ = r.reduce(.resized(width: 100, height: 30))
    return r
}

func rendered(_ r: DashboardRuntime) -> String {
    let g = Screen.render(r.state, width: r.state.screenSize.width, height: r.state.screenSize.height)
    return g.text
}

@Suite struct MomentTests {
    /// The defect: a replay measured alert ages against the wall clock (16 s after a
    /// recorded firing it showed 7m). Ages come from the recording's clock.
    @Test func aReplaysAgesAreFromTheRecordedClock() {
        var r = runtime(replay: true)
        let recorded = 1_700_000_000.0
        _ = r.reduce(.clock(TimeReading(wall: recorded + 420, monotonic: 50)))
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: recorded + 16)), sampleTime: 1, bounds: nil))
        _ = r.reduce(.alerts(AlertsData(items: [alert("ProbeDown", "P1", since: recorded)], now: recorded + 420)))
        #expect(r.moment == .replay(at: recorded + 16))
        #expect(r.state.alerts.now == recorded + 16)
        _ = r.reduce(.keys([.character("A")]))
        let screen = rendered(r)
        #expect(screen.contains("16s"), "\(screen)")
        #expect(!screen.contains("7m"))
        // Seeking back to before the firing cannot make it older.
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: recorded + 5, time: 2)), sampleTime: 2, bounds: nil))
        #expect(r.state.alerts.now == recorded + 5)
    }

    /// Rewinding inside a replay shows the rewound tick's moment, not the replay's head.
    @Test func aRewindInsideAReplay() {
        var r = runtime(replay: true)
        _ = r.reduce(.clock(TimeReading(wall: 9_000, monotonic: 1)))
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 1_000, time: 50)), sampleTime: 50,
                             bounds: HistoryBounds(oldest: 0, newest: 50, perMinute: 60)))
        #expect(r.moment == .replay(at: 1_000))
        _ = r.reduce(.keys([.character("H")]))
        // H belongs to the rewind, not to the replay's steering.
        #expect(r.reduce(.keys([.left])).isEmpty)
        let want = try! #require(r.wantedHistory)
        _ = r.reduce(.historyTick(want, data: DashboardData(snapshot: snapshot(wallClock: 990, time: 40)), takenAt: 990, newestAt: 1_000))
        #expect(r.moment == .history(at: 990) && r.state.alerts.now == 990)
        #expect(r.state.readOnlyWhy == "a replay is read-only")
    }

    @Test func liveAgesFollowTheClock() {
        var r = runtime()
        _ = r.reduce(.clock(TimeReading(wall: 1000, monotonic: 1)))
        _ = r.reduce(.alerts(AlertsData(items: [alert("X", "P2", since: 990)], now: 1000)))
        _ = r.reduce(.clock(TimeReading(wall: 1030, monotonic: 31)))
        #expect(r.moment == .live(at: 1030) && r.state.alerts.now == 1030)
    }

    @Test func clockTextIsTheReadingsZone() {
        let t = TimeReading(wall: 86_400 * 3 + 3600 + 61.9, monotonic: 0, utcOffset: 2 * 3600)
        #expect(t.localClock(t.wall) == "03:01:01")
        #expect(TimeReading(wall: 0, monotonic: 0, utcOffset: -3600).localClock(0) == "23:00:00")
    }

    @Test func aClockTimeOnTheLocalDayOfAMoment() {
        // 2026-12-08 23:30 UTC is 01:30 on the 9th in UTC+2: 14:05 there is 12:05 UTC on the 9th.
        let moment = 1_796_772_600.0
        #expect(LocalDay.time(14 * 3600 + 5 * 60, onDayOf: moment, utcOffset: 7200) == 1_796_817_900)
        // In UTC-5 it is 18:30 on the 8th: 14:05 that afternoon is 19:05 UTC.
        #expect(LocalDay.time(14 * 3600 + 5 * 60, onDayOf: moment, utcOffset: -18_000) == 1_796_756_700)
    }

    /// In a rewind, incidents are as they stood: one opened later is not there, one
    /// resolved later is still open, and the screens say "as of".
    @Test func aRewindShowsIncidentsAsTheyStood() {
        let opened = IncidentEvent(seq: 1, incident: 7, at: 100, writtenAt: 100, author: "ana", kind: .opened, field: "P1", text: "API down")
        let resolved = IncidentEvent(seq: 2, incident: 7, at: 300, writtenAt: 300, author: "ana", kind: .resolved)
        let later = IncidentEvent(seq: 3, incident: 8, at: 400, writtenAt: 400, author: "bo", kind: .opened, field: "P3", text: "later")
        let all = [Incident.fold(id: 7, events: [opened, resolved])!, Incident.fold(id: 8, events: [later])!]
        #expect(all[0].status == .resolved)
        let then = IncidentsAtMoment.fold(all, at: 200)
        #expect(then.map(\.id) == [7] && then[0].status == .investigating)
        #expect(IncidentsAtMoment.fold(all, at: 500) == all)

        var r = runtime()
        _ = r.reduce(.clock(TimeReading(wall: 500, monotonic: 1)))
        _ = r.reduce(.incidents(IncidentsData(all: all)))
        #expect(r.state.incidents.all == all && r.state.incidents.asOf == nil)
        // Into history at a tick taken at 200.
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 500, time: 10)), sampleTime: 10,
                             bounds: HistoryBounds(oldest: 0, newest: 10, perMinute: 60)))
        _ = r.reduce(.keys([.character("H")]))
        let want = r.wantedHistory
        #expect(want?.index == 10)
        _ = r.reduce(.historyTick(want!, data: DashboardData(snapshot: snapshot(wallClock: 200, time: 5)), takenAt: 200, newestAt: 500))
        #expect(r.moment == .history(at: 200))
        #expect(r.wantedHistory == nil, "the tick is on screen: not read again")
        #expect(r.state.incidents.all.map(\.id) == [7] && r.state.incidents.all[0].status == .investigating)
        #expect(r.state.incidents.asOf == "00:03:20" && r.state.alerts.now == 200)
        // Rewinding is read-only: a write key says why.
        _ = r.reduce(.keys([.character("I")]))
        #expect(rendered(r).contains("as of 00:03:20"))
        _ = r.reduce(.keys([.escape, .character("H")]))
        #expect(r.moment == .live(at: 500) && r.state.incidents.all == all)
    }
}

@Suite struct ReadOnlyReplayTests {
    /// The defect: `i` on a recorded alert opened a real incident. In a replay no key
    /// reaches the incident store, the silences or the signals.
    @Test func aReplayRefusesIncidentsAndSilences() {
        var r = runtime(replay: true)
        _ = r.reduce(.clock(TimeReading(wall: 2000, monotonic: 1)))
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 1000)), sampleTime: 1, bounds: nil))
        _ = r.reduce(.alerts(AlertsData(items: [alert("ProbeDown", "P1", since: 990)], now: 1000)))
        _ = r.reduce(.keys([.character("A")]))
        var effects: [DashboardEffect] = []
        for key in ["i", "a", "s", "n"] {
            effects += r.reduce(.keys([.character(Character(key))]))
            effects += r.reduce(.keys([.enter, .enter, .enter]))
        }
        let writes = effects.filter {
            if case .app(.incident(let request)) = $0, case .export = request { return false }
            if case .app(.incident) = $0 { return true }
            if case .app(.recordAlertAction) = $0 { return true }
            return false
        }
        #expect(writes.isEmpty, "\(effects)")
        #expect(r.state.readOnly && r.state.readOnlyWhy == "a replay is read-only")
        // The footer said why (the last refusal's notice).
        _ = r.reduce(.keys([.escape, .escape, .character("A"), .character("i")]))
        #expect(r.state.notice?.hasPrefix("a replay is read-only") == true, "\(r.state.notice ?? "nil")")
    }

    @Test func aReplayNeverPagesOrAutoOpens() {
        var r = runtime(replay: true, bell: true, autoOpen: true)
        _ = r.reduce(.alerts(AlertsData(items: [], now: 0)))
        let effects = r.reduce(.alerts(AlertsData(items: [alert("Down", "P0", since: 5)], now: 10)))
        #expect(effects.isEmpty, "\(effects)")
    }

    @Test func replayKeysSteerTheRecording() {
        var r = runtime(replay: true)
        _ = r.reduce(.replay(ReplayPosition(position: 300, count: 3600, step: 1, interval: 1, paused: false, start: 0, end: 3599)))
        #expect(r.reduce(.keys([.character(" ")])) == [.replay(.togglePause)])
        #expect(r.reduce(.keys([.left])) == [.replay(.seek(239))])
        #expect(r.reduce(.keys([.right])) == [.replay(.seek(299))], "from where Left left it")
        #expect(r.reduce(.keys([.character("G")])) == [.replay(.seek(3599))])
        #expect(r.reduce(.keys([.character("]")])) == [.replay(.speed(0.5))])
        // In the help the keys are the help's.
        _ = r.reduce(.keys([.character("?")]))
        #expect(r.reduce(.keys([.character(" ")])) == [])
    }

    @Test func replayStatusAndSpeeds() {
        let p = ReplayPosition(position: 120, count: 3600, step: 1, interval: 0.25, paused: false, start: 0, end: 1)
        #expect(p.status(clock: "21:55:27") == "REPLAY 21:55:27 4x 120/3600")
        #expect(p.command(for: .character("[")) == .speed(0.5))
        var q = p
        q.interval = 1 / 64.0
        #expect(q.command(for: .character("]")) == .speed(1 / 64.0), "64x is the fastest")
        q.position = 3600
        #expect(q.status(clock: "x").hasSuffix("end 3600/3600"))
        q.position = 0
        #expect(q.command(for: .left) == .seek(0))
    }
}

@Suite struct PagingTests {
    @Test func onlyNewPagingAlertsRingAndOpenIncidents() {
        var r = runtime(bell: true, autoOpen: true)
        _ = r.reduce(.clock(TimeReading(wall: 100, monotonic: 1)))
        // The first list only sets what is known: restored alerts are not news.
        let restored = alert("Restored", "P1", since: 10)
        #expect(!r.reduce(.alerts(AlertsData(items: [restored], now: 100))).contains(.ringBell))
        let fresh = alert("ErrorBudgetFastBurn", "P0", since: 99)
        let effects = r.reduce(.alerts(AlertsData(items: [restored, fresh], now: 100)))
        #expect(effects.contains(.ringBell))
        #expect(effects.contains(.openIncident(for: fresh)))
        // Still paging: no second bell. A P2 never pages; a pending P0 does not yet.
        #expect(!r.reduce(.alerts(AlertsData(items: [restored, fresh, alert("Disk", "P2", since: 100),
                                                     alert("Pend", "P0", since: 100, firing: false)], now: 101))).contains(.ringBell))
        #expect(r.state.firing.map(\.severity) == [Severity.p0, .p1])
    }

    @Test func thePagingWatchRemembersByLabels() {
        var watch = PagingWatch()
        let a = alert("A", "P1", since: 1)
        #expect(watch.newlyPaging([a]).isEmpty)
        #expect(watch.newlyPaging([]).isEmpty)
        #expect(watch.newlyPaging([a]) == [a], "resolved and firing again is news")
    }
}

@Suite struct FleetInRuntimeTests {
    @Test func remoteAlertsAreCountedOnTheirHostsRow() {
        var state = AppState()
        state.fleet = FleetData(rows: [FleetRow(id: "10.0.0.5:9100", name: "web-01", status: .up),
                                       FleetRow(id: "10.0.0.6:9100", name: "web-02", status: .up)])
        var r = DashboardRuntime(state: state, settings: .init(countsRemoteAlerts: true))
        _ = r.reduce(.alerts(AlertsData(items: [alert("A", "P2", since: 1, instance: "10.0.0.5:9100"),
                                                alert("B", "P2", since: 1, instance: "web-01"),
                                                alert("C", "P2", since: 1, firing: false, instance: "web-02")], now: 2)))
        #expect(r.state.fleet?.rows.map(\.alerts) == [2, 0])
        // New rows keep their counts.
        _ = r.reduce(.fleetRows([FleetRow(id: "10.0.0.6:9100", name: "web-02", status: .up)]))
        #expect(r.state.fleet?.rows.map(\.alerts) == [0])
    }

    @Test func anOpenedHostsPanesAreAskedOncePerRound() {
        var state = AppState()
        state.fleet = FleetData(rows: [FleetRow(id: "a:9100", name: "a", status: .up)])
        state.fleetView.openHost = "a:9100"
        var r = DashboardRuntime(state: state, settings: .init())
        _ = r.reduce(.resized(width: 80, height: 24))
        let want = r.wantedFleetHost
        #expect(want?.id == "a:9100")
        _ = r.reduce(.fleetHost(want!, nil))
        #expect(r.state.data.snapshot == nil, "never this host's panes")
        #expect(r.wantedFleetHost == want, "asked again until it answers")
        _ = r.reduce(.fleetHost(want!, DashboardData(snapshot: snapshot(wallClock: 5))))
        #expect(r.wantedFleetHost == nil)
        // This host's ticks do not replace it.
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 99)), sampleTime: 3, bounds: nil))
        #expect(r.state.data.snapshot?.wallClock == 5)
        _ = r.reduce(.fleetRows([FleetRow(id: "a:9100", name: "a", status: .up)]))
        #expect(r.wantedFleetHost?.generation == want!.generation + 1)
    }

    @Test func removeDuplicatesHeldByBothSystems() {
        let labels = ["alertname": "Down", "severity": "P1"]
        let prom = RemoteAlert(source: AlertOrigin(.prometheus, "p:9090"), labels: labels, annotations: [:], state: .firing,
                               activeAt: 5, value: 1, suppressedBy: nil)
        var am = prom
        am.source = AlertOrigin(.alertmanager, "a:9093")
        am.suppressedBy = "silenced by 1234"
        let other = RemoteAlert(source: AlertOrigin(.prometheus, "p:9090"), labels: ["alertname": "Slow"], annotations: [:],
                                state: .pending, activeAt: nil, value: nil, suppressedBy: nil)
        let items = RemoteAlertMerge.items([prom, am, other], actions: AlertActions(), at: 10)
        #expect(items.map(\.name) == ["Down", "Slow"])
        #expect(items[0].origin?.badge == "AM" && items[0].remoteSuppression == "silenced by 1234")
        #expect(items[1].phase == .pending && items[1].activeAt == 10 && items[1].severity == .p3)
    }
}

@Suite struct LayoutPolicyTests {
    static let layouts = [WallCycle.Layout(name: "default", panes: ["cpu", "memory"], compact: false),
                          WallCycle.Layout(name: "triage", panes: ["cpu", "processes"], compact: false)]

    @Test func aWallDisplayCyclesOnTheMonotonicClock() {
        var r = runtime(wall: WallCycle(layouts: Self.layouts, every: 30))
        #expect(r.state.wall && r.state.readOnly && r.state.readOnlyWhy == "a wall display is read-only")
        _ = r.reduce(.clock(TimeReading(wall: 0, monotonic: 100)))
        _ = r.reduce(.clock(TimeReading(wall: 0, monotonic: 129)))
        #expect(r.state.layoutName == "default")
        _ = r.reduce(.clock(TimeReading(wall: 0, monotonic: 130)))
        #expect(r.state.layoutName == "triage" && r.state.processesPinned)
        // A suspended machine waking an hour later moves one step.
        _ = r.reduce(.clock(TimeReading(wall: 0, monotonic: 3730)))
        #expect(r.state.layoutName == "default")
        _ = r.reduce(.clock(TimeReading(wall: 0, monotonic: 3731)))
        #expect(r.state.layoutName == "default")
        // Keys do nothing there, and nothing is remembered.
        #expect(r.reduce(.keys([.character("1"), .character("q")])).isEmpty)
    }

    @Test func aSingleLayoutOrNoPeriodNeverCycles() {
        var one = WallCycle(layouts: [Self.layouts[0]], every: 1)
        var none = WallCycle(layouts: Self.layouts, every: nil)
        for t in [0.0, 10, 100] {
            #expect(one.advance(at: t) == nil && none.advance(at: t) == nil)
        }
    }

    @Test func panesShownAreRememberedOnceEach() {
        var r = runtime()
        let effects = r.reduce(.keys([.character("2")]))
        #expect(effects.contains(.rememberLayout(panes: ["cpu", "disk", "network", "latency", "slo"], compact: false)))
        #expect(!r.reduce(.clock(TimeReading(wall: 1, monotonic: 1))).contains { if case .rememberLayout = $0 { return true }; return false })
    }

    @Test func theProcessScanRunsOnlyWhileItsPaneShows() {
        var r = runtime()
        #expect(r.reduce(.keys([.character("t")])) == [.processesWanted(true)])
        #expect(r.reduce(.keys([.escape])) == [.processesWanted(false)])
    }
}

@Suite struct PastePolicyTests {
    @Test func keysAfterASaveOrAQuestionInOneRead() {
        #expect(PastePolicy.verdict(index: 0, count: 1, askedBefore: false, asksNow: true, saved: false) == .carryOn)
        #expect(PastePolicy.verdict(index: 0, count: 3, askedBefore: false, asksNow: true, saved: false) == .dropQuestion(keysLeft: 2))
        #expect(PastePolicy.verdict(index: 1, count: 3, askedBefore: true, asksNow: true, saved: false) == .carryOn)
        #expect(PastePolicy.verdict(index: 1, count: 4, askedBefore: false, asksNow: false, saved: true) == .dropRest(keysLeft: 2))
    }

    /// `K` on a process asks; a `y` pasted with it must not answer. Typed apart, it does.
    @Test func aPastedYesDoesNotSendASignal() {
        var r = runtime()
        r.state.userID = 0
        var data = DashboardData(snapshot: snapshot(wallClock: 1))
        data.processes = [ProcessActivity(
            sample: ProcessSample(pid: 4242, parentPID: 1, name: "python3", state: "S", uid: 1000, cpuTicks: 0, startTicks: 100,
                                  residentBytes: 1 << 20, threads: 1, readBytes: 0, writtenBytes: 0, commandLine: "python3 batch.py"),
            user: "alice", cpuFraction: 0.5, memoryFraction: 0.01, readBytesPerSecond: 0, writeBytesPerSecond: 0,
            startedAfterBoot: 1, unit: "")]
        _ = r.reduce(.sample(data, sampleTime: 1, bounds: nil))
        _ = r.reduce(.keys([.character("t")]))
        #expect(r.state.focus == .processes && r.state.processRows.count == 1)
        let pasted = r.reduce(.keys([.character("K"), .character("y")]))
        #expect(!pasted.contains { if case .app(.sendSignal) = $0 { return true }; return false }, "\(pasted)")
        #expect(pasted.contains(.log("1 pasted keys after a question dropped")))
        #expect(r.reduce(.keys([.character("K")])).isEmpty && r.state.awaitingAnswer)
        #expect(r.reduce(.keys([.character("y")])) == [.app(.sendSignal(pid: 4242, startTicks: 100, signal: 15, name: "TERM"))])
    }
}

@Suite struct AlertTimelineTests {
    @Test func theListInForceAtAMoment() {
        var t = AlertTimeline(retention: 100)
        let a = alert("A", "P1", since: 10), b = alert("B", "P2", since: 20)
        t.record([a], at: 10)
        t.record([a, b], at: 20)
        t.record([b], at: 30)
        #expect(t.items(at: 5).isEmpty)
        #expect(t.items(at: 10) == [a] && t.items(at: 25) == [a, b] && t.items(at: 1000) == [b])
        // Out of order (a replay sought back): the later entries go.
        t.record([], at: 15)
        #expect(t.items(at: 25).isEmpty && t.count == 2)
    }

    @Test func keepsTheHistorysSpanAndTheEntryInForceAtItsStart() {
        var t = AlertTimeline(retention: 100, maxEntries: 50)
        for i in 0..<200 { t.record([alert("A\(i)", "P3", since: Double(i))], at: Double(i)) }
        #expect(t.count <= 50)
        #expect(t.items(at: 199).first?.name == "A199")
        var u = AlertTimeline(retention: 100)
        u.record([alert("Old", "P3", since: 0)], at: 0)
        u.record([alert("New", "P3", since: 150)], at: 150)
        #expect(u.items(at: 60).first?.name == "Old", "what the oldest tick shows stays")
    }
}

/// What a second review found: a rewind must not silence what pages now, a replay's header
/// follows the tick on screen, keys read together act in turn, a failed read keeps the list.
@Suite struct RuntimeReviewTests {
    @Test func aRewindStillHearsNewPagingAlerts() throws {
        var r = runtime(bell: true, autoOpen: true)
        _ = r.reduce(.clock(TimeReading(wall: 500, monotonic: 1)))
        _ = r.reduce(.alerts(AlertsData(items: [], now: 500)))
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 500, time: 10)), sampleTime: 10,
                             bounds: HistoryBounds(oldest: 0, newest: 10, perMinute: 60)))
        _ = r.reduce(.keys([.character("H")]))
        let want = try #require(r.wantedHistory)
        _ = r.reduce(.historyTick(want, data: DashboardData(snapshot: snapshot(wallClock: 300, time: 5)), takenAt: 300, newestAt: 500))
        #expect(r.wants.rewoundAt == 300)
        _ = r.reduce(.rewoundAlerts(AlertsData(items: [alert("Then", "P3", since: 290)], now: 300)))
        let fresh = alert("NowDown", "P0", since: 499)
        let effects = r.reduce(.alerts(AlertsData(items: [fresh], now: 500)))
        #expect(effects.contains(.ringBell) && effects.contains(.openIncident(for: fresh)))
        // The pane keeps the rewound moment's list; the banner says what fires now.
        #expect(r.state.alerts.items.map(\.name) == ["Then"] && r.state.firing.map(\.severity) == [.p0])
        _ = r.reduce(.keys([.escape]))
        #expect(r.state.history == nil, "\(String(describing: r.state.history?.index))")
        #expect(r.state.alerts.items.map(\.name) == ["NowDown"] && r.state.alerts.asOf == nil, "\(r.state.alerts.items.map(\.name))")
    }

    @Test func aReplaysHeaderFollowsTheTickOnScreen() {
        var r = runtime(replay: true)
        _ = r.reduce(.replay(ReplayPosition(position: 5, count: 10, step: 1, interval: 1, paused: true, start: 0, end: 9)))
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 61, time: 1)), sampleTime: 1, bounds: nil))
        #expect(r.state.replayStatus == "REPLAY 00:01:01 paused 5/10")
        _ = r.reduce(.sample(DashboardData(snapshot: snapshot(wallClock: 62, time: 2)), sampleTime: 2, bounds: nil))
        #expect(r.state.replayStatus == "REPLAY 00:01:02 paused 5/10" && r.state.replayTimeline?.position == 62)
    }

    @Test func replayKeysReadTogetherActInTurn() {
        var r = runtime(replay: true)
        _ = r.reduce(.replay(ReplayPosition(position: 600, count: 3600, step: 1, interval: 1, paused: false, start: 0, end: 3599)))
        // Three minutes back in one read: one seek, to where the three arrows lead.
        #expect(r.reduce(.keys([.left, .left, .left])) == [.replay(.seek(419))])
        // Two speed steps: 1x to 2x to 4x.
        #expect(r.reduce(.keys([.character("]"), .character("]")])) == [.replay(.speed(0.5)), .replay(.speed(0.25))])
    }

    @Test func aFailedIncidentReadKeepsTheList() throws {
        var r = runtime()
        let opened = IncidentEvent(seq: 1, incident: 1, at: 10, writtenAt: 10, author: "a", kind: .opened, field: "P2", text: "x")
        let all = [try #require(Incident.fold(id: 1, events: [opened]))]
        _ = r.reduce(.incidents(IncidentsData(all: all)))
        _ = r.reduce(.incidents(IncidentsData(unavailable: "database is locked")))
        #expect(r.state.incidents.all == all && r.state.incidents.unavailable == "database is locked")
        // While the store is out, no incident is opened for a paging alert.
        var auto = runtime(autoOpen: true)
        _ = auto.reduce(.incidents(IncidentsData(unavailable: "cannot open")))
        _ = auto.reduce(.alerts(AlertsData(items: [], now: 0)))
        #expect(!auto.reduce(.alerts(AlertsData(items: [alert("Down", "P0", since: 1)], now: 2))).contains { if case .openIncident = $0 { return true }; return false })
    }

    /// A team's severity words are shown as written and placed among P0 to P3: `critical`
    /// pages (P1), `warning` is P2; a word Watchbill cannot place is P3 and never pages.
    @Test func anotherTeamsSeverityWordIsShownAsWritten() {
        let a = alert("DiskFull", "critical", since: 1)
        #expect(a.severity == .p1 && a.severityLabel == "critical" && a.severity.pages)
        #expect(alert("Slow", "warning", since: 1).severity == .p2)
        let odd = alert("Odd", "sev2", since: 1)
        #expect(odd.severity == .p3 && odd.severityLabel == "sev2" && !odd.severity.pages)
    }
}

/// The Alerts pane's selection is an alert, not a row.
@Suite struct AlertSelectionTests {
    @Test func theSelectionFollowsTheAlertWhenTheListReSorts() {
        var r = runtime()
        let a = alert("A", "P1", since: 10), b = alert("B", "P2", since: 10), c = alert("C", "P3", since: 10)
        _ = r.reduce(.alerts(AlertsData(items: [a, b, c], now: 20)))
        _ = r.reduce(.keys([.character("A"), .down, .down]))
        #expect(r.state.currentAlert?.name == "C")
        // A P0 arrives above everything: C moves down a row (row 2 is now B), then up two
        // when A and B go; the selection stays on C throughout.
        let d = alert("D", "P0", since: 19)
        _ = r.reduce(.alerts(AlertsData(items: [d, a, b, c], now: 21)))
        #expect(r.state.currentAlert?.name == "C" && r.state.alertView.selected == 3)
        _ = r.reduce(.alerts(AlertsData(items: [d, c], now: 22)))
        #expect(r.state.currentAlert?.name == "C" && r.state.alertView.selected == 1)
        // A silence started now would be C's.
        _ = r.reduce(.keys([.character("s")]))
        #expect(r.state.alertView.form?.fields.contains { $0.text.contains("alertname=\"C\"") } == true,
                "\(String(describing: r.state.alertView.form?.fields.map(\.text)))")
        // The footer names the keys a drill needs, `i` among them, in the pane and in the detail.
        _ = r.reduce(.keys([.escape]))
        r.state.notice = nil
        #expect(rendered(r).split(separator: "\n").last?.contains("a ack  s silence  i incident  r runbook") == true, "\(rendered(r))")
        _ = r.reduce(.keys([.enter]))
        #expect(r.state.alertView.detail)
        #expect(rendered(r).split(separator: "\n").last?.contains("i incident") == true, "\(rendered(r))")
        _ = r.reduce(.keys([.escape]))
        // The chosen alert gone: the row stays within the list.
        _ = r.reduce(.keys([.escape]))
        _ = r.reduce(.alerts(AlertsData(items: [d], now: 23)))
        #expect(r.state.alertView.selected == 0)
    }
}
