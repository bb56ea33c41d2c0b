import Testing
import WatchbillIncidents

struct HandoffTests {
    let since = t0 - hour  // 08:00
    let now = t0 + 7 * hour  // 16:00

    var incidents: [Incident] {
        var checkout = Log(50)
        checkout.add(.opened, at: t0 - 90 * minute, by: "bob", field: "P1", text: "Checkout API returning 502s")
        checkout.add(.acknowledged, at: t0 - 85 * minute, by: "bob")  // before the shift
        checkout.add(.note, at: t0 - 80 * minute, by: "bob", text: "Rolled back")  // before the shift
        checkout.add(.fieldSet, at: t0 - 70 * minute, by: "bob", field: "owner", text: "alice")
        checkout.add(.restored, at: t0 - 40 * minute)
        checkout.add(.note, at: t0 - 30 * minute, text: "Watching error rate")
        checkout.add(.note, at: t0 + 6 * hour + 40 * minute, by: "bob", text: "Waiting for the vendor's fix")

        var search = Log(51)
        search.add(.opened, at: t0 + 5 * hour, by: "carol", field: "P3", text: "Slow search on admin page")
        search.add(.acknowledged, at: t0 + 5 * hour + 5 * minute, by: "carol")

        var disk = Log(49)
        disk.add(.opened, at: t0, field: "P2", text: "Disk full on db-2")
        // Written during the shift, about the night before: still news.
        disk.add(.note, at: t0 - 10 * hour, written: t0 + hour, text: "Cleared WAL archive")
        disk.add(.resolved, at: t0 + 2 * hour + 15 * minute)

        var old = Log(40)
        old.add(.opened, at: t0 - 30 * hour, field: "P2", text: "Old")
        old.add(.note, at: t0 - 29 * hour, text: "Old news")
        old.add(.resolved, at: t0 - 28 * hour)

        return [search.incident, disk.incident, checkout.incident, old.incident]
    }

    let alerts = [
        HandoffAlert(name: "HighLatency", severity: "warning", labels: "service=\"api\"",
                     firings: [.init(firedAt: t0 + 6 * hour, endedAt: nil)]),
        HandoffAlert(name: "ProbeDown", severity: "P1", labels: "probe=\"api\"",
                     firings: [.init(firedAt: t0, endedAt: t0 + 5 * minute), .init(firedAt: t0 + hour, endedAt: t0 + hour + 150)],
                     silences: [.init(by: "alice", at: t0 + minute, until: t0 + 31 * minute, comment: "deploy")],
                     acknowledgements: [.init(by: "bob", at: t0 + hour + minute, comment: "on it")]),
        // Began before the shift: only its half hour inside counts.
        HandoffAlert(name: "DiskFull", severity: "P2", firings: [.init(firedAt: t0 - 2 * hour, endedAt: t0 - 30 * minute)]),
        HandoffAlert(name: "CertExpiry", severity: "info", pendingSince: t0 + 6 * hour + 30 * minute),
    ]

    @Test func theReport() {
        let report = Handoff.markdown(incidents: incidents, since: since, now: now, alerts: alerts)
        #expect(report == """
            # Shift handoff
            Shift: 2025-03-14 08:00:00 UTC to 2025-03-14 16:00:00 UTC (8h00m)

            ## Open incidents
            - #50 P1 Checkout API returning 502s: mitigated, stage mitigation, owner alice, open 8h30m
              - Last note (2025-03-14 15:40:00 UTC, bob): Waiting for the vendor's fix
            - #51 P3 Slow search on admin page: investigating, stage assessment, owner carol, open 2h00m
              - No notes

            ## What fired
            - DiskFull (P2): fired once, at 2025-03-14 07:00:00 UTC; firing 30m00s in the shift; resolved at 2025-03-14 08:30:00 UTC
            - ProbeDown (P1) {probe="api"}: fired 2 times, first at 2025-03-14 09:00:00 UTC, last at 2025-03-14 10:00:00 UTC; firing 7m30s in the shift; resolved at 2025-03-14 10:02:30 UTC
              - Silenced by alice from 2025-03-14 09:01:00 UTC to 2025-03-14 09:31:00 UTC: "deploy"
              - Acknowledged by bob at 2025-03-14 10:01:00 UTC: "on it"
            - HighLatency (warning) {service="api"}: fired once, at 2025-03-14 15:00:00 UTC; firing 1h00m00s in the shift; still firing
            - CertExpiry (info): pending since 2025-03-14 15:30:00 UTC (30m), has not fired

            ## Acknowledged
            - Alert ProbeDown (P1) {probe="api"}: by bob at 2025-03-14 10:01:00 UTC: "on it"
            - Incident #51 P3 Slow search on admin page: by carol at 2025-03-14 14:05:00 UTC

            ## Notes since the shift began

            ### #50 P1 Checkout API returning 502s
            - 2025-03-14 08:30:00 UTC, alice: Watching error rate
            - 2025-03-14 15:40:00 UTC, bob: Waiting for the vendor's fix

            ### #49 P2 Disk full on db-2
            - 2025-03-13 23:00:00 UTC, alice: Cleared WAL archive

            ## Resolved during the shift
            - #49 P2 Disk full on db-2: resolved 2025-03-14 11:15:00 UTC by alice, after 2h15m

            """)
    }

    @Test func aQuietShift() {
        let report = Handoff.markdown(incidents: [], since: since, now: now, alerts: [])
        #expect(report.split(separator: "\n").filter { $0 == "- None" }.count == 5)
    }

    @Test func theLastResolutionCounts() {
        var log = Log(60)
        log.add(.opened, at: t0 - 5 * hour, field: "P2", text: "Flapping")
        log.add(.resolved, at: t0 - 4 * hour)
        log.add(.statusChanged, at: t0 + hour, by: "bob", field: "investigating")
        log.add(.statusChanged, at: t0 + 2 * hour, by: "bob", field: "resolved")
        let report = Handoff.markdown(incidents: [log.incident], since: since, now: now, alerts: [])
        #expect(report.contains("- #60 P2 Flapping: resolved 2025-03-14 11:00:00 UTC by bob, after 7h00m\n"))
    }
}
