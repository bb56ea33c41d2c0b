import Foundation
import Testing
@testable import WatchbillFleet
import WatchbillCore

/// Answers captured from Debian's Prometheus 2.42 (one firing, one pending alert) and
/// Alertmanager 0.25 (the firing one, silenced there), and what is not such an answer.
@Suite struct RemoteAlertsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func fixture(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: fixtures.appendingPathComponent(name))) }

    @Test func prometheusAlerts() throws {
        let alerts = try RemoteAlertsReader.prometheus(try Self.fixture("prometheus-2.42-alerts.json"), source: AlertOrigin(.prometheus, "127.0.0.1:9090"))
        #expect(alerts.count == 2)
        let disk = try #require(alerts.first { $0.name == "DiskFilling" })
        #expect(disk.state == .firing && disk.value == 1 && disk.labels["instance"] == "web-01:9100" && disk.labels["severity"] == "P1")
        #expect(disk.annotations["summary"] == "the disk fills \"fast\"")
        // 2026-12-01T23:55:19.818325278Z
        #expect(abs(disk.activeAt! - 1_796_169_319.818325278) < 1e-6)
        let slow = try #require(alerts.first { $0.name == "SlowBurn" })
        #expect(slow.state == .pending && slow.value == 0.5 && slow.suppressedBy == nil)
    }

    @Test func alertmanagerAlertsWithTheirSilence() throws {
        let alerts = try RemoteAlertsReader.alertmanager(try Self.fixture("alertmanager-0.25-alerts.json"), source: AlertOrigin(.alertmanager, "127.0.0.1:9093"))
        #expect(alerts.count == 1)
        #expect(alerts[0].name == "DiskFilling" && alerts[0].state == .firing)
        #expect(alerts[0].suppressedBy == "silenced in Alertmanager (a0b94276-744c-4dc4-af1b-5fa07f405563)")
        #expect(alerts[0].activeAt == 1_796_169_319.818)
    }

    @Test func whatIsNotAnAnswerIsSaidSo() {
        #expect(throws: RemoteAlertsReader.Failure(description: "not Prometheus' alerts API answer (not JSON)")) {
            try RemoteAlertsReader.prometheus(Array("<html>".utf8), source: AlertOrigin(.prometheus, "p"))
        }
        #expect(throws: RemoteAlertsReader.Failure(description: "Prometheus said error: bad_data")) {
            try RemoteAlertsReader.prometheus(Array(#"{"status":"error","error":"bad_data"}"#.utf8), source: AlertOrigin(.prometheus, "p"))
        }
        #expect(throws: RemoteAlertsReader.Failure(description: "not Alertmanager's v2 alerts answer (unexpected type at )")) {
            try RemoteAlertsReader.alertmanager(Array(#"{"status":"success"}"#.utf8), source: AlertOrigin(.alertmanager, "a"))
        }
    }

    @Test func rfc3339() {
        #expect(RFC3339Reader.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339Reader.seconds("2000-03-01T00:00:00Z") == 951_868_800)
        #expect(RFC3339Reader.seconds("2026-12-01T23:55:19.5+01:00") == 1_796_165_719.5)
        #expect(RFC3339Reader.seconds("2026-12-01 23:55:19Z") == 1_796_169_319)
        for bad in ["", "2026-13-01T00:00:00Z", "2026-12-01T00:00:00", "2026-12-01T00:00:00Zjunk", "yesterday"] {
            #expect(RFC3339Reader.seconds(bad) == nil, "\(bad)")
        }
    }
}
