import Testing
import WatchbillIncidents

struct RulesTests {
    func open() -> Log {
        var log = Log(1)
        log.add(.opened, at: 0, field: "P2", text: "Disk full")
        return log
    }

    func resolved() -> Log {
        var log = open()
        log.add(.actionAdded, at: 10, text: "bob|Friday|Alert at 80%")
        log.add(.resolved, at: 20)
        return log
    }

    func check(_ event: IncidentEvent, _ log: Log?) -> String? {
        IncidentRules.check(event, against: log?.incident)
    }

    @Test func everyEntryOfTheScenarioIsAccepted() {
        let full = Scenario.checkout().events
        var log = Log(42)
        for event in full {
            let incident = log.events.isEmpty ? nil : log.incident
            #expect(IncidentRules.check(event, against: incident) == nil, "seq \(event.seq) \(event.kind)")
            log.events.append(event)
        }
    }

    @Test func onlyOpenedCreatesAnIncident() {
        let none = Log(5)
        #expect(check(none.draft(.note, at: 0, text: "hello"), nil) == "incident #5 does not exist")
        #expect(check(none.draft(.acknowledged, at: 0), nil) != nil)
        #expect(check(none.draft(.opened, at: 0, field: "P1", text: "API down"), nil) == nil)
        #expect(check(none.draft(.opened, at: 0, field: "P5", text: "API down"), nil) == "unknown severity \"P5\" (P0–P3)")
        #expect(check(none.draft(.opened, at: 0, field: "P1", text: "  "), nil) == "an incident needs a title")
    }

    @Test func aSecondOpenedIsRefused() {
        let log = open()
        #expect(check(log.draft(.opened, at: 5, field: "P1", text: "Again"), log) == "incident #1 is already open")
    }

    @Test func acknowledgedOnceAndNotAfterResolution() {
        var log = open()
        #expect(check(log.draft(.acknowledged, at: 5), log) == nil)
        log.add(.acknowledged, at: 5, by: "bob")
        #expect(check(log.draft(.acknowledged, at: 6), log) == "already acknowledged by bob")
        let done = resolved()
        #expect(check(done.draft(.acknowledged, at: 30), done) == "incident #1 is resolved; nothing to acknowledge")
    }

    @Test func noChangeToTheCurrentValue() {
        let log = open()
        #expect(check(log.draft(.statusChanged, at: 5, field: "investigating"), log) == "already investigating")
        #expect(check(log.draft(.statusChanged, at: 5, field: "mitigated"), log) == nil)
        #expect(check(log.draft(.severityChanged, at: 5, field: "P2"), log) == "already P2")
        #expect(check(log.draft(.stageChanged, at: 5, field: "detection"), log) == "already in detection")
    }

    @Test func valuesMustParse() {
        let log = open()
        #expect(check(log.draft(.statusChanged, at: 5, field: "closed"), log)
            == "unknown status \"closed\" (investigating, mitigated, resolved)")
        #expect(check(log.draft(.severityChanged, at: 5, field: "critical"), log) == "unknown severity \"critical\" (P0–P3)")
        #expect(check(log.draft(.severityChanged, at: 5, field: "P0"), log) == nil)
        #expect(check(log.draft(.stageChanged, at: 5, field: "triage"), log)?.hasPrefix("unknown stage \"triage\"") == true)
        #expect(check(log.draft(.stageChanged, at: 5, field: "communication"), log) == nil)
    }

    @Test func fieldsMustBeKnownAndWellFormed() {
        let log = open()
        #expect(check(log.draft(.fieldSet, at: 5, field: "colour", text: "red"), log)?.hasPrefix("unknown field \"colour\"") == true)
        #expect(check(log.draft(.fieldSet, at: 5, field: "title", text: " "), log) == "title cannot be empty")
        #expect(check(log.draft(.fieldSet, at: 5, field: "mitigation", text: ""), log) == "mitigation cannot be empty")
        #expect(check(log.draft(.fieldSet, at: 5, field: "users_affected", text: "many"), log)
            == "users affected is a count, not \"many\"")
        #expect(check(log.draft(.fieldSet, at: 5, field: "users_affected", text: "-3"), log) != nil)
        #expect(check(log.draft(.fieldSet, at: 5, field: "users_affected", text: "1200"), log) == nil)
        #expect(check(log.draft(.fieldSet, at: 5, field: "users_percent", text: "150"), log)
            == "users affected in percent is 0–100, not \"150\"")
        #expect(check(log.draft(.fieldSet, at: 5, field: "users_percent", text: "4.5"), log) == nil)
        #expect(check(log.draft(.fieldSet, at: 5, field: "owner", text: ""), log) == nil)  // clears
    }

    @Test func emptyNotesAreRefused() {
        let log = open()
        #expect(check(log.draft(.note, at: 5, text: ""), log) == "a note needs text")
        #expect(check(log.draft(.note, at: 5, text: " \n "), log) == "a note needs text")
        #expect(check(log.draft(.note, at: 5, text: "df shows 98%"), log) == nil)
    }

    @Test func entriesCannotBeDatedInTheFuture() {
        let log = open()
        #expect(check(log.draft(.note, at: 1061, written: 1000, text: "x"), log) == "cannot date an entry in the future")
        #expect(check(log.draft(.note, at: 1060, written: 1000, text: "x"), log) == nil)  // clock skew
        #expect(check(log.draft(.note, at: 10, written: 1000, text: "x"), log) == nil)  // back-dated
        #expect(check(Log(9).draft(.opened, at: 2000, written: 1000, field: "P1", text: "x"), nil)
            == "cannot date an entry in the future")
    }

    @Test func actionItemsMustExistAndBeDoneOnce() {
        var log = open()
        log.add(.actionAdded, at: 5, text: "bob|Friday|Alert at 80%")
        #expect(check(log.draft(.actionDone, at: 6, field: "7"), log) == "no action item 7")
        #expect(check(log.draft(.actionDone, at: 6, field: "2"), log) == nil)
        log.add(.actionDone, at: 6, field: "2")
        #expect(check(log.draft(.actionDone, at: 7, field: "2"), log) == "action item 2 is already done")
        #expect(check(log.draft(.actionAdded, at: 7, text: "Alert at 80%"), log)
            == "an action item is written \"owner|deadline|task\"")
        #expect(check(log.draft(.actionAdded, at: 7, text: "bob|Friday| "), log) == "an action item needs a task")
    }

    @Test func onlyLinkedAlertsResolve() {
        var log = open()
        #expect(check(log.draft(.alertResolved, at: 5, field: "{a}"), log) == "alert {a} is not linked to this incident")
        #expect(check(log.draft(.alertLinked, at: 5, field: ""), log) == "a linked alert needs its identity")
        log.add(.alertLinked, at: 5, field: "{a}")
        #expect(check(log.draft(.alertResolved, at: 6, field: "{a}"), log) == nil)
    }

    @Test func aResolvedIncidentTakesPostmortemEntriesOrAReopening() {
        let log = resolved()
        let accepted: [IncidentEvent] = [
            log.draft(.note, at: 30, text: "Write-up on the wiki"),
            log.draft(.fieldSet, at: 30, field: "root_cause", text: "Log rotation disabled"),
            log.draft(.actionAdded, at: 30, text: "carol|Monday|Re-enable logrotate"),
            log.draft(.actionDone, at: 30, field: "2"),
            log.draft(.statusChanged, at: 30, field: "investigating"),
            log.draft(.stageChanged, at: 30, field: "postmortem"),
            // The root cause and the permanent fix often come after the service is back.
            log.draft(.rootCauseIdentified, at: 30, text: "a bad deploy"), log.draft(.fixDeployed, at: 30, text: "a guard"),
        ]
        for event in accepted { #expect(check(event, log) == nil, "\(event.kind)") }
        #expect(check(log.draft(.statusChanged, at: 30, field: "mitigated"), log)
            == "a resolved incident can only be reopened (to investigating)")
        #expect(check(log.draft(.stageChanged, at: 30, field: "investigation"), log)
            == "a resolved incident can only move to postmortem")
        let refused: [IncidentEvent] = [
            log.draft(.detected, at: 30), log.draft(.alerted, at: 30), log.draft(.mitigationStarted, at: 30),
            log.draft(.restored, at: 30),
            log.draft(.resolved, at: 30), log.draft(.severityChanged, at: 30, field: "P1"),
            log.draft(.alertLinked, at: 30, field: "{a}"),
        ]
        for event in refused {
            #expect(check(event, log) == "incident #1 is resolved; reopen it first", "\(event.kind)")
        }
    }

    @Test func anEntryForAnotherIncidentIsRefused() {
        let log = open()
        #expect(check(Log(2).draft(.note, at: 5, text: "x"), log) == "entry is for incident #2, not #1")
    }

    @Test func responsesCannotPrecedeDetectionAndTimesMustBePlausible() {
        var log = Log(1)
        log.add(.opened, at: 100, field: "P1", text: "x")
        log.add(.detected, at: 100)
        for kind: IncidentEvent.Kind in [.acknowledged, .mitigationStarted, .restored, .resolved] {
            #expect(check(log.draft(kind, at: 90), log) == "\(kind.rawValue) cannot be before the incident was detected")
            #expect(check(log.draft(kind, at: 110), log) == nil)
        }
        var huge = log.draft(.note, at: 110, text: "x")
        huge.at = 1e19
        huge.writtenAt = 1e19
        #expect(check(huge, log) == "the entry's time is not a plausible date")
    }
}
