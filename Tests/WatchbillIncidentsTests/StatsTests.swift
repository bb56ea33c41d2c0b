import Testing
import WatchbillIncidents

struct StatsTests {
    /// An incident detected at `detected` minutes after t0, with the other moments in
    /// minutes after detection (nil: not recorded).
    func incident(_ id: Int64, _ severity: String, detected: Double, alerted: Double? = nil, ack: Double? = nil,
                  mitigation: Double? = nil, restored: Double? = nil) -> Incident {
        var log = Log(id)
        let d = t0 + detected * minute
        log.add(.opened, at: d, field: severity, text: "incident \(id)")
        if let alerted { log.add(.alerted, at: d + alerted * minute) }
        if let ack { log.add(.acknowledged, at: d + ack * minute) }
        if let mitigation { log.add(.mitigationStarted, at: d + mitigation * minute) }
        if let restored { log.add(.restored, at: d + restored * minute) }
        return log.incident
    }

    var incidents: [Incident] {
        [
            // Acknowledge 3, mitigate 13, restore 48.
            incident(1, "P1", detected: 0, alerted: 1, ack: 4, mitigation: 13, restored: 48),
            // Acknowledge 20 (from detection: no page), restore 90.
            incident(2, "P0", detected: 60, ack: 20, restored: 90),
            // Acknowledge 5, mitigate 40, restore 30 (restored by itself before mitigation).
            incident(3, "P1", detected: 120, alerted: 0, ack: 5, mitigation: 40, restored: 30),
            // Acknowledge 10, still open.
            incident(4, "P2", detected: 180, alerted: 2, ack: 12),
            // Not acknowledged yet.
            incident(5, "P2", detected: 240),
            // Outside the period on either side.
            incident(6, "P0", detected: -10, ack: 500, restored: 900),
            incident(7, "P3", detected: 24 * 60, ack: 1, restored: 2),
        ]
    }

    @Test func mediansAndP90ByHand() {
        let s = IncidentStats.summarize(incidents, from: t0, to: t0 + 24 * hour)
        #expect(s.total == 5)
        #expect(s.bySeverity == [.p0: 1, .p1: 2, .p2: 2, .p3: 0])
        // Acknowledge: 3, 5, 10, 20 min → median (5 + 10) / 2 = 7.5 min; p90 rank ⌈3.6⌉ = 4 → 20 min.
        #expect(s.acknowledge == IncidentStats.Measure([180, 1200, 300, 600], target: 900))
        #expect(s.acknowledge.count == 4)
        #expect(s.acknowledge.median == 450)
        #expect(s.acknowledge.p90 == 1200)
        #expect(s.acknowledge.withinTarget == 0.75)
        // Mitigate: 13, 40 → median 26.5 min; p90 rank ⌈1.8⌉ = 2 → 40 min; no target.
        #expect(s.mitigate.count == 2 && s.mitigate.median == 1590 && s.mitigate.p90 == 2400)
        #expect(s.mitigate.withinTarget == nil)
        // Restore: 30, 48, 90 → median 48 min; p90 rank ⌈2.7⌉ = 3 → 90 min; 2 of 3 within 1 h.
        #expect(s.restore.count == 3 && s.restore.median == 2880 && s.restore.p90 == 5400)
        #expect(s.restore.withinTarget == 2.0 / 3)
    }

    @Test func nearestRankAndTheTargetBoundary() {
        let ten = IncidentStats.Measure((1...10).map { Double($0) * 60 }, target: 900)
        #expect(ten.p90 == 540 && ten.median == 330)
        let eleven = IncidentStats.Measure((1...11).map { Double($0) * 60 })
        #expect(eleven.p90 == 600 && eleven.median == 360)  // rank ⌈9.9⌉ = 10
        #expect(IncidentStats.Measure([900, 901], target: 900).withinTarget == 0.5)
        let none = IncidentStats.Measure([], target: 900)
        #expect(none.count == 0 && none.median == nil && none.p90 == nil && none.withinTarget == nil)
    }

    @Test func markdown() {
        let s = IncidentStats.summarize(incidents, from: t0, to: t0 + 24 * hour)
        #expect(s.markdown() == """
            ## Incidents, 2025-03-14 09:00:00 UTC to 2025-03-15 09:00:00 UTC
            - Incidents detected: 5 (P0: 1, P1: 2, P2: 2, P3: 0)

            | Time to | Count | Median | p90 | Within target |
            |---|---:|---:|---:|---:|
            | Acknowledge | 4 | 7m | 20m | 75% (15m) |
            | Mitigate | 2 | 26m | 40m | - |
            | Restore | 3 | 48m | 1h30m | 67% (1h00m) |

            """)
        let empty = IncidentStats.summarize([], from: t0, to: t0 + hour)
        #expect(empty.markdown(timeZoneOffsetSeconds: 3600).contains("| Restore | 0 | - | - | - |"))
        #expect(empty.markdown(timeZoneOffsetSeconds: 3600).hasPrefix("## Incidents, 2025-03-14 10:00:00 +01:00 to"))
    }
}
