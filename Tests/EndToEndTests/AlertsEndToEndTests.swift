import Foundation
import Testing

/// The Alerts pane driven in a real terminal: a firing rule, its runbook, an
/// acknowledgement, a silence that survives a restart and is then expired, and
/// `watchbill alerts` reading what the dashboard saved.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct AlertsEndToEndTests {
    let rules = """
        groups:
          - name: demo
            interval: 1s
            rules:
              - alert: HostUp
                expr: node_load1 >= 0
                labels: {severity: P1}
                annotations: {summary: "the host answers, load {{ $value }}", runbook_url: host-up.md}
        """

    func home() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-alerts-e2e-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("watchbill/rules"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("watchbill/runbooks"), withIntermediateDirectories: true)
        try rules.write(to: dir.appendingPathComponent("watchbill/rules/demo.yml"), atomically: true, encoding: .utf8)
        try "## Alert: HostUp\n\n### What This Means\nA demo rule that always fires.\n"
            .write(to: dir.appendingPathComponent("watchbill/runbooks/host-up.md"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func acknowledgeSilenceRestartExpire() throws {
        let dir = try home()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "USER": "oncall"]
        let first = try TmuxSession.started(width: 100, height: 30, environment: env)
        var r = first.waitFor { $0.contains("P1 FIRING  HostUp: the host answers") }
        #expect(r.ok, "no banner:\n\(r.screen)")
        #expect(r.screen.contains("Alerts") && r.screen.contains("HostUp"), "no Alerts row:\n\(r.screen)")

        try first.send("A")
        try first.send("r")
        r = first.waitFor { $0.contains("Runbook: HostUp") && $0.contains("A demo rule that always fires.") }
        #expect(r.ok, "runbook not shown:\n\(r.screen)")
        try first.send("q")
        r = first.waitFor { !$0.contains("Runbook:") && $0.contains("sev state") }
        #expect(r.ok, "q did not close the runbook (or quit):\n\(r.screen)")

        try first.send("a")
        try first.sendLiteral("looking into it")
        try first.send("Enter")
        r = first.waitFor { $0.contains("acknowledged HostUp") && $0.contains("ACK") }
        #expect(r.ok, "acknowledgement not shown:\n\(r.screen)")

        try first.send("s")
        #expect(first.waitFor { $0.contains("mutes 1 active alert") }.ok)
        try first.sendLiteral("planned maintenance")
        try first.send("Enter")
        r = first.waitFor { $0.contains("saved, until") && !$0.contains("P1 FIRING") }
        #expect(r.ok, "silence not saved or banner still up:\n\(r.screen)")
        let journal = (try? String(contentsOf: dir.appendingPathComponent("watchbill/alert-actions.log"), encoding: .utf8)) ?? ""
        #expect(journal.contains("comment=\"planned maintenance\"") && journal.contains("createdBy=\"oncall\""), "\(journal)")
        #expect(journal.contains("ack ") && journal.contains("comment=\"looking into it\""), "\(journal)")

        // `watchbill alerts` reads what the dashboard saved: the P1 is silenced, so it does not page.
        let report = try runWatchbill(["alerts"], environment: env)
        #expect(report.out.contains("HostUp") && report.out.contains("[silenced ") && report.out.contains("[acked by oncall"),
                "\(report.out)")
        #expect(report.status != 2 && report.status != 3, "exit \(report.status): \(report.out)")
        // Scripts get the silence whole (who, why, until when, matchers) and the acknowledgement's time.
        let json = try runWatchbill(["alerts", "--format", "json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let alert = (object?["alerts"] as? [[String: Any]])?.first { $0["alertname"] as? String == "HostUp" }
        let silence = (alert?["silences"] as? [[String: Any]])?.first
        #expect(silence?["created_by"] as? String == "oncall" && silence?["comment"] as? String == "planned maintenance"
                && silence?["state"] as? String == "active" && (silence?["matchers"] as? String)?.contains("alertname=\"HostUp\"") == true
                && (silence?["ends_at_unix_seconds"] as? NSNumber) != nil, "\(json.out)")
        #expect((alert?["acknowledged_at_unix_seconds"] as? NSNumber) != nil && (object?["silences"] as? [Any])?.count == 1, "\(json.out)")
        // The shift report reads the history the dashboard wrote: the firing, the silence, the acknowledgement.
        let shift = try runWatchbill(["report", "--since", "1h"], environment: env)
        // The alert carries the job and instance a Prometheus scrape of this host would add.
        #expect(shift.out.contains("- HostUp: the host answers, load ") && shift.out.contains(" (P1) {instance=\"") && shift.out.contains("job=\"node\"}: fired once, at ")
                && shift.out.contains("; still firing"),
                "\(shift.out)")
        #expect(shift.out.contains("  - Silenced by oncall from ") && shift.out.contains(": \"planned maintenance\""), "\(shift.out)")
        #expect(shift.out.contains("  - Acknowledged by oncall at ") && shift.out.contains(": \"looking into it\""), "\(shift.out)")
        try first.send("q")
        #expect(first.waitForFile("exit") == "0")

        // The silence is still there after a restart, and expiring it brings the banner back.
        let second = try TmuxSession.started(width: 100, height: 30, environment: env)
        #expect(second.waitFor { $0.contains("CPU") }.ok)
        usleep(1_500_000)
        #expect(!second.screen().contains("P1 FIRING"), "silence lost in the restart:\n\(second.screen())")
        try second.send("A")
        try second.send("S")
        r = second.waitFor { $0.contains("Silences") && $0.contains("planned maintenance") && $0.contains("oncall") }
        #expect(r.ok, "silence not listed:\n\(r.screen)")
        try second.send("e")
        #expect(second.waitFor { $0.contains("y to expire") }.ok)
        try second.send("y")
        r = second.waitFor { $0.contains("expired") && $0.contains("P1 FIRING  HostUp") }
        #expect(r.ok, "expiry did not bring the banner back:\n\(r.screen)")
        try second.send("q")
        #expect(second.waitForFile("exit") == "0")
    }

    @Test func alertsCommandWithoutADashboardSaysUnknown() throws {
        let dir = try home()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path]
        let r = try runWatchbill(["alerts"], environment: env)
        #expect(r.status == 3)
        #expect(r.out.contains("UNKNOWN: no saved alerts; is watchbill running?"), "\(r.out)")
        let json = try runWatchbill(["alerts", "--format", "json"], environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        #expect(object?["stale"] as? Bool == true && (object?["alerts"] as? [Any])?.isEmpty == true, "\(json.out)")
    }

    @Test func runbookNewWritesTheTemplateOnce() throws {
        let dir = try home()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_CONFIG_HOME": dir.path]
        let made = try runWatchbill(["runbook", "new", "DiskSlow"], environment: env)
        #expect(made.status == 0, "\(made.err)")
        let path = dir.appendingPathComponent("watchbill/runbooks/DiskSlow.md")
        let text = (try? String(contentsOf: path, encoding: .utf8)) ?? ""
        for section in ["## Alert: DiskSlow", "### What This Means", "### Impact", "### Triage Steps", "### Common Causes",
                        "### Mitigation", "### Resources"] {
            #expect(text.contains(section), "\(section) missing:\n\(text)")
        }
        try "mine".write(to: path, atomically: true, encoding: .utf8)
        let again = try runWatchbill(["runbook", "new", "DiskSlow"], environment: env)
        #expect(again.status == 1 && again.err.contains("exists; not overwritten"))
        #expect((try? String(contentsOf: path, encoding: .utf8)) == "mine")
    }

    /// A wall display and an interactive dashboard on one account: the first holds the
    /// lock, the second says so in its log, and a silence made in one mutes the other.
    @Test func twoDashboardsShareSilences() throws {
        let dir = try home()
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["XDG_STATE_HOME": dir.path, "XDG_CONFIG_HOME": dir.path, "USER": "oncall"]
        let wall = try TmuxSession.started(width: 100, height: 30, arguments: "--wall", environment: env)
        #expect(wall.waitFor { $0.contains("P1 FIRING: ") }.ok)
        let desk = try TmuxSession.started(width: 100, height: 30, environment: env)
        #expect(desk.waitFor { $0.contains("P1 FIRING  HostUp") }.ok)
        try desk.send("A")
        try desk.send("s")
        try desk.sendLiteral("from the desk")
        try desk.send("Enter")
        #expect(desk.waitFor { $0.contains("saved, until") }.ok)
        let r = wall.waitFor { !$0.contains("P1 FIRING") && $0.contains("no P0 or P1 firing") }
        #expect(r.ok, "the wall display did not pick up the silence:\n\(r.screen)")
        try desk.send("q")
        #expect(desk.waitForFile("exit") == "0")
        try wall.send("C-c")
        #expect(wall.waitForFile("exit") != nil)
        let log = (try? String(contentsOf: dir.appendingPathComponent("watchbill/watchbill.log"), encoding: .utf8)) ?? ""
        #expect(log.contains("another watchbill (pid "), "\(log)")
    }
}
