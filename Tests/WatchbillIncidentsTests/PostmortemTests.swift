import Testing
import WatchbillIncidents

struct PostmortemTests {
    @Test func aResolvedIncidentFollowsTheTemplate() throws {
        let incident = Scenario.checkout().incident
        try Golden.check(Postmortem.markdown(incident, now: t0 + 100 * hour), "postmortem.md")
    }

    @Test func missingPartsAreMarkedToFillIn() throws {
        let incident = Scenario.safari().incident
        let now = incident.openedAt + 75 * minute
        try Golden.check(Postmortem.markdown(incident, now: now, timeZoneOffsetSeconds: 19_800), "postmortem-open.md")
    }

    @Test func everyTemplateHeadingIsThereInOrder() throws {
        let headings = ["## Incident: ", "**Date:** ", "**Severity:** ", "**Status:** ", "### Impact",
                        "- Users affected: ", "- Services impacted: ", "- Duration: ", "### Timeline",
                        ": Issue detected", ": Team alerted", ": Mitigation started", ": Service restored",
                        ": Root cause identified", ": Permanent fix deployed", "### Root Cause",
                        "### Mitigation Actions", "### Permanent Fix", "### Prevention", "### Action Items", "- ["]
        for log in [Scenario.checkout(), Scenario.safari()] {
            let text = Postmortem.markdown(log.incident, now: t0 + 100 * hour)
            var rest = Substring(text)
            for heading in headings {
                let found = rest.firstRange(of: heading)
                #expect(found != nil, "\(heading) missing or out of order")
                if let found { rest = rest[found.upperBound...] }
            }
        }
    }

    @Test func aMissedTargetSaysSo() {
        var log = Log(1)
        log.add(.opened, at: t0, field: "P1", text: "x")
        log.add(.alerted, at: t0)
        log.add(.acknowledged, at: t0 + 20 * minute)
        log.add(.restored, at: t0 + 65 * minute)
        let text = Postmortem.markdown(log.incident, now: t0 + 2 * hour)
        #expect(text.contains("- Response: 20m00s from alert to acknowledgement (target 15m): missed\n"))
        #expect(text.contains("- Recovery: 1h05m00s from detection to restore (target 1h00m): missed\n"))
        #expect(text.contains("- Duration: 1h05m00s, from detection to restored\n"))
    }

    /// The drill's incident: the probe failed at 17:44:48, the alert fired two minutes
    /// later, a note was typed while it lasted, service came back at 17:49:58.
    @Test func theDrillReadsAsItHappened() {
        let failed: Double = 1_741_974_288  // 2025-03-14 17:44:48 UTC
        var log = Log(3)
        log.add(.opened, at: failed + 125, by: "watchbill", field: "P1", text: "ProbeDown: api is down")
        log.add(.detected, at: failed, by: "watchbill")
        log.add(.alerted, at: failed + 120, by: "watchbill")
        log.add(.acknowledged, at: failed + 150, by: "sam")
        log.add(.note, at: failed + 170, by: "sam", text: "503 from the upstream pool")
        log.add(.mitigationStarted, at: failed + 200, by: "sam")
        log.add(.restored, at: failed + 310, by: "sam")
        let text = Postmortem.markdown(log.incident, now: failed + 400)
        #expect(text.contains("- Duration: 5m10s, from detection to restored\n"))
        #expect(text.contains("**Owner:** sam\n"), "acknowledging is taking it")
        let timeline = text.split(separator: "\n", omittingEmptySubsequences: false).drop { $0 != "### Timeline" }.dropFirst().prefix { !$0.isEmpty }
        #expect(Array(timeline) == [
            "- 2025-03-14 17:44:48 UTC: Issue detected",
            "- 2025-03-14 17:46:48 UTC: Team alerted",
            "- 2025-03-14 17:46:53 UTC, watchbill: Opened as P1: ProbeDown: api is down",
            "- 2025-03-14 17:47:18 UTC: Acknowledged by sam",
            "- 2025-03-14 17:47:38 UTC, sam: Note: 503 from the upstream pool",
            "- 2025-03-14 17:48:08 UTC: Mitigation started by sam",
            "- 2025-03-14 17:49:58 UTC: Service restored by sam",
            "- _(to fill in)_: Root cause identified",
            "- _(to fill in)_: Permanent fix deployed",
            "- _(to fill in)_: Resolved",
        ])
        // Restored 51 s after detection is 51 s, not "0 minutes".
        var quick = Log(4)
        quick.add(.opened, at: failed, field: "P2", text: "blip")
        quick.add(.restored, at: failed + 51)
        #expect(Postmortem.markdown(quick.incident, now: failed + 100).contains("- Duration: 51s, from detection to restored\n"))
    }
}
