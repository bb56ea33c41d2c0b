import Testing
import WatchbillIncidents

struct FormatTests {
    @Test func durations() {
        #expect(IncidentFormat.duration(0) == "0s")
        #expect(IncidentFormat.duration(59.9) == "59s")
        #expect(IncidentFormat.duration(12 * 60 + 59) == "12m")
        #expect(IncidentFormat.duration(3600) == "1h00m")
        #expect(IncidentFormat.duration(65 * 60) == "1h05m")
        #expect(IncidentFormat.duration(23 * 3600 + 59 * 60) == "23h59m")
        #expect(IncidentFormat.duration(2 * 86400 + 3 * 3600 + 40 * 60) == "2d03h")
        #expect(IncidentFormat.duration(-90) == "-1m")
    }

    // Unix times computed independently (Python's calendar.timegm).
    @Test func datesWithoutFoundation() {
        #expect(IncidentFormat.dateTime(0) == "1970-01-01 00:00:00 UTC")
        #expect(IncidentFormat.dateTime(-60) == "1969-12-31 23:59:00 UTC")
        #expect(IncidentFormat.dateTime(-0.5) == "1969-12-31 23:59:59 UTC")
        #expect(IncidentFormat.dateTime(1_709_251_140 + 59.9) == "2024-02-29 23:59:59 UTC")
        #expect(IncidentFormat.dateTime(951_868_800) == "2000-03-01 00:00:00 UTC")
        #expect(IncidentFormat.dateTime(t0) == "2025-03-14 09:00:00 UTC")
        #expect(IncidentFormat.dateTime(t0, offsetSeconds: 19_800) == "2025-03-14 14:30:00 +05:30")
        #expect(IncidentFormat.dateTime(t0, offsetSeconds: -10 * 3600) == "2025-03-13 23:00:00 -10:00")
        #expect(IncidentFormat.dateTime(951_868_800, offsetSeconds: -3600) == "2000-02-29 23:00:00 -01:00")
    }

    @Test func exactDurationsKeepEverySecond() {
        #expect(IncidentFormat.exactDuration(51) == "51s")
        #expect(IncidentFormat.exactDuration(0) == "0s")
        // The drill's outage, 17:44:48 to 17:49:58: not "3 minutes".
        #expect(IncidentFormat.exactDuration(5 * 60 + 10) == "5m10s")
        #expect(IncidentFormat.exactDuration(3600) == "1h00m00s")
        #expect(IncidentFormat.exactDuration(2 * 86400 + 3 * 3600 + 5 * 60 + 9) == "2d03h05m09s")
        #expect(IncidentFormat.exactDuration(-61) == "-1m01s")
        #expect(IncidentFormat.exactDuration(.nan) == "?")
    }

    @Test func percentages() {
        #expect(IncidentFormat.percent(4.5) == "4.5%")
        #expect(IncidentFormat.percent(12) == "12%")
        #expect(IncidentFormat.percent(0.25) == "0.25%")
        #expect(IncidentFormat.percent(0.05) == "0.05%")
        #expect(IncidentFormat.percent(66.666) == "66.67%")
        #expect(IncidentFormat.percent(100) == "100%")
    }
}
