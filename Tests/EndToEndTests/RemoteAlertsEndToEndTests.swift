import Foundation
import LoopbackServers
import Testing

/// The Alerts pane beside Debian's real Prometheus and Alertmanager: Prometheus' firing
/// and pending alerts marked PROM (its P1 on the banner), Alertmanager's alert muted by the
/// silence made there, an alert both hold shown once, and a source that does not answer.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")
                             && FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus-alertmanager"),
                             "tmux, prometheus and prometheus-alertmanager are needed"))
struct RemoteAlertsEndToEndTests {
    /// A POST through python3's urllib: the status.
    static func post(_ url: String, json: String) throws -> Int {
        let script = """
            import sys, urllib.request
            req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={"Content-Type": "application/json"})
            print(urllib.request.urlopen(req, timeout=5).status)
            """
        return Int(try runProgram("/usr/bin/env", ["python3", "-c", script, url, json]).out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @Test func prometheusAndAlertmanagerAlertsBesideLocalOnes() throws {
        let home = try TestHome("remote-alerts")
        defer { home.remove() }
        let promPort = unusedLoopbackPort(), amPort = unusedLoopbackPort()
        try home.write("rules.yml", """
            groups:
              - name: demo
                interval: 1s
                rules:
                  - alert: DiskFilling
                    expr: vector(1)
                    labels: {severity: P1, instance: "web-01:9100"}
                    annotations: {summary: "the disk on web-01 fills"}
                  - alert: SlowBurn
                    expr: vector(0.5)
                    for: 1h
                    labels: {severity: P3}
            """)
        try home.write("prometheus.yml", """
            global: {evaluation_interval: 1s}
            rule_files: [\(home.dir.appendingPathComponent("rules.yml").path)]
            """)
        try home.write("am.yml", "route: {receiver: none}\nreceivers: [{name: none}]\n")
        let prometheus = try AgentEndToEndTests.startPrometheus(home, port: promPort)
        defer { prometheus.terminate(); prometheus.waitUntilExit() }
        let am = try AgentEndToEndTests.start("/usr/bin/prometheus-alertmanager", [
            "--config.file=" + home.dir.appendingPathComponent("am.yml").path,
            "--storage.path=" + home.dir.appendingPathComponent("am").path,
            "--web.listen-address=127.0.0.1:\(amPort)", "--cluster.listen-address="])
        defer { am.terminate(); am.waitUntilExit() }
        // Alertmanager holds an alert of its own (as a Prometheus elsewhere would send it), silenced there.
        var status = 0
        for _ in 0..<40 {
            status = (try? Self.post("http://127.0.0.1:\(amPort)/api/v2/alerts", json: """
                [{"labels": {"alertname": "BackupFailed", "severity": "P2", "instance": "db-01:9100"},
                  "annotations": {"summary": "last night's backup failed"}}]
                """)) ?? 0
            if status == 200 { break }
            usleep(250_000)
        }
        #expect(status == 200)
        #expect(try Self.post("http://127.0.0.1:\(amPort)/api/v2/silences", json: """
            {"matchers": [{"name": "alertname", "value": "BackupFailed", "isRegex": false, "isEqual": true}],
             "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z", "createdBy": "oncall", "comment": "restore tested"}
            """) == 200)

        let s = try TmuxSession.started(width: 130, height: 36,
                                        arguments: "--prometheus http://127.0.0.1:\(promPort) --alertmanager 127.0.0.1:\(amPort)",
                                        environment: home.env)
        // --prometheus makes the fleet table the home screen; A shows every alert.
        try s.send("A")
        var r = s.waitFor(seconds: 20) { screen in
            screen.contains("P1 FIRING  DiskFilling: the disk on web-01 fills")
                && screen.split(separator: "\n").contains { $0.contains("DiskFilling") && $0.contains("PROM") }
                && screen.split(separator: "\n").contains { $0.contains("SlowBurn") && $0.contains("pending") && $0.contains("PROM") }
                && screen.contains("1 silenced")
        }
        #expect(r.ok, "Prometheus' alerts are not on the screen:\n\(r.screen)")
        // The silenced one shows with m, muted and marked as Alertmanager's.
        try s.send("m")
        r = s.waitFor { screen in screen.split(separator: "\n").contains { $0.contains("BackupFailed") && $0.contains("SIL AM") } }
        #expect(r.ok, "Alertmanager's silenced alert is not shown by m:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")

        // A source that does not answer says so in the Alerts pane.
        let down = try TmuxSession.started(width: 130, height: 36, arguments: "--alertmanager 127.0.0.1:\(unusedLoopbackPort())",
                                           environment: home.env)
        try down.send("A")
        r = down.waitFor(seconds: 15) { $0.contains("1 source down") || $0.contains(": refused") }
        #expect(r.ok, "a dead Alertmanager is not reported:\n\(r.screen)")
        try down.send("q")
        #expect(down.waitForFile("exit") == "0")
        #expect(home.file("watchbill/watchbill.log").contains("refused"))
    }

    /// A silence made here on Alertmanager's alert is created in Alertmanager, which then
    /// mutes it there too.
    @Test func aSilenceMadeHereOnARemoteAlertReachesAlertmanager() throws {
        let am = try LoopbackAlertmanager()
        #expect(am.get("/-/ready") != nil)
        let home = try TestHome("remote-silence")
        defer { home.remove() }
        try home.write("watchbill/config.yaml", "notify:\n  alertmanager:\n    url: \(am.url)\n")
        var pushed = 0
        for _ in 0..<40 where pushed != 200 {
            pushed = (try? Self.post(am.url + "/api/v2/alerts", json: """
                [{"labels": {"alertname": "BackupFailed", "severity": "P0", "instance": "db-01:9100"},
                  "annotations": {"summary": "last night's backup failed"}}]
                """)) ?? 0
            if pushed != 200 { usleep(250_000) }
        }
        #expect(pushed == 200)
        let s = try TmuxSession.started(width: 130, height: 36, arguments: "--node 127.0.0.1:\(unusedLoopbackPort()) --alertmanager \(am.url)",
                                        environment: home.env)
        try s.send("A")
        var r = s.waitFor(seconds: 15) { screen in
            screen.split(separator: "\n").contains { $0.contains("BackupFailed") && $0.contains(" AM") && !$0.contains("SIL") }
        }
        #expect(r.ok, "the remote P0 is not listed:\n\(r.screen)")
        // The P0 sorts first: silence it here.
        try s.send("s")
        try s.sendLiteral("restore tested, see ticket 42")
        try s.send("Enter")
        let silences = am.waitFor("/api/v2/silences") { $0.contains("restore tested, see ticket 42") }
        #expect(silences?.contains("\"value\":\"BackupFailed\"") == true, "\(silences ?? "no silence reached Alertmanager")")
        // Alertmanager now mutes it as well; the row says so.
        r = s.waitFor(seconds: 15) { screen in
            screen.split(separator: "\n").contains { $0.contains("BackupFailed") && $0.contains("SIL AM") } || screen.contains("1 silenced")
        }
        #expect(r.ok, "the silenced remote alert is not muted:\n\(r.screen)")
        try s.send("q")
        #expect(s.waitForFile("exit") == "0")
    }
}
