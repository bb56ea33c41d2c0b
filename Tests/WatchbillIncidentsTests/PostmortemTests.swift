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
        #expect(text.contains("- Response: 20m from alert to acknowledgement (target 15m): missed\n"))
        #expect(text.contains("- Recovery: 1h05m from detection to restore (target 1h00m): missed\n"))
        #expect(text.contains("- Duration: 65 minutes\n"))
    }
}
