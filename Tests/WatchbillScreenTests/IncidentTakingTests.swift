import Testing
import WatchbillCore
import WatchbillDomain
import WatchbillIncidents
import WatchbillRules
@testable import WatchbillScreen

/// Acknowledging an incident, and opening one from an alert: what the drill found wrong.
@Suite struct IncidentTakingTests {
    typealias S = SampleIncidents

    /// Opened from ProbeDown db, not acknowledged yet.
    static var unowned: Incident {
        let db = Labels(["alertname": "ProbeDown", "severity": "P1", "target": "db"]).description
        return Incident.fold(id: 2, events: [
            S.event(2, 1, 500, .opened, field: "P1", text: "db down"),
            S.event(2, 2, 500, .alertLinked, field: db, text: "db is down"),
        ])!
    }

    @Test func acknowledgingTheIncidentAcknowledgesItsLinkedAlerts() {
        var st = S.state([Self.unowned])
        st.incidentView.detail = 2
        #expect(st.handle(.character("a")).isEmpty)
        let effects = st.handle(.character("y"))
        guard case .incident(.append(let entry))? = effects.first else {
            Issue.record("no append: \(effects)")
            return
        }
        #expect(entry.kind == .acknowledged && entry.author == "alice")
        let acks = effects.dropFirst().compactMap { effect -> Acknowledgement? in
            if case .recordAlertAction(.acknowledge(let a)) = effect { return a }
            return nil
        }
        // Only the linked alert (db), not ProbeDown api or the others firing.
        #expect(acks.map { $0.labels["target"] } == ["db"])
        #expect(acks.first?.by == "alice" && acks.first?.comment == "incident #2 acknowledged")
        #expect(acks.first?.at == SampleAlerts.now)
    }

    @Test func anAlertAlreadyAcknowledgedOrResolvedIsLeftAlone() {
        let db = Labels(["alertname": "ProbeDown", "severity": "P1", "target": "db"])
        let acked = AlertActions([.acknowledge(Acknowledgement(labels: db, by: "bob", comment: "mine", at: SampleAlerts.now - 60))])
        let alerts = [SampleAlerts.item("ProbeDown", "P1", .firing, labels: ["target": "db"], value: 0, activeAgo: 200, actions: acked)]
        #expect(LinkedAlertAcks.acknowledgements(taking: Self.unowned, alerts: alerts, by: "alice", at: SampleAlerts.now).isEmpty)
        let resolved = [SampleAlerts.item("ProbeDown", "P1", .resolved, labels: ["target": "db"], value: 0, activeAgo: 200)]
        #expect(LinkedAlertAcks.acknowledgements(taking: Self.unowned, alerts: resolved, by: "alice", at: SampleAlerts.now).isEmpty)
    }

    @Test func acknowledgingMakesTheAcknowledgerTheOwner() {
        let incident = Incident.fold(id: 2, events: [
            S.event(2, 1, 500, .opened, field: "P1", text: "db down"),
            S.event(2, 2, 400, .acknowledged),
        ])!
        #expect(incident.owner == "alice")
        // A named owner stays: acknowledging after that does not take it over.
        var named = Incident.fold(id: 2, events: [
            S.event(2, 1, 500, .opened, field: "P1", text: "db down"),
            S.event(2, 2, 450, .fieldSet, field: "owner", text: "carol"),
            S.event(2, 3, 400, .acknowledged),
        ])!
        #expect(named.owner == "carol")
        named = Incident.fold(id: 2, events: named.writtenOrder + [S.event(2, 4, 300, .fieldSet, field: "owner", text: "")])!
        #expect(named.owner == nil)
    }

    /// ProbeDown needs two minutes of failures before it is even pending: the incident's
    /// detection is the first failed probe, not the rule's verdict.
    @Test func anIncidentFromAProbeAlertIsDetectedAtTheFirstFailedProbe() {
        let spec = ProbeSpec(name: "db", kind: .http(HTTPCheck(url: "http://127.0.0.1:9/db")))
        var book = ProbeBook(specs: [spec])
        let now = SampleAlerts.now
        book.record(ProbeResult(probe: 0, time: now - 400, duration: 0.01, error: nil))
        book.record(ProbeResult(probe: 0, time: now - 330, duration: 0.01, error: .refused))
        book.record(ProbeResult(probe: 0, time: now - 320, duration: 0.01, error: .refused))
        let summaries = book.summaries(at: now, window: .oneMinute)
        #expect(summaries[0].failingSince == now - 330)

        let alert = SampleAlerts.item("ProbeDown", "P1", .firing, labels: ["probe": "db"], value: 0, activeAgo: 200)
        #expect(alert.earliestEvidence(probes: summaries) == now - 330)
        var st = SampleAlerts.state([alert])
        st.data.probes = summaries
        st.focus = .alerts
        _ = st.handle(.character("i"))
        guard case .incidentNew(_, let detectedAt, let alertedAt)? = st.alertView.form?.kind else {
            Issue.record("no incident form: \(String(describing: st.alertView.form))")
            return
        }
        #expect(detectedAt == now - 330 && alertedAt == now - 80)

        // A success ends the run: the next failure starts a new one.
        book.record(ProbeResult(probe: 0, time: now - 10, duration: 0.01, error: nil))
        #expect(book.summaries(at: now, window: .oneMinute)[0].failingSince == nil)
        // An alert about another probe keeps its own pending start.
        let other = SampleAlerts.item("ProbeDown", "P1", .firing, labels: ["probe": "api"], value: 0, activeAgo: 200)
        #expect(other.earliestEvidence(probes: summaries) == now - 200)
    }

    /// Status is picked from its three values, not typed over a pre-filled text.
    @Test func statusIsChosenNotTyped() {
        var st = S.state([Self.unowned])
        st.incidentView.detail = 2
        _ = st.handle(.character("s"))
        #expect(st.alertView.form?.fields.first?.choices == ["investigating", "mitigated", "resolved"])
        #expect(st.alertView.form?.field("status") == "investigating")
        var text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("▸investigating   mitigated   resolved"), "\(text)")
        _ = st.handle(.backspace)
        _ = st.handle(.right)
        #expect(st.alertView.form?.field("status") == "mitigated")
        _ = st.handle(.character("r"))
        #expect(st.alertView.form?.field("status") == "resolved")
        _ = st.handle(.right)
        #expect(st.alertView.form?.field("status") == "investigating", "wraps around")
        _ = st.handle(.left)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains(" investigating   mitigated  ▸resolved"), "\(text)")
        _ = st.handle(.enter)
        #expect(st.incidentView.confirmText == "resolve incident 2?")
        guard case .incident(.append(let e))? = st.handle(.character("y")).first else {
            Issue.record("not saved")
            return
        }
        #expect(e.kind == .resolved)
        // Severity the same way: 1 is P1.
        _ = st.handle(.character("v"))
        _ = st.handle(.character("0"))
        #expect(st.alertView.form?.field("severity") == "P0")
        var ascii = st
        ascii.glyphs = .ascii
        #expect(Screen.render(ascii, width: 80, height: 24).text.contains("[P0]   P1   P2   P3"))
    }
}

/// At 80x24 the timeline has a few rows: the newest entry is the one a responder just typed.
@Suite struct TimelineFollowTests {
    typealias S = SampleIncidents

    static func incident(entries: Int) -> Incident {
        Incident.fold(id: 5, events: [S.event(5, 1, 3000, .opened, field: "P2", text: "long one")]
            + (0..<entries).map { S.event(5, Int64($0 + 2), 2900 - Double($0) * 10, .note, text: "note \($0 + 1)") })!
    }

    @Test func theNewestEntryIsOnScreenUnlessTheUserScrolledUp() {
        var st = S.state([Self.incident(entries: 20)])
        st.incidentView.detail = 5
        var text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("Note: note 20") && !text.contains("newer below"), "\(text)")
        // A note arrives (typed here or by a bot): still the end that shows.
        st.incidents = IncidentsData(all: [Self.incident(entries: 21)], now: S.now)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("Note: note 21"), "\(text)")
        // Scrolled up, the view says what is below and how to get back.
        _ = st.handle(.up)
        _ = st.handle(.up)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(!text.contains("Note: note 21") && text.contains("timeline (22, 2 newer below: End)"), "\(text)")
        _ = st.handle(.end)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("Note: note 21") && !text.contains("newer below"), "\(text)")
        _ = st.handle(.home)
        text = Screen.render(st, width: 80, height: 24).text
        #expect(text.contains("Opened as P2") && !text.contains("Note: note 21"), "\(text)")
    }
}
