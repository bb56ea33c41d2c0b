import Testing
@testable import WatchbillRules

/// The history a shift report is read from: what it keeps, and what it says of a period.
@Suite struct AlertHistoryTests {
    let t0 = 1_764_600_000.0
    let api = Labels(["alertname": "ProbeDown", "severity": "P1", "probe": "api"])
    let disk = Labels(["alertname": "DiskFull", "severity": "P2", "mountpoint": "/var"])

    func change(_ labels: Labels, _ from: AlertPhase?, _ to: AlertPhase?, _ at: Double) -> AlertHistoryEntry {
        .transition(AlertTransition(labels: labels, from: from, to: to, at: at))
    }

    /// ProbeDown fired twice in the hour (the drill's report listed it not at all), was
    /// silenced during the first and acknowledged during the second.
    var drill: [AlertHistoryEntry] {
        let silence = Silence(id: "ab12cd34", matchers: Silence.matchers(for: api), startsAt: t0 + 60, endsAt: t0 + 3600,
                              createdBy: "alice", comment: "deploy, \"planned\"")
        return [
            change(api, nil, .pending, t0 - 120), change(api, .pending, .firing, t0),
            .action(.silence(silence)),
            change(api, .firing, .resolved, t0 + 300), change(api, .resolved, nil, t0 + 1200),
            .action(.expire(id: "ab12cd34", at: t0 + 600)),
            change(api, nil, .pending, t0 + 1800), change(api, .pending, .firing, t0 + 1920),
            .action(.acknowledge(Acknowledgement(labels: api, by: "bob", comment: "on it", at: t0 + 1950))),
            change(disk, nil, .pending, t0 - 7200), change(disk, .pending, .firing, t0 - 7000),
        ]
    }

    @Test func everyEntryRoundTripsThroughItsLine() {
        let text = drill.map { AlertHistoryJournal.encode($0) + "\n" }.joined()
        let (entries, problems) = AlertHistoryJournal.decode(text)
        #expect(problems.isEmpty)
        #expect(entries == drill)
        #expect(text.hasPrefix("alert at=\"1764599880.0\",from=\"\",to=\"pending\",labels=\""))
    }

    @Test func aTornOrForeignLineIsReportedByNumberAndTheRestKept() {
        let good = AlertHistoryJournal.encode(drill[1])
        let text = "\(good)\nalert at=\"x\",from=\"\",to=\"firing\",labels=\"\"\nalert at=\"1\",from=\"lost\",to=\"\",labels=\"a=\\\"b\\\"\"\n"
            + "alert at=\"12\nsomething else\n\(good)"
        let (entries, problems) = AlertHistoryJournal.decode(text)
        #expect(entries == [drill[1], drill[1]])
        #expect(problems.map(\.line) == [2, 3, 4, 5])
        #expect(problems[0].cause == "alert: bad or missing at" && problems[1].cause == "alert: bad from 'lost'")
    }

    @Test func thePeriodListsEveryFiringWithItsSilenceAndAcknowledgement() {
        let fired = AlertFirings.during(drill, from: t0 - 600, to: t0 + 3600)
        #expect(fired.map(\.name) == ["ProbeDown", "DiskFull"])
        let probe = fired[0]
        #expect(probe.episodes == [.init(firedAt: t0, endedAt: t0 + 300), .init(firedAt: t0 + 1920, endedAt: nil)])
        #expect(probe.stillFiring)
        #expect(probe.firingSeconds(from: t0 - 600, to: t0 + 3600) == 300 + 1680)
        // The silence as it ended: expired early, at t0 + 600.
        #expect(probe.silences.map(\.id) == ["ab12cd34"] && probe.silences[0].endsAt == t0 + 600)
        #expect(probe.acknowledgements.map(\.by) == ["bob"])
        // Fired before the period and still firing: it counts, for the part inside.
        #expect(fired[1].episodes == [.init(firedAt: t0 - 7000, endedAt: nil)])
        #expect(fired[1].firingSeconds(from: t0 - 600, to: t0 + 3600) == 4200)
        #expect(fired[1].silences.isEmpty)
    }

    @Test func aPeriodAfterAFiringEndedLeavesItOutAndAPendingNeverCounts() {
        let later = AlertFirings.during(drill, from: t0 + 400, to: t0 + 1900)
        // ProbeDown's first firing ended at +300 and the second fired at +1920: only DiskFull.
        #expect(later.map(\.name) == ["DiskFull"])
        let pendingOnly = [change(api, nil, .pending, t0), change(api, .pending, nil, t0 + 30)]
        #expect(AlertFirings.during(pendingOnly, from: t0 - 60, to: t0 + 60).isEmpty)
    }

    @Test func aFiringWithNoEndWrittenEndsWhereTheNextBegins() {
        // Killed while firing; after the restart it fired again as new.
        let history = [change(api, .pending, .firing, t0), change(api, .pending, .firing, t0 + 900)]
        let fired = AlertFirings.during(history, from: t0, to: t0 + 1000)
        #expect(fired.first?.episodes == [.init(firedAt: t0, endedAt: t0 + 900), .init(firedAt: t0 + 900, endedAt: nil)])
    }

    @Test func aSilenceMadeBeforeTheHistoryComesFromTheJournal() {
        let old = Silence(id: "0ld", matchers: [try! LabelMatcher("alertname", .equal, "DiskFull")], startsAt: t0 - 90_000,
                          endsAt: t0 + 90_000, createdBy: "carol", comment: "until the new disk")
        let fired = AlertFirings.during(drill, from: t0 - 600, to: t0 + 3600, actions: AlertActions([.silence(old)]))
        #expect(fired[1].silences.map(\.createdBy) == ["carol"])
        #expect(fired[0].silences.map(\.id) == ["ab12cd34"])
    }
}
