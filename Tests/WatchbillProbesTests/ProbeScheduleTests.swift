import Testing
@testable import WatchbillProbes

struct ProbeScheduleTests {
    @Test func offsetsSpreadWithinTheIntervalAndSurviveRestarts() {
        let names = (0..<100).map { "target-\($0)" }
        let a = ProbeSchedule(names: names, intervals: Array(repeating: 1, count: 100), now: 10)
        let b = ProbeSchedule(names: names, intervals: Array(repeating: 1, count: 100), now: 10)
        var s = a
        let first = s.due(at: 11)
        #expect(first.count == 100)
        var t = b
        #expect(t.due(at: 11).map(\.probe) == first.map(\.probe))
        // Spread: not all in the same tenth of a second.
        var u = a
        #expect(u.due(at: 10.1).count < 30)
    }

    @Test func eachProbeKeepsItsOwnPeriod() {
        var s = ProbeSchedule(names: ["a", "b"], intervals: [1, 3], now: 0)
        var counts = [0, 0]
        var t = 0.0
        while t < 30 {
            t += 0.05
            for d in s.due(at: t) { counts[d.probe] += 1 }
        }
        #expect(counts[0] >= 29 && counts[0] <= 30)
        #expect(counts[1] >= 9 && counts[1] <= 10)
        #expect(s.missed == 0)
    }

    @Test func aStalledRunnerSkipsInsteadOfBursting() {
        var s = ProbeSchedule(names: ["a"], intervals: [1], now: 0)
        _ = s.due(at: 1)
        let late = s.due(at: 5.5)
        #expect(late.count == 1)
        #expect(late[0].lag > 3)
        #expect(s.missed >= 3)
        #expect((s.nextDue ?? 0) > 5.5 && (s.nextDue ?? 0) <= 6.5)
    }

    @Test func certificateDatesParse() {
        #expect(CertificateDate.parse("Jan  2 03:04:05 2027 GMT") == 1_798_859_045)
        #expect(CertificateDate.parse("Feb 29 00:00:00 2028 GMT") == 1_835_395_200)
        #expect(CertificateDate.parse("garbage") == nil)
    }
}
