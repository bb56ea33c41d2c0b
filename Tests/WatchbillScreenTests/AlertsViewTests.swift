import Testing
import WatchbillRules
@testable import WatchbillScreen

/// Alerts as the engine would hand them over, at a fixed time.
enum SampleAlerts {
    static let now = 1_764_600_000.0

    static func item(_ name: String, _ severity: String, _ phase: AlertPhase, labels: [String: String] = [:],
                     value: Double = 1, activeAgo: Double = 300, actions: AlertActions = AlertActions(),
                     expr: String = "x > 0.9", summary: String = "") -> AlertItem {
        let rule = AlertRule(name: name, expr: .number(1), holdFor: 120, labels: ["severity": severity],
                             annotations: ["summary": summary.isEmpty ? "{{ $labels.target }} is down" : summary,
                                           "runbook_url": "probe-down.md"],
                             exprText: expr, source: "default.rules.yml:9")
        var l = labels
        l["alertname"] = name
        l["severity"] = severity
        let alert = ActiveAlert(labels: Labels(l), phase: phase, value: value, activeAt: now - activeAgo,
                                firedAt: phase == .pending ? nil : now - activeAgo + 120,
                                resolvedAt: phase == .resolved ? now - 30 : nil, lastSeen: now - 5)
        return AlertItem(rule: rule, alert: alert, actions: actions, at: now)
    }

    static func state(_ items: [AlertItem], silences: [Silence] = []) -> AppState {
        var st = AppState(interval: 1, glyphs: .unicode)
        st.alerts = AlertsData(items: items, silences: silences, now: now, ruleCount: 10)
        st.userName = "alice"
        return st
    }

    static var typical: [AlertItem] {
        [item("DiskAlmostFull", "P2", .firing, labels: ["mountpoint": "/var"], value: 0.93, activeAgo: 4000),
         item("ProbeDown", "P1", .firing, labels: ["target": "api"], value: 0, activeAgo: 600),
         item("ProbeDown", "P1", .firing, labels: ["target": "db"], value: 0, activeAgo: 200),
         item("CPUSaturated", "P3", .pending, value: 0.97, activeAgo: 40)]
    }
}

@Suite struct AlertsViewTests {
    typealias S = SampleAlerts

    func type(_ text: String, into st: inout AppState) -> [Effect] {
        text.flatMap { st.handle(.character($0)) }
    }

    @Test func alertsAreGroupedByRuleWorstFirstThenNewest() {
        let order = AlertsData(items: S.typical).items.map { "\($0.name) \($0.labels["target"] ?? "")" }
        #expect(order == ["ProbeDown db", "ProbeDown api", "DiskAlmostFull ", "CPUSaturated "])
    }

    @Test func bannerAndAlertsRowAppearWhenSomethingFires() {
        let st = S.state(S.typical)
        let lines = Screen.render(st, width: 80, height: 24).lines
        #expect(lines[1].hasPrefix(" P1 FIRING  ProbeDown: db is down  (+1 more)"))
        #expect(lines[1].hasSuffix("A: alerts "))
        #expect(lines[2].contains("Alerts") && lines[2].contains("3 firing"))
        #expect(lines[3].hasPrefix("│sev state"))
        #expect(lines[4].hasPrefix("│P1  FIRING   ProbeDown (2)  target=db"))
        #expect(lines[4].contains("1m40s") == false && lines[4].contains("1m "))  // fired 80 s ago
        #expect(lines[5].hasPrefix("│P1  FIRING     └  target=api"))
        #expect(lines[6].contains("DiskAlmostFull  mountpoint=/var") && lines[6].contains("0.93"))
        // The resource panes are still there under it.
        #expect(lines.contains { $0.contains("CPU") && $0.contains("Memory") })
    }

    @Test func quietHostHasNoBannerAndNoAlertsRow() {
        let st = S.state([S.item("ProbeDown", "P1", .resolved, labels: ["target": "api"])])
        let text = Screen.render(st, width: 80, height: 24).text
        #expect(!text.contains("FIRING"))
        #expect(!text.contains("Alerts"))
    }

    @Test func showAlertsZoomsEvenWithNothingActive() {
        var st = S.state([])
        _ = st.handle(.character("A"))
        #expect(st.focus == .alerts && st.zoomed)
        let text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("nothing pending or firing; 10 rules evaluated"))
    }

    @Test func silenceFormIsPrefilledAndSavesWithAComment() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("s"))
        let form = try! #require(st.alertView.form)
        #expect(form.field("matchers") == "alertname=\"ProbeDown\", target=\"db\"")
        #expect(form.field("duration") == "1h")
        #expect(form.fields[form.focused].name == "comment")
        // No comment: not saved, the reason shown, the form kept.
        #expect(st.handle(.enter).isEmpty)
        #expect(st.alertView.form?.error == "a comment is required")
        let screen = Screen.render(st, width: 80, height: 24).text
        #expect(screen.contains("mutes 1 active alert:"))
        #expect(screen.contains("P1 ProbeDown target=db"))
        _ = type("deploy rollback in progress", into: &st)
        let effects = st.handle(.enter)
        let expected = Silence(id: "", matchers: Silence.matchers(for: Labels(["alertname": "ProbeDown", "target": "db"])),
                               startsAt: S.now, endsAt: S.now + 3600, createdBy: "alice",
                               comment: "deploy rollback in progress")
        #expect(effects == [.recordAlertAction(.silence(expected))])
        #expect(st.alertView.form == nil && st.alertView.submitted != nil)
    }

    @Test func silencePreviewFollowsTheMatchersAsTyped() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("s"))
        _ = st.handle(.backTab)
        _ = st.handle(.backTab)
        #expect(st.alertView.form?.fields[st.alertView.form!.focused].name == "matchers")
        for _ in 0..<"target=\"db\"".count { _ = st.handle(.backspace) }
        // `alertname="ProbeDown", ` then a regex over both targets.
        _ = type("target=~\"api|db\"", into: &st)
        #expect(Screen.render(st, width: 80, height: 24).text.contains("mutes 2 active alerts:"))
        _ = type(" job", into: &st)
        #expect(Screen.render(st, width: 80, height: 24).text.contains("matchers, column 41:"))
    }

    @Test func badDurationAndBadMatchersAreRefusedWithTheField() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("s"))
        _ = type("why", into: &st)
        _ = st.handle(.backTab)
        _ = st.handle(.backspace)
        _ = st.handle(.backspace)
        _ = type("soon", into: &st)
        #expect(st.handle(.enter).isEmpty)
        #expect(st.alertView.form?.error == "duration: write it as 30m, 1h, 1d")
        #expect(AlertForm.duration("1h30m") == 5400 && AlertForm.duration("90s") == 90 && AlertForm.duration("0m") == nil)
    }

    @Test func failedSaveGivesTheFormBack() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("a"))
        _ = type("looking", into: &st)
        let effects = st.handle(.enter)
        guard case .recordAlertAction(.acknowledge(let ack)) = effects.first else {
            Issue.record("no acknowledge effect: \(effects)")
            return
        }
        #expect(ack.by == "alice" && ack.comment == "looking" && ack.labels["target"] == "db")
        st.alertActionFailed("cannot sync: No space left on device")
        #expect(st.alertView.form?.field("comment") == "looking")
        #expect(st.alertView.form?.error == "NOT saved: cannot sync: No space left on device")
    }

    @Test func escapeCancelsTheFormAndSaysNothingWasSaved() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("a"))
        _ = type("q", into: &st)  // typed into the form, not quitting
        #expect(st.handle(.escape).isEmpty)
        #expect(st.alertView.form == nil && st.notice == "acknowledge cancelled: nothing saved")
    }

    @Test func resolvedAlertCannotBeAcknowledged() {
        var st = S.state([S.item("ProbeDown", "P1", .resolved, labels: ["target": "api"])])
        _ = st.handle(.character("A"))
        _ = st.handle(.character("a"))
        #expect(st.alertView.form == nil)
        #expect(st.notice == "ProbeDown has resolved: nothing to acknowledge")
    }

    @Test func silencedAlertsHideBehindAToggleAndStopTheBanner() throws {
        let silence = Silence(id: "c0ffee00", matchers: try Silence.parseMatchers("alertname=\"ProbeDown\""),
                              startsAt: S.now - 60, endsAt: S.now + 3600, createdBy: "bob", comment: "maintenance")
        let actions = AlertActions([.silence(silence)])
        let items = [S.item("ProbeDown", "P1", .firing, labels: ["target": "api"], actions: actions),
                     S.item("DiskAlmostFull", "P2", .firing, labels: ["mountpoint": "/var"], actions: actions)]
        var st = S.state(items, silences: [silence])
        #expect(st.alerts.paging.isEmpty)
        #expect(st.visibleAlerts.map(\.name) == ["DiskAlmostFull"])
        var text = Screen.render(st, width: 80, height: 24).text
        #expect(!text.contains("P1 FIRING"))
        #expect(text.contains("1 firing, 1 silenced"))
        _ = st.handle(.character("A"))
        _ = st.handle(.character("m"))
        #expect(st.visibleAlerts.count == 2)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("SIL"))
    }

    @Test func silencesListExpiresAfterConfirmation() throws {
        let silence = Silence(id: "c0ffee00", matchers: try Silence.parseMatchers("alertname=\"ProbeDown\""),
                              startsAt: S.now - 60, endsAt: S.now + 3600, createdBy: "bob", comment: "maintenance")
        var st = S.state(S.typical, silences: [silence])
        _ = st.handle(.character("A"))
        _ = st.handle(.character("S"))
        var lines = Screen.render(st, width: 100, height: 24).lines
        #expect(lines.contains { $0.contains("active") && $0.contains("in 1h00m") && $0.contains("alertname=\"ProbeDown\"")
            && $0.contains("bob") && $0.contains("maintenance") })
        _ = st.handle(.character("e"))
        lines = Screen.render(st, width: 100, height: 24).lines
        #expect(lines.contains { $0.contains("expire silence c0ffee00 now? y to expire") })
        #expect(st.handle(.character("n")).isEmpty && st.notice == "silence not expired")
        _ = st.handle(.character("e"))
        #expect(st.handle(.character("y")) == [.recordAlertAction(.expire(id: "c0ffee00", at: S.now))])
        _ = st.handle(.escape)
        #expect(!st.alertView.silencesList && st.focus == .alerts)
    }

    @Test func detailShowsExpressionLabelsAnnotationsAndTheThresholdGraph() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.down)
        _ = st.handle(.down)
        _ = st.handle(.enter)
        #expect(st.alertView.detailLabels?["alertname"] == "DiskAlmostFull")
        let values: [Double?] = (0..<120).map { $0 < 60 ? nil : 0.80 + Double($0 - 60) * 0.002 }
        st.alerts.history = AlertHistory(labels: st.alertView.detailLabels!,
                                         graph: AlertGraph(values: values, threshold: 0.9, step: 15))
        let lines = Screen.render(st, width: 100, height: 30).lines
        // Under the P1 banner, which stays over every view.
        #expect(lines[1].contains("P1 FIRING  ProbeDown"))
        #expect(lines[2].contains("P2 DiskAlmostFull") && lines[2].contains("FIRING"))
        #expect(lines.contains { $0.contains("expr") && $0.contains("x > 0.9") })
        #expect(lines.contains { $0.contains("rule") && $0.contains("default.rules.yml:9") })
        #expect(lines.contains { $0.contains("labels") && $0.contains("mountpoint=/var") })
        #expect(lines.contains { $0.contains("runbook") && $0.contains("probe-down.md  (r opens it)") })
        #expect(lines.contains { $0.contains("value over the last 30m, threshold 0.9") })
        // The threshold row is dashed where the bars are below it.
        #expect(lines.contains { $0.contains("┄┄┄┄") })
        // The list reorders under an open detail: it still shows the same alert.
        st.alerts = AlertsData(items: Array(S.typical.reversed()), now: S.now)
        #expect(st.currentAlert?.name == "DiskAlmostFull")
    }

    @Test func runbookKeyAsksForTheRuleRunbookAndThePagerScrollsAndCloses() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        #expect(st.handle(.character("r")) == [.openRunbook(name: "probe-down.md", alert: "ProbeDown")])
        st.alertView.runbook = RunbookPage(title: "ProbeDown", lines: ["## Alert: ProbeDown", ""]
            + (1...60).map { "line \($0) of a runbook that goes on" })
        var lines = Screen.render(st, width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("Runbook: ProbeDown") })
        #expect(lines.contains { $0.contains("Alert: ProbeDown") && !$0.contains("##") })
        _ = st.handle(.pageDown)
        lines = Screen.render(st, width: 80, height: 24).lines
        #expect(!lines.contains { $0.contains("Alert: ProbeDown") } && lines.contains { $0.contains("line 19 of") })
        // q closes the pager; it does not quit.
        #expect(st.handle(.character("q")).isEmpty)
        #expect(st.alertView.runbook == nil)
    }

    @Test func runbookOnTheWebIsShownToCopy() {
        var st = S.state(S.typical)
        st.alertView.runbook = RunbookPage(title: "ProbeDown", lines: [], url: "https://wiki.example/runbooks/probe-down")
        let text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("https://wiki.example/runbooks/probe-down"))
    }

    @Test func runbookWrapsLongLinesKeepingTheListIndent() {
        let out = RunbookView.wrap(["- a list item that is far too long for the width"], width: 20)
        #expect(out == ["- a list item that", "  is far too long", "  for the width"])
    }

    @Test func alertViewsWorkInASCIIAndAtTheSmallestDashboard() {
        var st = S.state(S.typical)
        st.glyphs = .ascii
        let grid = Screen.render(st, width: 70, height: 18)
        #expect(grid.lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(grid.lines[1].contains("P1 FIRING"))
        #expect(grid.lines[5].contains("-  target=api"))
    }

    @Test func keyEightTurnsTheRowOffButTheBannerStays() {
        var st = S.state(S.typical)
        _ = st.handle(.character("8"))
        let lines = Screen.render(st, width: 80, height: 24).lines
        #expect(lines[1].contains("P1 FIRING"))
        #expect(!lines[2].contains("Alerts"))
    }
}

@Suite struct AlertViewEdgeTests {
    typealias S = SampleAlerts

    /// Values and times no sane rule produces still draw, never trap.
    @Test func hugeValuesInfiniteThresholdsAndDamagedTimesDraw() throws {
        var st = S.state([S.item("Odd", "P2", .firing, value: .infinity)])
        _ = st.handle(.character("A"))
        _ = st.handle(.enter)
        st.alerts.history = AlertHistory(labels: st.alertView.detailLabels!,
                                         graph: AlertGraph(values: [-1e308, 1e308, nil, .nan], threshold: .infinity, step: 15))
        let text = Screen.render(st, width: 100, height: 30).text
        #expect(text.contains("P2 Odd"))
        let silence = Silence(id: "x", matchers: try Silence.parseMatchers("alertname=\"Odd\""), startsAt: 0, endsAt: 1e300,
                              createdBy: "a", comment: "b")
        st = S.state([], silences: [silence])
        _ = st.handle(.character("A"))
        _ = st.handle(.character("S"))
        #expect(Screen.render(st, width: 100, height: 24).text.contains("in 400d0"))
    }

    @Test func aSilenceLongerThanAYearIsRefused() {
        var st = S.state(S.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("s"))
        for c in "why" { _ = st.handle(.character(c)) }
        _ = st.handle(.backTab)
        _ = st.handle(.backspace)
        _ = st.handle(.backspace)
        for c in "9999999d" { _ = st.handle(.character(c)) }
        #expect(st.handle(.enter).isEmpty)
        #expect(st.alertView.form?.error == "duration: at most 365d")
    }
}

@Suite struct AlertFormKeyTests {
    /// A comment typed with the Processes pane focused stays in the comment: K and y must
    /// not ask for and confirm a signal.
    @Test func formTakesEveryKeyWhateverHasFocus() {
        var st = SampleAlerts.state(SampleAlerts.typical)
        st.processesPinned = true
        st.focus = .processes
        st.layoutRows = [[.cpu, .memory], [.processes]]
        st.alertView.form = .acknowledge(SampleAlerts.typical[0])
        var effects: [Effect] = []
        for c in "Kyiv DC down /r" { effects += st.handle(.character(c)) }
        effects += st.handle(.mouse(MouseEvent(.click, x: 5, y: 20)))
        #expect(effects.isEmpty)
        #expect(st.processes.confirm == nil && st.processes.editingFilter == nil)
        #expect(st.alertView.form?.field("comment") == "Kyiv DC down /r")
    }

    @Test func runbookScrollsToTheEndOfWrappedText() {
        var st = SampleAlerts.state([])
        st.screenSize = (70, 24)
        let paragraph = String(repeating: "word ", count: 200)
        st.alertView.runbook = RunbookPage(title: "T", lines: [paragraph, "THE END"])
        _ = st.handle(.end)
        let text = Screen.render(st, width: 70, height: 24).text
        #expect(text.contains("THE END"))
    }
}

@Suite struct AcknowledgementAndReportTests {
    typealias S = SampleAlerts

    /// An acknowledgement is of one occurrence: when the alert resolves and fires again,
    /// the old ACK does not cover the new one.
    @Test func anOldAcknowledgementDoesNotCoverANewOccurrence() {
        let labels = Labels(["alertname": "ProbeDown", "severity": "P1", "target": "api"])
        let old = AlertActions([.acknowledge(Acknowledgement(labels: labels, by: "alice", comment: "x", at: S.now - 900))])
        let fresh = AlertActions([.acknowledge(Acknowledgement(labels: labels, by: "alice", comment: "x", at: S.now - 60))])
        // The sample alert became active 300 s ago.
        #expect(S.item("ProbeDown", "P1", .firing, labels: ["target": "api"], actions: old).acknowledgement == nil)
        #expect(S.item("ProbeDown", "P1", .firing, labels: ["target": "api"], actions: fresh).acknowledgement?.by == "alice")
    }

    @Test func reportCarriesInfiniteValuesAsTextAndExitCodesFollowSeverity() throws {
        let items = [S.item("Odd", "P3", .firing, value: .infinity)]
        let report = AlertReport(items: items, savedAt: S.now - 10, now: S.now)
        #expect(report.alerts.first?.value == nil && report.alerts.first?.valueText == "inf")
        #expect(report.exitCode == 1)
        let paging = AlertReport(items: S.typical, savedAt: S.now - 10, now: S.now)
        #expect(paging.exitCode == 2)
        #expect(paging.text(now: S.now).hasSuffix("CRITICAL: a P0 or P1 alert is firing\n"))
        #expect(AlertReport(items: S.typical, savedAt: S.now - 600, now: S.now).exitCode == 3)
        #expect(AlertReport(items: [], savedAt: S.now, now: S.now).exitCode == 0)
    }
}

@Suite struct LineEditorTests {
    func field(_ text: String) -> AlertForm.Field { AlertForm.Field(name: "note", text: text, hint: "") }

    @Test func cursorMovesAndTypingGoesWhereItIs() {
        var f = field("restart api")
        #expect(f.cursor == 11)
        for k: Key in [.home, .right, .right, .right, .right, .right, .right, .right] { _ = f.edit(k) }
        for c in "ed the" { _ = f.edit(.character(c)) }
        #expect(f.text == "restarted the api")
        _ = f.edit(.delete)
        _ = f.edit(.delete)
        _ = f.edit(.delete)
        _ = f.edit(.delete)
        #expect(f.text == "restarted the" && f.cursor == 13)
    }

    @Test func emacsKeysKillAndJump() {
        var f = field("one two three")
        _ = f.edit(.character("\u{17}"))  // Ctrl-W: the word before
        #expect(f.text == "one two " && f.cursor == 8)
        _ = f.edit(.character("\u{01}"))  // Ctrl-A
        _ = f.edit(.right)
        _ = f.edit(.character("\u{0B}"))  // Ctrl-K: to the end
        #expect(f.text == "o" && f.cursor == 1)
        _ = f.edit(.character("\u{15}"))  // Ctrl-U: to the start
        #expect(f.text.isEmpty && f.cursor == 0)
        _ = f.edit(.character("\u{07}"))  // a bell is not text
        #expect(f.text.isEmpty)
        let handled = f.edit(.tab)
        #expect(!handled)
    }

    @Test func theFormShowsTheCursorWhereItIs() {
        var st = SampleAlerts.state(SampleAlerts.typical)
        _ = st.handle(.character("A"))
        _ = st.handle(.character("a"))
        for c in "abcdef" { _ = st.handle(.character(c)) }
        _ = st.handle(.left)
        _ = st.handle(.left)
        _ = st.handle(.character("X"))
        #expect(st.alertView.form?.field("comment") == "abcdXef")
        let grid = Screen.render(st, width: 80, height: 24)
        let row = grid.lines.firstIndex { $0.contains("abcdXef") }!
        let x = Array(grid.lines[row]).firstIndex(of: "e")!
        #expect(!grid[x, row].style.reverse && grid[x - 1, row].style.reverse)
    }
}
