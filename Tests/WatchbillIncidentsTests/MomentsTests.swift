import Testing
import WatchbillIncidents

struct MomentsTests {
    @Test func derivedTimesOfTheScenario() {
        let i = Scenario.checkout().incident
        // Detected 09:02, alerted 09:03, acknowledged 09:06, mitigation 09:15, restored 09:50,
        // root cause 11:30, fix 10:00 and resolved 10:30 the next day.
        #expect(i.detectedAt == t0 + 2 * minute)
        #expect(i.alertedAt == t0 + 3 * minute)
        #expect(i.acknowledgedAt == t0 + 6 * minute)
        #expect(i.mitigationStartedAt == t0 + 15 * minute)
        #expect(i.restoredAt == t0 + 50 * minute)
        #expect(i.rootCauseIdentifiedAt == t0 + 150 * minute)
        #expect(i.fixDeployedAt == t0 + 25 * hour)
        #expect(i.resolvedAt == t0 + 25 * hour + 30 * minute)
        #expect(i.timeToAcknowledge == 180)
        #expect(i.timeToMitigate == 780)
        #expect(i.timeToRestore == 2880)
        #expect(i.timeToResolve == 91_680)  // 25 h 28 min
        #expect(i.duration(now: t0 + 100 * hour) == 2880)
        #expect(i.meetsResponseTarget == true && i.meetsRecoveryTarget == true)
    }

    @Test func theEarliestEntryOfAKindIsTheMoment() {
        var log = Log(1)
        log.add(.opened, at: 1000, field: "P2", text: "x")
        log.add(.detected, at: 900)
        log.add(.detected, at: 700, written: 1100)  // a correction: it started earlier
        log.add(.detected, at: 950)
        #expect(log.incident.detectedAt == 700)
        #expect(log.incident.first(.detected)?.seq == 3)
    }

    @Test func withoutDetectedOrAlertedTheOpeningAndDetectionStandIn() {
        var log = Log(1)
        log.add(.opened, at: 1000, field: "P2", text: "x")
        log.add(.acknowledged, at: 1240)
        #expect(log.incident.detectedAt == 1000)
        #expect(log.incident.timeToAcknowledge == 240)
        #expect(log.incident.timeToMitigate == nil && log.incident.timeToRestore == nil)
        #expect(log.incident.timeToResolve == nil)
        #expect(log.incident.duration(now: 1900) == 900)  // still going
        log.add(.resolved, at: 2000)
        #expect(log.incident.duration(now: 9999) == 1000)  // no restore recorded: until resolved
    }

    @Test func acknowledgedBeforeThePageIsAnImmediateResponse() {
        var log = Log(1)
        log.add(.opened, at: 1000, field: "P2", text: "x")
        log.add(.acknowledged, at: 1000)
        log.add(.alerted, at: 1300, written: 1400)
        #expect(log.incident.timeToAcknowledge == 0)
    }

    @Test(arguments: [(900.0, true), (901.0, false)] as [(Double, Bool)])
    func responseTarget(after: Double, met: Bool) {
        var log = Log(1)
        log.add(.opened, at: 0, field: "P1", text: "x")
        log.add(.alerted, at: 100)
        #expect(log.incident.meetsResponseTarget == nil)
        log.add(.acknowledged, at: 100 + after)
        #expect(log.incident.meetsResponseTarget == met)
    }

    @Test(arguments: [(3600.0, true), (3601.0, false)] as [(Double, Bool)])
    func recoveryTarget(after: Double, met: Bool) {
        var log = Log(1)
        log.add(.opened, at: 500, field: "P1", text: "x")
        log.add(.detected, at: 0, written: 500)
        log.add(.resolved, at: 600)
        #expect(log.incident.meetsRecoveryTarget == nil)  // resolved, but no restore recorded
        log.add(.restored, at: after, written: 700)
        #expect(log.incident.meetsRecoveryTarget == met)
    }
}

struct ReopenedMomentsTests {
    @Test func theResolutionThatStandsIsTheLast() {
        var log = Log(3)
        log.add(.opened, at: 0, field: "P2", text: "x")
        log.add(.resolved, at: 100)
        log.add(.statusChanged, at: 110, field: "investigating")
        #expect(log.incident.resolvedAt == nil)
        log.add(.resolved, at: 200)
        #expect(log.incident.resolvedAt == 200)
        #expect(log.incident.timeToResolve == 200)
    }
}
