import Testing
import WatchbillIncidents

struct FoldTests {
    @Test func backDatedEntriesTakeTheirPlaceOnTheTimelineButNotInWriteOrder() {
        var log = Log(1)
        log.add(.opened, at: 100, field: "P2", text: "Disk full")
        log.add(.note, at: 300, text: "first at 300")
        log.add(.detected, at: 50, written: 310)  // back-dated
        log.add(.note, at: 300, text: "second at 300")
        log.add(.fieldSet, at: 200, field: "owner", text: "bob")  // plain field: not on the timeline
        log.add(.fieldSet, at: 250, field: "mitigation", text: "Deleted old logs")
        // Whatever order the store hands them over in.
        let incident = Incident.fold(id: 1, events: log.events.reversed())!
        #expect(incident.timeline.map(\.seq) == [3, 1, 6, 2, 4])
        #expect(incident.writtenOrder.map(\.seq) == [1, 2, 3, 4, 5, 6])
        #expect(incident.detectedAt == 50)
        #expect(incident.openedAt == 100)
    }

    @Test func noOpenedEntryNoIncidentAndOtherIncidentsIgnored() {
        var a = Log(1)
        a.add(.note, at: 10, text: "orphan")
        #expect(Incident.fold(id: 1, events: a.events) == nil)
        var b = Log(2)
        b.add(.opened, at: 5, field: "P1", text: "Other")
        a.add(.opened, at: 20, field: "P3", text: "Mine")
        let mine = Incident.fold(id: 1, events: a.events + b.events)!
        #expect(mine.title == "Mine" && mine.severity == .p3)
        #expect(mine.writtenOrder.allSatisfy { $0.incident == 1 })
        #expect(Incident.fold(id: 3, events: a.events + b.events) == nil)
    }

    @Test func fieldsAreSetAndTheLastWrittenValueWins() {
        var log = Log(1)
        log.add(.opened, at: 0, field: "P2", text: "Slow API")
        log.add(.fieldSet, at: 10, field: "title", text: "  Slow checkout API ")
        log.add(.fieldSet, at: 500, field: "owner", text: "bob")
        log.add(.fieldSet, at: 400, field: "owner", text: "carol")  // back-dated, but written last
        log.add(.fieldSet, at: 20, field: "users_affected", text: "340")
        log.add(.fieldSet, at: 20, field: "users_percent", text: "2.5")
        log.add(.fieldSet, at: 20, field: "services", text: " api , checkout,, ")
        log.add(.fieldSet, at: 30, field: "root_cause", text: "Guess: GC pauses")
        log.add(.fieldSet, at: 40, field: "root_cause", text: "")  // cleared: the guess was wrong
        log.add(.fieldSet, at: 50, field: "prevention", text: "Load test before release")
        log.add(.fieldSet, at: 60, field: "permanent_fix", text: "Index on orders.created")
        log.add(.fieldSet, at: 70, field: "runbook", text: "runbooks/slow-api.md")
        log.add(.fieldSet, at: 71, field: "runbook", text: "runbooks/slow-api.md")
        log.add(.fieldSet, at: 72, field: "runbook", text: "runbooks/db.md")
        log.add(.fieldSet, at: 80, field: "mitigation", text: "Scaled to 6 pods")
        log.add(.fieldSet, at: 75, field: "mitigation", text: "Disabled recommendations")
        let i = log.incident
        #expect(i.title == "Slow checkout API")
        #expect(i.owner == "carol")
        #expect(i.impact == Incident.Impact(usersAffected: 340, usersPercent: 2.5, services: ["api", "checkout"]))
        #expect(i.rootCause == nil)
        #expect(i.prevention == "Load test before release")
        #expect(i.permanentFix == "Index on orders.created")
        #expect(i.runbooks == ["runbooks/slow-api.md", "runbooks/db.md"])
        #expect(i.mitigation == ["Scaled to 6 pods", "Disabled recommendations"])
        // Only the mitigation actions are on the timeline.
        #expect(i.timeline.map(\.kind) == [.opened, .fieldSet, .fieldSet])
    }

    @Test func momentsMoveStatusAndStage() {
        var log = Log(1)
        log.add(.opened, at: 0, field: "P2", text: "Queue backlog")
        var i = log.incident
        #expect((i.status, i.stage) == (.investigating, .detection))
        log.add(.acknowledged, at: 60)
        #expect(log.incident.stage == .assessment)
        log.add(.mitigationStarted, at: 120)
        i = log.incident
        #expect((i.status, i.stage) == (.investigating, .mitigation))
        log.add(.stageChanged, at: 130, field: "communication")
        log.add(.restored, at: 600)
        i = log.incident
        #expect((i.status, i.stage) == (.mitigated, .communication))  // never moved back
        log.add(.rootCauseIdentified, at: 700)
        #expect(log.incident.rootCause == nil && log.incident.stage == .investigation)
        log.add(.rootCauseIdentified, at: 710, text: "Consumer stuck on a poison message")
        #expect(log.incident.rootCause == "Consumer stuck on a poison message")
        log.add(.fixDeployed, at: 800, text: "Dead-letter queue after 5 retries")
        i = log.incident
        #expect(i.permanentFix == "Dead-letter queue after 5 retries" && i.stage == .resolution)
        log.add(.severityChanged, at: 810, field: "P1")
        log.add(.resolved, at: 900)
        i = log.incident
        #expect((i.status, i.stage, i.severity) == (.resolved, .resolution, .p1))
        log.add(.statusChanged, at: 1000, field: "investigating")
        i = log.incident
        #expect((i.status, i.stage) == (.investigating, .investigation))
        log.add(.statusChanged, at: 1100, field: "resolved")
        log.add(.stageChanged, at: 1200, field: "postmortem")
        i = log.incident
        #expect((i.status, i.stage) == (.resolved, .postmortem))
    }

    @Test func actionItemsAreAddedAndDone() {
        var log = Log(1)
        log.add(.opened, at: 0, field: "P3", text: "Flaky probe")
        log.add(.actionAdded, at: 10, text: "bob|Friday|Raise the probe timeout")
        log.add(.actionAdded, at: 20, text: "|2025-04-01|Compare probe | curl timings")
        log.add(.actionDone, at: 30, by: "bob", field: "2")
        log.add(.actionDone, at: 40, field: "99")  // unknown: nothing to mark
        let items = log.incident.actionItems
        #expect(items.map(\.key) == ["2", "3"])
        #expect((items[0].owner, items[0].deadline, items[0].task) == ("bob", "Friday", "Raise the probe timeout"))
        #expect(items[0].done && items[0].doneAt == 30)
        #expect((items[1].owner, items[1].deadline, items[1].task) == ("", "2025-04-01", "Compare probe | curl timings"))
        #expect(!items[1].done && items[1].doneAt == nil)
    }

    @Test func linkedAlertsResolveAndFireAgain() {
        var log = Log(1)
        let id = #"{alertname="DiskFull",mountpoint="/"}"#
        log.add(.opened, at: 0, field: "P2", text: "Disk full")
        log.add(.alertLinked, at: 5, by: "watchbill", field: id, text: "96% used")
        log.add(.alertResolved, at: 50, by: "watchbill", field: id)
        #expect(log.incident.linkedAlerts[id] == Incident.LinkedAlert(summary: "96% used", linkedAt: 5, resolvedAt: 50))
        log.add(.alertLinked, at: 90, by: "watchbill", field: id, text: "97% used")
        #expect(log.incident.linkedAlerts[id] == Incident.LinkedAlert(summary: "97% used", linkedAt: 5, resolvedAt: nil))
    }

    @Test func theScenarioFolds() {
        let i = Scenario.checkout().incident
        #expect(i.title == "Checkout API returning 502s")
        #expect((i.severity, i.status, i.stage, i.owner) == (.p1, .resolved, .postmortem, "alice"))
        #expect(i.actionItems.map(\.done) == [false, true])
        #expect(i.timeline.count == 21)  // 28 entries less 7 plain settings
    }
}
