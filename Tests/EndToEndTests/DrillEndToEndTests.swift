import Foundation
import Testing

/// A loopback service whose `/health` answers 503 while `broken` exists in its directory,
/// 200 otherwise: a failure the drill can start and end.
final class SwitchableService {
    let port: Int
    let dir: URL
    private let pid: pid_t
    private let pipe: UnsafeMutablePointer<FILE>

    init(dir: URL) throws {
        self.dir = dir
        let script = """
            import http.server, os, sys
            flag = sys.argv[1]
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    code = 503 if os.path.exists(flag) else 200
                    self.send_response(code); self.send_header("Content-Length", "2"); self.end_headers()
                    self.wfile.write(b"no" if code == 503 else b"ok")
                def log_message(self, *a): pass
            s = http.server.HTTPServer(("127.0.0.1", 0), H)
            print("port", s.server_address[1], os.getpid(), flush=True)
            # Ends with the test that started it: an orphan would hold the test runner's pipes.
            parent = os.getppid()
            s.timeout = 0.5
            while os.getppid() == parent:
                s.handle_request()
            """
        try script.write(to: dir.appendingPathComponent("service.py"), atomically: true, encoding: .utf8)
        pipe = try #require(popen("exec python3 '\(dir.path)/service.py' '\(dir.path)/broken'", "r"))
        var line = [CChar](repeating: 0, count: 256)
        try #require(fgets(&line, Int32(line.count), pipe) != nil, "the drill's service did not start (python3)")
        let words = String(cString: line).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        port = try #require(Int(words[1]))
        pid = try #require(pid_t(words[2]))
    }

    deinit {
        // KILL: the test thread may block TERM, and a child inherits the mask.
        kill(pid, SIGKILL)
        pclose(pipe)
    }

    func breakIt() { FileManager.default.createFile(atPath: dir.appendingPathComponent("broken").path, contents: nil) }
    func fix() { try? FileManager.default.removeItem(at: dir.appendingPathComponent("broken")) }
}

/// The on-call drill, start to finish, as a responder runs it: a service fails, its alert
/// fires, an incident is opened from the alert, acknowledged, noted and mitigated; the
/// dashboard restarts while the alert fires; the service comes back and the incident is
/// restored, resolved and exported. Then the shift report and the postmortem are read
/// for every alert and note, with their times.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed; end-to-end tests need it"))
struct DrillEndToEndTests {
    @Test func theWholeDrill() throws {
        let home = try TestHome("drill")
        defer { home.remove() }
        let service = try SwitchableService(dir: home.dir)
        try home.write("watchbill/config.yaml", """
            probes:
              - name: api
                http: {url: "http://127.0.0.1:\(service.port)/health"}
                interval: 1s
            """)
        try home.write("watchbill/rules/drill.yml", """
            groups:
              - name: drill
                interval: 1s
                rules:
                  - alert: APIFailing
                    expr: probe_success{probe="api"} == 0
                    for: 3s
                    labels: {severity: P1}
                    annotations: {summary: "{{ $labels.probe }} answers errors"}
            """)
        let env = home.env
        let first = try TmuxSession.started(width: 120, height: 36, environment: env)
        #expect(first.waitFor { $0.contains("Latency") && $0.contains("api") && $0.contains("UP") }.ok, "\(first.screen())")

        // The failure, and the page.
        let brokeAt = Date().timeIntervalSince1970
        service.breakIt()
        var r = first.waitFor(seconds: 20) { $0.contains("P1 FIRING  APIFailing") }
        #expect(r.ok, "the alert did not fire:\n\(r.screen)")

        // From the alert to an incident, in three keys.
        try first.send("A")
        try first.send("i")
        #expect(first.waitFor { $0.contains("New incident") && $0.contains("APIFailing: api answers errors") }.ok)
        try first.send("Enter")
        r = first.waitFor { $0.contains("#1 P1  APIFailing") && $0.contains("incident 1 opened") }
        #expect(r.ok, "no incident:\n\(r.screen)")
        try first.send("a")
        #expect(first.waitFor { $0.contains("acknowledge incident 1") }.ok)
        try first.send("y")
        r = first.waitFor { $0.contains("owner oncall") && $0.contains("Acknowledged") }
        #expect(r.ok, "acknowledging did not make an owner:\n\(r.screen)")
        try first.send("n")
        try first.sendLiteral("upstream pool returns 503, restarting it")
        try first.send("Enter")
        #expect(first.waitFor { $0.contains("Note: upstream pool returns 503") }.ok)
        try first.send("m")
        try first.send("y")
        #expect(first.waitFor { $0.contains("Mitigation started") }.ok)

        // Restart while it fires: the alert stays, with its age, and is not new again.
        try first.send("q")
        #expect(first.waitForFile("exit") == "0")
        let logBefore = home.file("watchbill/watchbill.log")
        let second = try TmuxSession.started(width: 120, height: 36, environment: env)
        r = second.waitFor { $0.contains("P1 FIRING  APIFailing") }
        #expect(r.ok, "the restored alert is not paging:\n\(r.screen)")

        // The service comes back; the alert resolves; the incident is closed and exported.
        usleep(2_000_000)
        let beforeFix = home.file("watchbill/watchbill.log")
        service.fix()
        r = second.waitFor(seconds: 20) { !$0.contains("P1 FIRING") }
        #expect(r.ok, "the alert did not resolve:\n\(r.screen)")
        try second.send("I")
        try second.send("Enter")
        #expect(second.waitFor { $0.contains("#1 P1  APIFailing") }.ok)
        try second.send("R")
        try second.send("y")
        #expect(second.waitFor { $0.contains("Service restored") }.ok)
        try second.send("s")
        try second.sendLiteral("r")
        try second.send("Enter")
        #expect(second.waitFor { $0.contains("resolve incident 1?") }.ok)
        try second.send("y")
        #expect(second.waitFor { $0.contains("resolved saved") }.ok)
        try second.send("E")
        r = second.waitFor { $0.contains("postmortem written: incident-1.md in ") }
        #expect(r.ok, "no export:\n\(r.screen)")
        try second.send("q")
        #expect(second.waitForFile("exit") == "0")
        // Between the restart and the fix the alert neither resolved nor started over.
        let restart = String(beforeFix.dropFirst(logBefore.count))
        #expect(restart.contains("saved alerts restored") && !restart.contains("alert APIFailing"),
                "the restart flapped the alert:\n\(restart)")

        // The shift report: the alert (fired once, resolved), who acknowledged it, the incident.
        let report = try runWatchbill(["report", "--since", "1h"], environment: env)
        #expect(report.status == 0, "\(report)")
        #expect(report.out.contains("- APIFailing: api answers errors (P1) {") && report.out.contains("fired once, at ")
                && report.out.contains("; resolved at "), "\(report.out)")
        #expect(report.out.contains("  - Acknowledged by oncall at ") && report.out.contains(": \"incident #1 acknowledged\""),
                "\(report.out)")
        #expect(report.out.contains("- #1 P1 APIFailing: api answers errors: resolved "), "\(report.out)")
        #expect(report.out.contains(", oncall: upstream pool returns 503, restarting it"), "\(report.out)")

        // The postmortem: one timeline in time order, to the second, detected at the first failure.
        let postmortem = home.file("watchbill/postmortems/incident-1.md")
        #expect(postmortem.contains("**Owner:** oncall\n"), "\(postmortem)")
        let timeline = postmortem.components(separatedBy: "### Timeline\n").last?.components(separatedBy: "\n\n").first ?? ""
        let order = ["Issue detected", "Team alerted", "Acknowledged by oncall", "Note: upstream pool returns 503",
                     "Mitigation started by oncall", "Service restored by oncall", "Resolved by oncall"]
        var rest = Substring(timeline)
        for step in order {
            let found = rest.range(of: step)
            #expect(found != nil, "\(step) missing or out of order:\n\(timeline)")
            if let found { rest = rest[found.upperBound...] }
        }
        let times = timeline.split(separator: "\n").compactMap { line -> Double? in
            // `- 2026-12-07 17:01:02 UTC: ...`: seconds present, in order.
            let parts = line.dropFirst(2).prefix(19)
            guard parts.count == 19, parts.dropFirst(17).allSatisfy(\.isNumber) else { return nil }
            return Self.unix(String(parts))
        }
        #expect(times.count >= order.count && times == times.sorted(), "\(timeline)")
        // Detected at the first failed probe: within a probe interval of the break, before the alert's 3 s `for`.
        if let detected = times.first {
            #expect(detected >= brokeAt.rounded(.down) - 1 && detected <= brokeAt + 2.5, "detected \(detected), broke \(brokeAt)")
        }
        #expect(postmortem.contains("- Duration: ") && postmortem.contains("s, from detection to restored"), "\(postmortem)")
    }

    /// `2026-12-07 17:01:02` (UTC) as Unix seconds, without Foundation's calendar.
    static func unix(_ text: String) -> Double? {
        let n = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" }).compactMap { Int($0) }
        guard n.count == 6 else { return nil }
        var (y, m) = (n[0], n[1])
        if m <= 2 { y -= 1; m += 12 }
        let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + n[2] - 719_469
        return Double(days * 86_400 + n[3] * 3600 + n[4] * 60 + n[5])
    }
}
