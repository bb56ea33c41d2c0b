import Testing
import WatchbillIncidents
import WatchbillRules
@testable import WatchbillScreen

/// Incidents as the store would hand them over, at the alerts' fixed time.
enum SampleIncidents {
    static let now = SampleAlerts.now

    static func event(_ id: Int64, _ seq: Int64, _ ago: Double, _ kind: IncidentEvent.Kind, field: String = "",
                      text: String = "") -> IncidentEvent {
        IncidentEvent(seq: seq, incident: id, at: now - ago, writtenAt: now - ago, author: "alice", kind: kind, field: field,
                      text: text)
    }

    /// Checkout errors: detected 40 min ago, acknowledged after 10, a note, an action item,
    /// and the ProbeDown alert for db linked.
    static var checkout: Incident {
        let db = Labels(["alertname": "ProbeDown", "severity": "P1", "target": "db"]).description
        return Incident.fold(id: 1, events: [
            event(1, 1, 2400, .opened, field: "P1", text: "Checkout errors"),
            event(1, 2, 2400, .detected),
            event(1, 3, 1800, .acknowledged),
            event(1, 4, 1700, .alertLinked, field: db, text: "db is down"),
            event(1, 5, 1200, .note, text: "rolled back v2.3"),
            event(1, 6, 600, .actionAdded, text: "bob|2026-12-08|alert on checkout 5xx"),
        ])!
    }

    static func state(_ incidents: [Incident] = [checkout], alerts: [AlertItem] = SampleAlerts.typical) -> AppState {
        var st = SampleAlerts.state(alerts)
        st.incidents = IncidentsData(all: incidents, now: now)
        return st
    }
}

@Suite struct IncidentViewTests {
    typealias S = SampleIncidents

    func type(_ text: String, into st: inout AppState) {
        for c in text { _ = st.handle(.character(c)) }
    }

    @Test func listShowsOpenIncidentsAndOpensOne() {
        var st = S.state()
        _ = st.handle(.character("I"))
        var lines = Screen.render(st, width: 100, height: 30).lines
        #expect(lines.contains { $0.contains("Incidents") && $0.contains("1 open") })
        #expect(lines.contains { $0.contains("P1") && $0.contains("investigating") && $0.contains("Checkout errors")
            && $0.contains("40m") && $0.contains("10m") })
        // The column is a duration (detection to resolution, or to now), named for it.
        #expect(lines.contains { $0.contains("owner") && $0.contains("lasted") && !$0.contains(" age ") })
        #expect(lines.contains { $0.contains("30d: 1 incident (P0 0, P1 1, P2 0, P3 0)") })
        #expect(lines.contains { $0.contains("acknowledge median 10m p90 10m, 100% in 15m  mitigate -  restore -") })
        _ = st.handle(.enter)
        #expect(st.incidentView.detail == 1)
        lines = Screen.render(st, width: 140, height: 36).lines
        #expect(lines.contains { $0.contains("#1 P1  Checkout errors") && $0.contains("investigating") })
        #expect(lines.contains { $0.contains("acknowledged after 10m (target 15m)") && $0.contains("not restored yet (target 1h)") })
        #expect(lines.contains { $0.contains("Note: rolled back v2.3") })
        // The linked alert with its live state from the engine.
        #expect(lines.contains { $0.contains("FIRING db is down") })
        #expect(lines.contains { $0.contains("1. [ ] bob: alert on checkout 5xx by 2026-12-08") })
        _ = st.handle(.escape)
        #expect(st.incidentView.detail == nil && st.incidentView.listShown)
        _ = st.handle(.escape)
        #expect(!st.incidentScreenOpen)
    }

    @Test func aNoteIsTypedAndSentAndAnEmptyOneRefused() {
        var st = S.state()
        st.incidentView.detail = 1
        _ = st.handle(.character("n"))
        #expect(st.alertView.form?.kind == .incidentNote(1))
        #expect(st.handle(.enter).isEmpty)
        #expect(st.alertView.form?.error == "an empty note says nothing")
        type("db failover done, q: why slow?", into: &st)
        let effects = st.handle(.enter)
        guard case .incident(.append(let e))? = effects.first else {
            Issue.record("no append: \(effects)")
            return
        }
        #expect(e.kind == .note && e.incident == 1 && e.author == "alice" && e.text == "db failover done, q: why slow?")
    }

    @Test func statusChangingKeysAskFirst() {
        var st = S.state()
        st.incidentView.detail = 1
        _ = st.handle(.character("m"))
        #expect(Screen.render(st, width: 120, height: 36).text.contains("mark mitigation started on incident 1? y to confirm"))
        #expect(st.handle(.character("q")).isEmpty && st.notice == "not done")
        _ = st.handle(.character("R"))
        let effects = st.handle(.character("y"))
        guard case .incident(.append(let e))? = effects.first else {
            Issue.record("no append: \(effects)")
            return
        }
        #expect(e.kind == .restored)
    }

    @Test func severityFormShowsTheMeaningsAndOffersOnlyItsValues() {
        var st = S.state()
        st.incidentView.detail = 1
        _ = st.handle(.character("v"))
        let text = Screen.render(st, width: 120, height: 36).text
        #expect(text.contains("> P1 major feature broken, significant degradation"))
        #expect(text.contains("  P0 system down, data loss, security breach"))
        // Chosen, not typed: nothing to erase, no P5 to refuse.
        _ = st.handle(.backspace)
        type("5", into: &st)
        #expect(st.alertView.form?.field("severity") == "P1")
        type("0", into: &st)
        // A new severity asks once more.
        #expect(st.handle(.enter).isEmpty && st.incidentView.confirmText == "make incident 1 P0?")
        guard case .incident(.append(let e))? = st.handle(.character("y")).first else {
            Issue.record("no severity change")
            return
        }
        #expect(e.kind == .severityChanged && e.field == "P0")
    }

    @Test func tickingAnActionItemNamesItsKey() {
        var st = S.state()
        st.incidentView.detail = 1
        _ = st.handle(.character("x"))
        #expect(st.alertView.form?.field("item") == "1")
        #expect(st.handle(.enter).isEmpty && st.incidentView.confirmText == "mark action item 1 done?")
        guard case .incident(.append(let e))? = st.handle(.character("y")).first else {
            Issue.record("no tick")
            return
        }
        #expect(e.kind == .actionDone && e.field == S.checkout.actionItems[0].key)
    }

    @Test func anAlertOpensANewIncidentOrItsLinkedOne() {
        // ProbeDown for db is linked to incident 1: `i` opens it.
        var st = S.state()
        _ = st.handle(.character("A"))
        #expect(st.currentAlert?.labels["target"] == "db")
        _ = st.handle(.character("i"))
        #expect(st.incidentView.detail == 1 && st.alertView.form == nil)
        // ProbeDown for api is not: a new incident from it, or a link to #1 if asked.
        st = S.state()
        _ = st.handle(.character("A"))
        _ = st.handle(.down)
        _ = st.handle(.character("i"))
        let form = try! #require(st.alertView.form)
        #expect(form.field("title") == "ProbeDown: api is down" && form.field("severity") == "P1" && form.field("incident") == "new")
        guard case .incident(.open(let title, let severity, let detected, let alerted, let alert))? = st.handle(.enter).first else {
            Issue.record("no open")
            return
        }
        #expect(title == "ProbeDown: api is down" && severity == .p1 && alert?.summary == "api is down")
        #expect(detected == S.now - 600 && alerted == S.now - 480)
        st.alertView.form = form
        st.alertView.form?.fields[2].text = "#1"
        guard case .incident(.append(let link))? = st.handle(.enter).first else {
            Issue.record("no link")
            return
        }
        #expect(link.kind == .alertLinked && link.incident == 1 && link.field.contains("target=\"api\""))
    }

    @Test func withoutAStoreTheViewsSaySoAndNothingIsSent() {
        var st = S.state([])
        st.incidents.unavailable = "/x/incidents.sqlite: not a usable incident store"
        _ = st.handle(.character("I"))
        #expect(Screen.render(st, width: 100, height: 30).text.contains("incidents unavailable: /x/incidents.sqlite"))
        #expect(st.handle(.character("N")).isEmpty && st.alertView.form == nil)
    }

    @Test func incidentScreensFitTheSmallestDashboardInASCII() {
        var st = S.state()
        st.glyphs = .ascii
        st.incidentView.detail = 1
        let grid = Screen.render(st, width: 70, height: 18)
        #expect(grid.lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(grid.text.contains("#1 P1  Checkout errors"))
        // Seven stages do not fit in 70 columns: where it is and what is next.
        #expect(grid.text.contains("stage 2/7 assessment > next mitigation"))
        // At 140 they do, in order.
        #expect(Screen.render(st, width: 140, height: 36).text
            .contains("detection > assessment > mitigation > communication > investigation > resolution > postmortem"))
    }
}

@Suite struct IncidentHelpTests {
    /// At 80x24 with an incident open, `?` lists every incident key and still says how to close.
    @Test func helpListsTheIncidentKeysAt80x24() {
        var st = SampleIncidents.state()
        st.incidentView.detail = 1
        _ = st.handle(.character("?"))
        let text = Screen.render(st, width: 80, height: 24).text
        for line in KeyMap.incidents.helpLines {
            #expect(text.contains(line.summary), "help lacks \(line.summary)")
        }
        #expect(text.contains("closes this help"))
    }
}

@Suite struct IncidentRunbookTests {
    @Test func runbookComesFromTheIncidentOrItsAlerts() {
        var st = SampleIncidents.state()
        st.incidentView.detail = 1
        // Incident 1 links the db ProbeDown alert, whose rule names probe-down.md.
        #expect(st.handle(.character("r")) == [.openRunbook(name: "probe-down.md", alert: "Checkout errors")])
        st = SampleIncidents.state(alerts: [])
        st.incidentView.detail = 1
        #expect(st.handle(.character("r")).isEmpty)
        #expect(st.notice?.hasPrefix("no runbook") == true)
    }
}

@Suite struct IncidentStatsViewTests {
    @Test func statsViewShowsThePeriodsAgainstTheTargets() {
        var st = SampleIncidents.state()
        _ = st.handle(.character("I"))
        _ = st.handle(.character("T"))
        let lines = Screen.render(st, width: 100, height: 30).lines
        #expect(lines.contains { $0.contains("Incident response") })
        #expect(lines.contains { $0.contains("7 days") && $0.contains("30 days") && $0.contains("90 days") })
        #expect(lines.contains { $0.contains("incidents") && $0.filter { $0 == "1" }.count >= 3 })
        #expect(lines.contains { $0.contains("acknowledge median") && $0.contains("10m") })
        #expect(lines.contains { $0.contains("acknowledge within 15m") && $0.contains("100%") })
        #expect(lines.contains { $0.contains("restore median") && $0.contains("-") })
        _ = st.handle(.character("T"))
        #expect(Screen.render(st, width: 100, height: 30).text.contains("Checkout errors"))
    }
}

@Suite struct FormDraftTests {
    @Test func draftsRoundTripWithAwkwardText() throws {
        var form = AlertForm.prompt(.incidentNote(7), "note", hint: "x")
        form.fields[0].text = "line one\nline\ttwo \\ back"
        let text = try #require(FormDraft.encode(form))
        let back = try #require(FormDraft.decode(text))
        #expect(back.kind == .incidentNote(7) && back.field("note") == "line one\nline\ttwo \\ back")
        var moment = AlertForm.prompt(.incidentMoment(3, .rootCauseIdentified), "root cause", hint: "")
        moment.fields[0].text = "a bad deploy"
        #expect(FormDraft.decode(FormDraft.encode(moment)!)?.kind == .incidentMoment(3, .rootCauseIdentified))
        let ack = AlertForm.acknowledge(SampleAlerts.typical[1])
        var typed = ack
        typed.fields[0].text = "on it"
        #expect(FormDraft.decode(FormDraft.encode(typed)!)?.kind == ack.kind)
    }

    @Test func nothingTypedIsNoDraft() {
        #expect(FormDraft.encode(AlertForm.prompt(.incidentNote(1), "note", hint: "")) == nil)
        #expect(FormDraft.decode("garbage\n") == nil)
        #expect(FormDraft.decode("form incident-note x\nfield note y\n") == nil)
    }
}

@Suite struct ReplayScreenTests {
    @Test func replayShowsItsBadgeFooterAndHelp() {
        var st = SampleData.state()
        st.replayStatus = "REPLAY 21:55:27 4x 120/3600"
        var lines = Screen.render(st, width: 120, height: 30).lines
        #expect(lines[0].contains(" REPLAY 21:55:27 4x 120/3600 "))
        #expect(lines.last?.contains("Space pause  Left/Right a minute  [ ] speed  g/G start/end") == true)
        _ = st.handle(.character("?"))
        lines = Screen.render(st, width: 120, height: 40).lines
        #expect(lines.contains { $0.contains("Replaying a recording:") })
        #expect(lines.contains { $0.contains("[ ]") && $0.contains("slower, faster (0.25x to 64x)") })
    }
}
